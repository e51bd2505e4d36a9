#!/usr/bin/env python3
"""Hostile HTTP clients for the security tests (tests/security/*.sh).

  http_attack.py slow-headers PORT      headers dribbled a byte a second
  http_attack.py slow-body PORT         whole headers, then the body a byte a second
  http_attack.py idle PORT N OUT        N idle connections, held until killed;
                                        OUT gets "open closed" once they settled
  http_attack.py content-length PORT N  only the headers of a POST of N bytes
  http_attack.py chunked PORT           a chunked body sent until the service answers
  http_attack.py partial PORT FILE GO   POSTs FILE but its last byte, writes GO.held,
                                        waits for GO to exist, sends the byte

Each prints one line of JSON with what happened, and exits 0 when the
service did what it must (cut the connection, answer before the body)."""
import json
import os
import socket
import sys
import time

HOST = "127.0.0.1"


def auth_lines():
    """The lines of $AUTH_HEADER (curl -H @FILE format), if any."""
    path = os.environ.get("AUTH_HEADER", "")
    if not path or not os.path.exists(path):
        return b""
    with open(path, "rb") as f:
        return b"".join(l.rstrip(b"\r\n") + b"\r\n" for l in f if l.strip())


def connect(port, src=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if src:
        s.bind((src, 0))
    s.connect((HOST, port))
    return s


def peek(s):
    """Without waiting: "open", "closed" (or reset), or the bytes that came."""
    s.setblocking(False)
    try:
        d = s.recv(65536)
        return d if d else "closed"
    except BlockingIOError:
        return "open"
    except OSError:
        return "closed"
    finally:
        s.setblocking(True)


def dribble(port, head, drip, limit):
    """Sends head at once, then drip a byte a second; the seconds until cut."""
    s = connect(port)
    t0 = time.monotonic()
    s.sendall(head)
    i = 0
    while time.monotonic() - t0 < limit:
        c = peek(s)
        if c == "closed":
            return time.monotonic() - t0, b""
        if c != "open":  # an answer: the service took it whole
            return time.monotonic() - t0, c
        try:
            s.send(drip[i % len(drip):i % len(drip) + 1])
        except OSError:
            return time.monotonic() - t0, b""
        i += 1
        time.sleep(1)
    return None, b""


def main():
    cmd, port = sys.argv[1], int(sys.argv[2])
    limit = float(os.environ.get("LIMIT", "90"))
    if cmd == "slow-headers":
        head = b"POST /v1/records HTTP/1.1\r\nHost: x\r\n"
        t, got = dribble(port, head, b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", limit)
        print(json.dumps({"cut_after_s": t, "answer": got.decode("latin-1")[:200]}))
        sys.exit(0 if t is not None and not got else 1)
    if cmd == "slow-body":
        head = (b"POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
                + auth_lines() + b"Content-Length: 100000\r\n\r\n")
        t, got = dribble(port, head, b'{"id":"slow","type":"received"}\n', limit)
        print(json.dumps({"cut_after_s": t, "answer": got.decode("latin-1")[:200]}))
        sys.exit(0 if t is not None and not got else 1)
    if cmd == "idle":
        n, out = int(sys.argv[3]), sys.argv[4]
        src = os.environ.get("SRC")
        socks, failed = [], 0
        for _ in range(n):
            try:
                socks.append(connect(port, src))
            except OSError:
                failed += 1
        time.sleep(2)  # the service closes those over its caps at accept
        gone = sum(1 for s in socks if peek(s) == "closed")
        with open(out + ".tmp", "w") as f:
            f.write("%d %d\n" % (len(socks) - gone, gone + failed))
        os.rename(out + ".tmp", out)
        while True:
            time.sleep(60)
    if cmd == "content-length":
        n = int(sys.argv[3])
        s = connect(port)
        s.sendall(b"POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
                  + auth_lines() + b"Content-Length: %d\r\n\r\n" % n)
        s.settimeout(5)
        t0 = time.monotonic()
        try:
            got = s.recv(65536)
        except socket.timeout:
            got = b""
        status = got.split(b"\r\n", 1)[0].decode("latin-1")
        print(json.dumps({"status": status, "after_s": round(time.monotonic() - t0, 3),
                          "body_sent": 0}))
        sys.exit(0 if " 413 " in status else 1)
    if cmd == "chunked":
        s = connect(port)
        s.sendall(b"POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
                  + auth_lines() + b"Transfer-Encoding: chunked\r\n\r\n")
        piece = (b'{"id":"x"}\n' * 100000)[:1 << 20]
        chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
        sent, got = 0, b""
        while sent < (1 << 30):
            c = peek(s)
            if c == "closed":
                break
            if c != "open":
                got = c
                break
            try:
                s.sendall(chunk)
            except OSError:
                break
            sent += len(piece)
        if not got:
            s.settimeout(5)
            try:
                got = s.recv(65536)
            except OSError:
                got = b""
        status = got.split(b"\r\n", 1)[0].decode("latin-1")
        print(json.dumps({"status": status, "body_sent": sent}))
        sys.exit(0 if " 413 " in status else 1)
    if cmd == "partial":
        path, go = sys.argv[3], sys.argv[4]
        with open(path, "rb") as f:
            body = f.read()
        s = connect(port)
        s.sendall(b"POST /v1/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
                  + auth_lines() + b"Content-Length: %d\r\n\r\n" % len(body))
        s.sendall(body[:-1])
        time.sleep(0.5)  # for the service to read it all
        open(go + ".held", "w").close()
        while not os.path.exists(go):
            time.sleep(0.05)
        s.sendall(body[-1:])
        s.settimeout(60)
        got = b""
        while b"\r\n\r\n" not in got:
            d = s.recv(65536)
            if not d:
                break
            got += d
        status = got.split(b"\r\n", 1)[0].decode("latin-1")
        print(json.dumps({"status": status}))
        sys.exit(0 if " 200 " in status else 1)
    sys.exit("unknown attack " + cmd)


if __name__ == "__main__":
    main()
