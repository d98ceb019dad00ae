#!/usr/bin/python3
# kubeha lab: checks the fixture records that lab.sh audit copied from every node into DIR:
# NODE.apiserver-events.jsonl (the fake kube-apiserver's starts and stops, written by the kubelet stand-in) and
# NODE.violations.jsonl (e.g. a kubelet restarted on a node that was not drained). Prints one line per finding and
# exits 1 when two kube-apiservers were down at the same time or any violation was recorded.
import datetime
import glob
import json
import os
import sys
import time


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).isoformat(timespec="milliseconds")


def records(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    sys.exit("%s:%d: not JSON" % (path, n))
    return out


def down_intervals(events, until):
    """(start, end, open) of every time this node's kube-apiserver was down after it had first started."""
    intervals, state, since = [], None, None
    for e in sorted(events, key=lambda e: e["time"]):
        if e["event"] == "start":
            if state == "down":
                intervals.append((since, e["time"], False))
            state = "up"
        elif e["event"] == "stop" and state == "up":
            state, since = "down", e["time"]
        elif e["event"] == "removed":
            if state == "down":
                intervals.append((since, e["time"], False))
            state = None
    if state == "down":
        intervals.append((since, until, True))
    return intervals


def main(directory):
    until = time.time()
    findings = []
    downs = {}
    for path in sorted(glob.glob(os.path.join(directory, "*.apiserver-events.jsonl"))):
        node = os.path.basename(path).split(".")[0]
        events = records(path)
        if not events:
            continue
        downs[node] = down_intervals(events, until)
        starts = sum(1 for e in events if e["event"] == "start")
        longest = max((b - a for a, b, _ in downs[node]), default=0.0)
        print("kube-apiserver on %s: %d start(s), down %d time(s), longest %.1f s%s" % (
            node, starts, len(downs[node]), longest, " (down now)" if any(o for _, _, o in downs[node]) else ""))
    nodes = sorted(downs)
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            for s1, e1, _ in downs[a]:
                for s2, e2, _ in downs[b]:
                    start, end = max(s1, s2), min(e1, e2)
                    if end > start:
                        findings.append("kube-apiservers on %s and %s were down at the same time from %s to %s "
                                        "(%.1f s)" % (a, b, iso(start), iso(end), end - start))
    for path in sorted(glob.glob(os.path.join(directory, "*.violations.jsonl"))):
        for v in records(path):
            findings.append("%s %s: %s" % (v.get("node"), iso(v["time"]), v.get("message")))
    for f in findings:
        print("VIOLATION " + f)
    print("audit: %s" % ("%d violation(s)" % len(findings) if findings else "ok"))
    return 1 if findings else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: audit.py DIR")
    sys.exit(main(sys.argv[1]))
