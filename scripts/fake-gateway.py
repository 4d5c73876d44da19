#!/usr/bin/env python3
"""A loopback SMS gateway for tests: honours Idempotency-Key and injects faults.

Prints the port it listens on as its first line, then serves until killed. Every request is logged as a JSON line
to --log: {"id", "to", "status", "outcome"} where outcome is accepted (first acceptance of an id), duplicate (an id
already accepted, answered 200 with the same message_id), rejected, or the fault injected (500, 503, 429, slow, drop).

  --fail-rate R      share of requests that get a fault (default 0)
  --faults LIST      faults to draw from: 500,503,429,slow,drop (default all)
  --reject-suffix S  numbers ending in S are rejected with 400 (repeatable)
  --slow SECONDS     how long a slow reply takes (default 2)
  --token T          require "Authorization: Bearer T" (401 otherwise)
  --down             answer every request 503 without Retry-After
  --answer STATUS    answer every request with this status (401, 404, 413, …), logged as "answered"
  --echo-number      a rejection's reply names the number (as some gateways do), to check that it is masked
  --hang             read every request and never answer it (a gateway that accepts connections and hangs)
  --delay SECONDS    answer every request after this long (a slow gateway; with --answer, a slow refusal)
"""
import argparse, json, random, signal, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fail-rate", type=float, default=0.0)
    ap.add_argument("--faults", default="500,503,429,slow,drop")
    ap.add_argument("--reject-suffix", action="append", default=[])
    ap.add_argument("--slow", type=float, default=2.0)
    ap.add_argument("--token")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--log", required=True)
    ap.add_argument("--down", action="store_true")
    ap.add_argument("--answer", type=int)
    ap.add_argument("--hang", action="store_true")
    ap.add_argument("--echo-number", action="store_true")
    ap.add_argument("--delay", type=float, default=0.0)
    a = ap.parse_args()
    faults = a.faults.split(",")
    rng = random.Random(a.seed)
    lock = threading.Lock()
    accepted = {}
    log = open(a.log, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body=b"", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            try:
                msg = json.loads(raw)
                assert self.headers.get("Idempotency-Key") == msg["id"]
                assert self.headers.get("Content-Type", "").startswith("application/json")
                assert set(msg) == {"id", "to", "text", "rule", "segments"}
            except Exception:
                self.reply(422, b'{"error":"malformed request"}')
                log.write(json.dumps({"id": None, "status": 422, "outcome": "malformed"}) + "\n")
                return
            def record(status, outcome):
                log.write(json.dumps({"id": msg["id"], "to": msg["to"], "status": status, "outcome": outcome}) + "\n")
            if a.token and self.headers.get("Authorization") != "Bearer " + a.token:
                record(401, "unauthorized"); self.reply(401, b'{"error":"bad token"}'); return
            if a.down:
                record(503, "down"); self.reply(503, b'{"error":"down"}'); return
            if a.delay:
                time.sleep(a.delay)
            if a.answer:
                record(a.answer, "answered"); self.reply(a.answer, b'{"error":"as configured"}'); return
            if a.hang:
                record(0, "hang")
                while True:
                    time.sleep(3600)
            with lock:
                if msg["id"] in accepted:
                    record(200, "duplicate")
                    self.reply(200, json.dumps({"message_id": accepted[msg["id"]]}).encode()); return
                fault = rng.choice(faults) if rng.random() < a.fail_rate else None
            if any(msg["to"].endswith(s) for s in a.reject_suffix):
                body = '{"error":"invalid destination number%s"}' % ((" " + msg["to"]) if a.echo_number else "")
                record(400, "rejected"); self.reply(400, body.encode()); return
            if fault == "500":
                record(500, "500"); self.reply(500, b'{"error":"internal"}'); return
            if fault in ("503", "429"):
                record(int(fault), fault); self.reply(int(fault), b'{"error":"busy"}', [("Retry-After", "1")]); return
            if fault == "drop":
                record(0, "drop")
                self.connection.shutdown(socket.SHUT_RDWR); self.close_connection = True; return
            if fault == "slow":
                record(0, "slow"); time.sleep(a.slow)
            with lock:
                first = msg["id"] not in accepted
                accepted.setdefault(msg["id"], "gw-%d" % (len(accepted) + 1))
                mid = accepted[msg["id"]]
                # Logged under the same lock: the log's order of acceptances is the order of the gw-N ids.
                if fault != "slow":
                    record(200, "accepted" if first else "duplicate")
            if fault == "slow":
                log.write(json.dumps({"id": msg["id"], "to": msg["to"], "status": 200,
                                      "outcome": "accepted" if first else "duplicate", "late": True}) + "\n")
            try:
                self.reply(200, json.dumps({"message_id": mid}).encode())
            except (BrokenPipeError, ConnectionResetError):
                pass

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a parent may have left SIGTERM ignored
    server = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()

if __name__ == "__main__":
    main()
