#!/usr/bin/env python3
"""A loopback CMPP 2.0/3.0 SMS centre (ISMG) for tests and benchmarks, with faults. Standard library only.

Prints the port it listens on as its first line, then serves until killed. It checks what a client sends against
the protocol, reassembles long messages, answers status reports, and writes what it saw to --record (JSON,
rewritten when a connection ends and every 0.2 s while something changed):

  {"logins", "login_refused", "submits", "flow_controlled", "rejected": [dest…], "duplicate_submits",
   "messages": [{"dest", "text", "segments", "msg_ids", "copies"}], "reports": [{"msg_id", "stat", "dest",
   "acked"}], "reports_sent", "mo_sent", "mo_acked", "active_tests_answered", "terminates", "drops",
   "max_outstanding", "violations": [text…]}

  --sp-id ID          the SP id logins must carry (default 901234)
  --secret S          the shared secret (default s3cret); another yields CONNECT_RESP status 3
  --service-id SVC    SUBMITs must carry this Service_Id (default: not checked)
  --src-id N          SUBMITs' Src_Id must start with this (default: not checked)
  --flow-control R    share of SUBMITs answered Result 8 (flow control), not kept (default 0)
  --reject SUFFIX[:RESULT]  numbers ending in SUFFIX are answered RESULT (default 13), not kept (repeatable)
  --undeliverable SUFFIX    numbers ending in SUFFIX get UNDELIV reports instead of DELIVRD (repeatable)
  --drop-after N      after the Nth SUBMIT (kept, not answered) close the connection, once
  --late-reports      keep status reports until the next login instead of sending them at once
  --no-reports        send no status reports at all
  --report-delay S    seconds between a SUBMIT_RESP and its report (default 0.02)
  --shuffle K         answer SUBMITs in groups of up to K in reverse order (default 1: in order)
  --resp-delay S      answer each SUBMIT S seconds after it came (a slow centre)
  --mo N              after the first login, send N mobile-originated messages ("TD"); unanswered ones again
                      after the next login
  --active-test S     send an ACTIVE_TEST every S seconds of a connection (default never)
  --window W          a client with more than W SUBMITs unanswered is a violation (default 16)
  --flush-interval S  rewrite --record every S seconds while something changed (default 0.2; 0: only when a
                      connection ends)
"""
import argparse, json, os, random, select, socket, struct, sys, threading, time, hashlib

CONNECT, CONNECT_RESP = 0x00000001, 0x80000001
TERMINATE, TERMINATE_RESP = 0x00000002, 0x80000002
SUBMIT, SUBMIT_RESP = 0x00000004, 0x80000004
DELIVER, DELIVER_RESP = 0x00000005, 0x80000005
ACTIVE_TEST, ACTIVE_TEST_RESP = 0x00000008, 0x80000008
KNOWN = {CONNECT, CONNECT_RESP, TERMINATE, TERMINATE_RESP, SUBMIT, SUBMIT_RESP, DELIVER, DELIVER_RESP, ACTIVE_TEST, ACTIVE_TEST_RESP}


def cstr(b):
    return b.split(b"\0", 1)[0].decode("ascii", "replace")


def octets(text, width):
    b = text.encode("ascii")[:width]
    return b + b"\0" * (width - len(b))


