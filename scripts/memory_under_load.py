#!/usr/bin/env python3
"""Memory under load: docketd's resident memory before and after large and small writes.

Starts docketd on a fresh data directory with the demo court, listening on 127.0.0.1 only, and
reads its resident set size (VmRSS of /proc/PID/status) at rest, after LARGE filings that each
save case information with the largest free text a request may carry (64 KiB of facts and
reasons), and after SMALL new filings (one small event each, each a new stream). Prints one line
per step and, at the end, the growth per write.

    scripts/memory_under_load.py build/release/api/docketd [--large 1000] [--small 10000]

Bounded: a fixed number of requests on a few connections, then docketd is stopped.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

LAWYER = "15001201810010001"
PASSWORD = "memory-under-load-1"
FREE_TEXT = 64 * 1024


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Client:
    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method, path, body=None, headers=None):
        h = {"Content-Type": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if method == "POST":
            h["Idempotency-Key"] = uuid.uuid4().hex  # every write carries one
        h.update(headers or {})
        data = None if body is None else json.dumps(body).encode()
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=data, headers=h)
                r = self.conn.getresponse()
                text = r.read()
                return r.status, (json.loads(text) if text.startswith(b"{") else text)
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise RuntimeError("unreachable")


def expect(status, body, wanted, what):
    if status not in wanted:
        sys.exit(f"{what}: {status} {body}")


def run_parallel(count, connections, port, token, one):
    """Runs one(client, i) for i in range(count) on `connections` threads."""
    next_i = [0]
    lock = threading.Lock()
    errors = []

    def worker():
        c = Client(port, token)
        while True:
            with lock:
                i = next_i[0]
                next_i[0] += 1
            if i >= count or errors:
                return
            try:
                one(c, i)
            except SystemExit as e:
                errors.append(str(e))
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit(errors[0])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("docketd")
    p.add_argument("--large", type=int, default=1000)
    p.add_argument("--small", type=int, default=10000)
    p.add_argument("--connections", type=int, default=4)
    args = p.parse_args()

    data = tempfile.mkdtemp(prefix="docket-memory-")
    port = free_port()
    env = dict(os.environ)
    server = subprocess.Popen(
        [args.docketd, "--data", data, "--listen", f"127.0.0.1:{port}", "--demo",
         "--threads", "2", "--workers", "8"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        first_password = None
        for line in server.stdout:
            m = re.match(r"\s+lawyer\t" + LAWYER + r"\t.*password: (\S+)", line)
            if m:
                first_password = m.group(1)
            if line.startswith("Log in:"):
                break
        if first_password is None:
            sys.exit("docketd printed no demo login for the lawyer")
        threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)

        anon = Client(port)
        status, body = anon.call("POST", "/v1/sessions",
                                 {"login": LAWYER, "password": first_password})
        expect(status, body, (201,), "login")
        lawyer = Client(port, body["token"])
        status, body = lawyer.call("POST", "/v1/me/password",
                                   {"old_password": first_password, "new_password": PASSWORD})
        expect(status, body, (200,), "password change")
        token = lawyer.token

        time.sleep(2)
        rows = [("at rest, after the demo court", rss_kib(server.pid), 0)]
        print(f"{rows[0][0]}: RSS {rows[0][1] / 1024:.1f} MiB", flush=True)

        def large(c, i):
            status, body = c.call("POST", "/v1/filings", {},
                                  {"Idempotency-Key": f"large-{i}"})
            expect(status, body, (201,), "start filing")
            base = "/v1/filings/" + body["filing_id"]
            text = (f"{i:08d} " * (FREE_TEXT // 9 + 1))[:FREE_TEXT]
            status, body = c.call("POST", base + "/case-information",
                                  {"claims": ["repay the loan"], "facts_and_reasons": text,
                                   "amount_in_dispute_fen": 10_000_000})
            expect(status, body, (200,), "case information")

        started = time.time()
        run_parallel(args.large, args.connections, port, token, large)
        time.sleep(2)
        rows.append((f"after {args.large} filings with 64 KiB of text each",
                     rss_kib(server.pid), args.large))
        print(f"{rows[-1][0]}: RSS {rows[-1][1] / 1024:.1f} MiB "
              f"({time.time() - started:.0f} s)", flush=True)

        def small(c, i):
            status, body = c.call("POST", "/v1/filings", {}, {"Idempotency-Key": f"small-{i}"})
            expect(status, body, (201,), "start filing")

        started = time.time()
        run_parallel(args.small, args.connections, port, token, small)
        time.sleep(2)
        rows.append((f"after {args.small} small writes (new filings)", rss_kib(server.pid),
                     args.small))
        print(f"{rows[-1][0]}: RSS {rows[-1][1] / 1024:.1f} MiB "
              f"({time.time() - started:.0f} s)", flush=True)

        large_growth = (rows[1][1] - rows[0][1]) * 1024 / max(1, args.large)
        small_growth = (rows[2][1] - rows[1][1]) * 1024 / max(1, args.small)
        print(f"growth per large filing: {large_growth / 1024:.1f} KiB")
        print(f"growth per small write: {small_growth / 1024:.2f} KiB")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
