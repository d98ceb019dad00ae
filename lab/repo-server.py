#!/usr/bin/python3
# kubeha lab: serves the fixtures' apt repository from the jump namespace, like python3 -m http.server, but waits
# --delay seconds before every .deb it sends (a slow package mirror, the same for every download; 0 by default).
import argparse
import functools
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer


class DelayingHandler(SimpleHTTPRequestHandler):
    delay = 0.0

    def send_head(self):
        if self.delay > 0 and self.path.split("?", 1)[0].endswith(".deb"):
            time.sleep(self.delay)
        return super().send_head()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bind", required=True)
    p.add_argument("--directory", required=True)
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("port", type=int)
    a = p.parse_args()
    handler = type("Handler", (DelayingHandler,), {"delay": a.delay})
    server = ThreadingHTTPServer((a.bind, a.port), functools.partial(handler, directory=a.directory))
    print("serving %s on %s:%d, %.1f s delay per .deb" % (a.directory, a.bind, a.port, a.delay), flush=True)
    server.serve_forever()


main()