class Centre:
    def __init__(self, a):
        self.a = a
        self.lock = threading.Lock()
        self.rng = random.Random(a.seed)
        self.rejects = []
        for r in a.reject:
            suffix, _, code = r.partition(":")
            self.rejects.append((suffix, int(code or 13)))
        self.counter = 0
        self.dropped_once = False
        self.mo_done = False
        self.pending_reports = []  # reports to push after the next login: dicts
        self.pending_mo = 0  # mobile-originated messages not acknowledged, sent again after the next login
        self.assembling = {}  # (dest, ref, total) -> {number: (text, msg_id)}
        self.seen_segments = set()
        self.by_text = {}  # (dest, text) -> message record
        self.rec = {"logins": 0, "login_refused": 0, "submits": 0, "flow_controlled": 0, "rejected": [],
                    "duplicate_submits": 0, "messages": [], "reports": [], "reports_sent": 0, "mo_sent": 0,
                    "mo_acked": 0, "active_tests_answered": 0, "terminates": 0, "drops": 0, "max_outstanding": 0,
                    "violations": []}
        self.dirty = True

    def violation(self, text):
        with self.lock:
            if len(self.rec["violations"]) < 200:
                self.rec["violations"].append(text)
            self.dirty = True

    def new_msg_id(self):
        self.counter += 1
        t = time.localtime()
        return ((t.tm_mon << 60) | (t.tm_mday << 55) | (t.tm_hour << 50) | (t.tm_min << 44) | (t.tm_sec << 38)
                | (((self.counter >> 16) & 0x3FFFFF) << 16) | (self.counter & 0xFFFF))

    def write(self, force=False):
        with self.lock:
            if not (self.dirty or force):
                return
            data = json.dumps(self.rec, ensure_ascii=False)
            self.dirty = False
        tmp = self.a.record + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, self.a.record)


