#!/usr/bin/env python3
"""Every step of one kubeha run from its per-host logs (state/CLUSTER/logs/HOST.log), in start order: host, step,
start and end in seconds from the run's first step, and how long it took. Usage: bench/timeline.py LOGS_DIR [HOST...]"""
import datetime
import pathlib
import re
import sys

LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (step \d+/\d+ (\S+): (.*)|done (\S+): (\S+) in \d+ ms"
                  r"|FAILED (\S+) .*)$")


def when(text):
    return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").timestamp()


def main(logs, hosts):
    rows = []
    for log in sorted(pathlib.Path(logs).glob("*.log")):
        host = log.stem
        if hosts and host not in hosts:
            continue
        started = {}
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            m = LINE.match(line)
            if not m:
                continue
            at = when(m.group(1))
            if m.group(3):
                started[m.group(3)] = (at, m.group(4))
            else:
                step = m.group(5) or m.group(7)
                outcome = m.group(6) or "FAILED"
                if step in started:
                    begin, title = started.pop(step)
                    rows.append((begin, at, host, step, outcome, title))
    if not rows:
        sys.exit("no steps in " + logs)
    zero = min(r[0] for r in rows)
    print("%-8s %7s %7s %6s  %-26s %s" % ("host", "start", "end", "took", "step", "outcome"))
    for begin, end, host, step, outcome, title in sorted(rows):
        print("%-8s %7.2f %7.2f %6.2f  %-26s %s" % (host, begin - zero, end - zero, end - begin, step, outcome))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], set(sys.argv[2:]))