class Link:
    """One client connection."""

    def __init__(self, centre, sock):
        self.c = centre
        self.a = centre.a
        self.sock = sock
        self.buf = b""
        self.version = 0x20
        self.logged_in = False
        self.seq = 0
        self.outstanding = set()  # Sequence_Ids of SUBMITs not answered yet
        self.resps = []  # SUBMIT_RESPs waiting to go out (shuffled)
        self.delayed = []  # (when, Sequence_Id, body): SUBMIT_RESPs held back by --resp-delay
        self.reports_due = []  # (when, report)
        self.sent_delivers = {}  # our Sequence_Id -> (deliver Msg_Id, report or None)
        self.active_tests = {}
        self.next_active = None
        self.closed = False

    # -- wire
    def next_seq(self):
        self.seq += 1
        return self.seq

    def send(self, command, seq, body=b""):
        try:
            self.sock.sendall(struct.pack(">III", 12 + len(body), command, seq) + body)
        except OSError:
            self.closed = True

    def status(self, v):
        return struct.pack(">B", v) if self.version == 0x20 else struct.pack(">I", v)

    @property
    def tid(self):
        return 21 if self.version == 0x20 else 32

    # -- loop
    def serve(self):
        try:
            while not self.closed:
                now = time.time()
                timeout = 0.02 if self.resps else 0.2
                if self.reports_due:
                    timeout = max(0, min(timeout, min(w for w, _ in self.reports_due) - now))
                if self.next_active:
                    timeout = max(0, min(timeout, self.next_active - now))
                if self.delayed:
                    timeout = max(0, min(timeout, min(w for w, _, _ in self.delayed) - now))
                r, _, _ = select.select([self.sock], [], [], timeout)
                if r:
                    data = self.sock.recv(65536)
                    if not data:
                        break
                    self.buf += data
                    while len(self.buf) >= 12 and not self.closed:
                        length, command, seq = struct.unpack(">III", self.buf[:12])
                        if length < 12 or length > 8192:
                            self.c.violation(f"Total_Length {length} out of range")
                            self.closed = True
                            break
                        if len(self.buf) < length:
                            break
                        body, self.buf = self.buf[12:length], self.buf[length:]
                        self.handle(command, seq, body)
                else:
                    self.flush_resps()
                if self.delayed:
                    now = time.time()
                    self.resps += [(s, b) for w, s, b in self.delayed if w <= now]
                    self.delayed = [(w, s, b) for w, s, b in self.delayed if w > now]
                if len(self.resps) >= self.a.shuffle:
                    self.flush_resps()
                self.push_reports()
                if self.next_active and time.time() >= self.next_active and self.logged_in:
                    s = self.next_seq()
                    self.active_tests[s] = time.time()
                    self.send(ACTIVE_TEST, s)
                    self.next_active = time.time() + self.a.active_test
        except OSError:
            pass
        finally:
            self.flush_resps()
            self.close()

    def close(self):
        # Reports sent and not acknowledged, and those not sent yet, wait for the next login.
        with self.c.lock:
            for _, (did, rep) in self.sent_delivers.items():
                if rep is not None:
                    self.c.pending_reports.append(rep)
                else:
                    self.c.pending_mo += 1
            for _, rep in self.reports_due:
                self.c.pending_reports.append(rep)
            self.sent_delivers.clear()
            self.reports_due.clear()
            self.c.dirty = True
        try:
            self.sock.close()
        except OSError:
            pass
        self.closed = True
        self.c.write(force=True)

    def flush_resps(self):
        if not self.resps:
            return
        out, self.resps = self.resps, []
        if self.a.shuffle > 1:
            out.reverse()
        for seq, body in out:
            self.outstanding.discard(seq)
            self.send(SUBMIT_RESP, seq, body)

    def push_reports(self):
        if not self.logged_in:
            return
        now = time.time()
        due = [r for w, r in self.reports_due if w <= now]
        self.reports_due = [(w, r) for w, r in self.reports_due if w > now]
        for rep in due:
            self.send_deliver(rep)

    def send_deliver(self, rep):
        with self.c.lock:
            did = self.c.new_msg_id()
            self.c.rec["reports_sent"] += 1
            self.c.dirty = True
        content = (struct.pack(">Q", rep["msg_id"]) + octets(rep["stat"], 7) + octets("2611301000", 10)
                   + octets("2611301001", 10) + octets(rep["dest"], self.tid) + struct.pack(">I", 1))
        self.deliver(did, rep["dest"], 1, 0, content, rep)

    def deliver(self, did, source, registered, fmt, content, rep):
        body = struct.pack(">Q", did) + octets(self.a.src_id or "10658888", 21) + octets(self.a.service_id or "", 10)
        body += bytes([0, 0, fmt]) + octets(source, self.tid) + (b"\0" if self.version == 0x30 else b"")
        body += bytes([registered, len(content)]) + content + (b"\0" * 8 if self.version == 0x20 else b"\0" * 20)
        s = self.next_seq()
        self.sent_delivers[s] = (did, rep)
        self.send(DELIVER, s, body)

    # -- commands
    def handle(self, command, seq, body):
        if command not in KNOWN:
            self.c.violation(f"unknown Command_Id 0x{command:08x}")
            return
        if command != CONNECT and not self.logged_in:
            self.c.violation(f"Command_Id 0x{command:08x} before a successful CONNECT")
            return
        if command == CONNECT:
            self.connect(seq, body)
        elif command == SUBMIT:
            self.submit(seq, body)
        elif command == DELIVER_RESP:
            self.deliver_resp(seq, body)
        elif command == ACTIVE_TEST:
            if body:
                self.c.violation("ACTIVE_TEST with a body")
            self.send(ACTIVE_TEST_RESP, seq, b"\0")
        elif command == ACTIVE_TEST_RESP:
            if len(body) != 1:
                self.c.violation(f"ACTIVE_TEST_RESP body of {len(body)} bytes (1 expected)")
            if self.active_tests.pop(seq, None) is None:
                self.c.violation(f"ACTIVE_TEST_RESP for Sequence_Id {seq} never sent")
            else:
                with self.c.lock:
                    self.c.rec["active_tests_answered"] += 1
        elif command == TERMINATE:
            if body:
                self.c.violation("TERMINATE with a body")
            with self.c.lock:
                self.c.rec["terminates"] += 1
            if self.outstanding:
                self.c.violation(f"TERMINATE with {len(self.outstanding)} SUBMITs unanswered")
            self.resps += [(s, b) for _, s, b in self.delayed]
            self.delayed = []
            self.flush_resps()
            self.send(TERMINATE_RESP, seq)
            self.closed = True
        elif command == TERMINATE_RESP:
            pass
        else:
            self.c.violation(f"a client sent Command_Id 0x{command:08x}")

    def connect(self, seq, body):
        if self.logged_in:
            self.c.violation("a second CONNECT on one connection")
        if len(body) != 27:
            self.c.violation(f"CONNECT body of {len(body)} bytes (27 expected)")
            self.closed = True
            return
        src, auth, version, stamp = body[:6], body[6:22], body[22], struct.unpack(">I", body[23:27])[0]
        self.version = 0x30 if version == 0x30 else 0x20
        ok_auth = hashlib.md5(src + b"\0" * 9 + self.a.secret.encode() + ("%010d" % stamp).encode()).digest()
        status = 0
        if version not in (0x20, 0x30):
            status = 4
        elif cstr(src) != self.a.sp_id:
            status = 2
        elif auth != ok_auth:
            status = 3
        mm, dd = stamp // 100000000, stamp // 1000000 % 100
        if not (1 <= mm <= 12 and 1 <= dd <= 31):
            self.c.violation(f"CONNECT Timestamp {stamp} is not MMDDHHMMSS")
        ismg = hashlib.md5(struct.pack(">B", status) + auth + self.a.secret.encode()).digest()
        self.send(CONNECT_RESP, seq, self.status(status) + ismg + bytes([self.version]))
        with self.c.lock:
            if status:
                self.c.rec["login_refused"] += 1
            else:
                self.c.rec["logins"] += 1
            self.c.dirty = True
        if status:
            self.closed = True
            return
        self.logged_in = True
        if self.a.active_test:
            self.next_active = time.time() + self.a.active_test
        with self.c.lock:
            late, self.c.pending_reports = self.c.pending_reports, []
            mo = (self.a.mo if not self.c.mo_done else 0) + self.c.pending_mo
            self.c.mo_done = True
            self.c.pending_mo = 0
        for rep in late:
            self.send_deliver(rep)
        for i in range(mo):
            with self.c.lock:
                did = self.c.new_msg_id()
                self.c.rec["mo_sent"] += 1
            self.deliver(did, "1380013%04d" % i, 0, 0, b"TD", None)

    def submit(self, seq, body):
        a, tid = self.a, self.tid
        fixed = 8 + 1 + 1 + 1 + 1 + 10 + 1 + tid + (1 if self.version == 0x30 else 0) + 1 + 1 + 1 + 6 + 2 + 6 + 17 + 17 + 21 + 1
        if len(body) < fixed + 1:
            self.c.violation(f"SUBMIT body of {len(body)} bytes is too short")
            return
        p = 0

        def take(n):
            nonlocal p
            v = body[p:p + n]
            p += n
            return v
        msg_id = struct.unpack(">Q", take(8))[0]
        pk_total, pk_number, registered, _level = take(1)[0], take(1)[0], take(1)[0], take(1)[0]
        service = cstr(take(10))
        _fee_user_type = take(1)[0]
        take(tid)
        if self.version == 0x30:
            take(1)
        _pid, udhi, fmt = take(1)[0], take(1)[0], take(1)[0]
        msg_src = cstr(take(6))
        fee_type, fee_code = cstr(take(2)), cstr(take(6))
        take(17), take(17)
        src_id = cstr(take(21))
        dest_count = take(1)[0]
        dests = []
        for _ in range(dest_count):
            dests.append(cstr(take(tid)))
        if self.version == 0x30:
            take(1)
        length = take(1)[0] if p < len(body) else 0
        content = take(length)
        tail = len(body) - p
        expected_tail = 8 if self.version == 0x20 else 20
        v = []
        if tail != expected_tail:
            v.append(f"SUBMIT has {tail} bytes after Msg_Content ({expected_tail} expected: Msg_Length or the layout is off)")
        if len(content) != length:
            v.append("Msg_Length runs past the PDU")
        if msg_id != 0:
            v.append("SUBMIT Msg_Id is not 0")
        if registered != 1:
            v.append(f"Registered_Delivery {registered} (1 expected)")
        if fmt != 8:
            v.append(f"Msg_Fmt {fmt} (8, UCS-2, expected)")
        if a.service_id and service != a.service_id:
            v.append(f"Service_Id {service!r} (expected {a.service_id!r})")
        if a.src_id and not src_id.startswith(a.src_id):
            v.append(f"Src_Id {src_id!r} does not start with {a.src_id!r}")
        if msg_src != a.sp_id:
            v.append(f"Msg_src {msg_src!r} (expected the SP id)")
        if dest_count != 1 or not dests or not dests[0].isdigit():
            v.append(f"DestUsr_tl {dest_count} / Dest_terminal_Id {dests!r}")
        if not fee_type.isdigit() or not fee_code.isdigit():
            v.append(f"FeeType {fee_type!r} / FeeCode {fee_code!r} not digits")
        if length > 140:
            v.append(f"Msg_Length {length} over 140")
        if not (1 <= pk_number <= pk_total):
            v.append(f"Pk_number {pk_number} / Pk_total {pk_total}")
        ref = None
        text_bytes = content
        if pk_total > 1 or udhi:
            if udhi != 1:
                v.append("a segment of a long message without TP_udhi 1")
            if len(content) < 6 or content[:3] != b"\x05\x00\x03":
                v.append("TP_udhi 1 without the header 05 00 03 ref total seq")
            else:
                ref, total, number = content[3], content[4], content[5]
                if total != pk_total or number != pk_number:
                    v.append(f"UDH total/seq {total}/{number} differ from Pk_total/Pk_number {pk_total}/{pk_number}")
                text_bytes = content[6:]
                if len(text_bytes) > 134:
                    v.append(f"a segment of {len(text_bytes)} bytes of text (67 units at most)")
        elif len(content) > 140:
            v.append("a single message over 70 units")
        if len(text_bytes) % 2:
            v.append("UCS-2 text of an odd number of bytes")
        elif len(text_bytes) >= 2 and 0xD8 <= text_bytes[-2] <= 0xDB and pk_number < pk_total:
            v.append("a segment ends in half a surrogate pair")
        if seq in self.outstanding:
            v.append(f"Sequence_Id {seq} reused while unanswered")
        for text in v:
            self.c.violation(text)
        dest = dests[0] if dests else ""
        self.outstanding.add(seq)
        with self.c.lock:
            self.c.rec["max_outstanding"] = max(self.c.rec["max_outstanding"], len(self.outstanding))
            if len(self.outstanding) > a.window:
                self.c.rec["violations"].append(f"{len(self.outstanding)} SUBMITs unanswered (window {a.window})")
            self.c.rec["submits"] += 1
            self.c.dirty = True
            nth = self.c.rec["submits"]
            result = 0
            reject = next((code for suffix, code in self.c.rejects if dest.endswith(suffix)), None)
            if reject is not None:
                result = reject
                self.c.rec["rejected"].append(dest)
            elif a.flow_control and self.c.rng.random() < a.flow_control:
                result = 8
                self.c.rec["flow_controlled"] += 1
            mid = self.c.new_msg_id() if result == 0 else 0
            if result == 0:
                self.keep(dest, ref, pk_total, pk_number, text_bytes, mid)
            drop = a.drop_after and nth >= a.drop_after and not self.c.dropped_once
            if drop:
                self.c.dropped_once = True
                self.c.rec["drops"] += 1
        if drop:
            self.flush_resps()
            self.outstanding.discard(seq)
            if result == 0 and not a.no_reports:
                self.reports_due.append((0, {"msg_id": mid, "stat": self.stat(dest), "dest": dest}))
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.closed = True
            return
        if a.resp_delay:
            self.delayed.append((time.time() + a.resp_delay, seq, struct.pack(">Q", mid) + self.status(result)))
        else:
            self.resps.append((seq, struct.pack(">Q", mid) + self.status(result)))
        if result == 0 and not a.no_reports:
            rep = {"msg_id": mid, "stat": self.stat(dest), "dest": dest}
            if a.late_reports:
                with self.c.lock:
                    self.c.pending_reports.append(rep)
            else:
                self.reports_due.append((time.time() + a.report_delay, rep))

    def stat(self, dest):
        return "UNDELIV" if any(dest.endswith(s) for s in self.a.undeliverable) else "DELIVRD"

    def keep(self, dest, ref, total, number, text_bytes, mid):
        """Reassembles (under the centre's lock)."""
        c = self.c
        text = text_bytes.decode("utf-16-be", "replace")
        key = (dest, ref, total, number) if total > 1 else (dest, text)
        if key in c.seen_segments:
            c.rec["duplicate_submits"] += 1
        c.seen_segments.add(key)
        if total == 1:
            self.complete(dest, text, 1, [mid])
            return
        parts = c.assembling.setdefault((dest, ref, total), {})
        if number in parts:
            return
        parts[number] = (text_bytes, mid)
        if len(parts) == total:
            del c.assembling[(dest, ref, total)]
            # Joined as UCS-2 units first, as a handset does: a surrogate pair may span two segments.
            whole = b"".join(parts[i][0] for i in range(1, total + 1)).decode("utf-16-be", "replace")
            self.complete(dest, whole, total, [parts[i][1] for i in range(1, total + 1)])

    def complete(self, dest, text, segments, ids):
        c = self.c
        m = c.by_text.get((dest, text))
        if m:
            m["copies"] += 1
            m["msg_ids"] += ids
        else:
            m = {"dest": dest, "text": text, "segments": segments, "msg_ids": ids, "copies": 1}
            c.by_text[(dest, text)] = m
            c.rec["messages"].append(m)

    def deliver_resp(self, seq, body):
        want = 9 if self.version == 0x20 else 12
        if len(body) != want:
            self.c.violation(f"DELIVER_RESP body of {len(body)} bytes ({want} expected)")
        sent = self.sent_delivers.pop(seq, None)
        if sent is None:
            self.c.violation(f"DELIVER_RESP for Sequence_Id {seq}, which names no DELIVER sent")
            return
        did, rep = sent
        echoed = struct.unpack(">Q", body[:8])[0] if len(body) >= 8 else None
        if echoed != did:
            self.c.violation(f"DELIVER_RESP Msg_Id {echoed} does not echo the DELIVER's {did}")
        with self.c.lock:
            if rep is None:
                self.c.rec["mo_acked"] += 1
            else:
                self.c.rec["reports"].append({"msg_id": rep["msg_id"], "stat": rep["stat"], "dest": rep["dest"], "acked": True})
            self.c.dirty = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--record", required=True)
    ap.add_argument("--sp-id", default="901234")
    ap.add_argument("--secret", default="s3cret")
    ap.add_argument("--service-id")
    ap.add_argument("--src-id")
    ap.add_argument("--flow-control", type=float, default=0.0)
    ap.add_argument("--reject", action="append", default=[])
    ap.add_argument("--undeliverable", action="append", default=[])
    ap.add_argument("--drop-after", type=int, default=0)
    ap.add_argument("--late-reports", action="store_true")
    ap.add_argument("--no-reports", action="store_true")
    ap.add_argument("--report-delay", type=float, default=0.02)
    ap.add_argument("--shuffle", type=int, default=1)
    ap.add_argument("--resp-delay", type=float, default=0.0)
    ap.add_argument("--mo", type=int, default=0)
    ap.add_argument("--active-test", type=float, default=0.0)
    ap.add_argument("--window", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--flush-interval", type=float, default=0.2)
    a = ap.parse_args()
    centre = Centre(a)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", a.port))
    server.listen(16)
    print(server.getsockname()[1], flush=True)
    centre.write(force=True)

    def flusher():
        while True:
            time.sleep(a.flush_interval)
            centre.write()
    if a.flush_interval > 0:
        threading.Thread(target=flusher, daemon=True).start()
    while True:
        sock, _ = server.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=Link(centre, sock).serve, daemon=True).start()


if __name__ == "__main__":
    main()
