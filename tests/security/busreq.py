#!/usr/bin/env python3
"""One request on a publisher's replay socket, by hand: nng's ipc framing
(the SP handshake as a REQ socket), a cchc frame built here (proto/README.md),
signed with a key given in hex, or sent unsigned. Prints the answer's kind.

usage: busreq.py SOCKET PUBLISHER KIND EPOCH_HEX SEQ NAME KEY
  KIND: ACK or REPLAY_REQUEST; KEY: 64 hex digits, or v1 (a version-1 frame
  without MAC, as before the bus was authenticated), or random."""
import hashlib
import os
import socket
import struct
import sys

KINDS = {1: "EVENTS", 2: "HEARTBEAT", 3: "REPLAY_REQUEST", 4: "REPLAY_NACK", 5: "ACK"}


def frame(publisher, kind, epoch, seq, name, key):
    pub = publisher.encode()
    count = 100 if kind == 3 else 0
    if key == "v1":
        body = name.encode() if kind == 5 else b""
        return b"CCHC" + struct.pack(">BBBBQQIHH", 1, kind, 0, len(pub), epoch, seq, count, 0, 0) \
            + pub + body
    k = os.urandom(32) if key == "random" else bytes.fromhex(key)
    head = b"CCHC" + struct.pack(">BBBBQQIHH", 2, kind, 1, len(pub), epoch, seq, count, 32, 0) + pub
    body = os.urandom(16) + name.encode()
    return head + hashlib.blake2b(head + body, key=k, digest_size=32).digest() + body


def main():
    path, publisher, kind, epoch, seq, name, key = sys.argv[1:8]
    kind = 5 if kind == "ACK" else 3
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    s.sendall(b"\0SP\0" + struct.pack(">HH", 0x30, 0))  # REQ v0
    msg = struct.pack(">I", 0x80000001) + frame(publisher, kind, int(epoch, 16), int(seq), name, key)
    s.sendall(b"\x01" + struct.pack(">Q", len(msg)) + msg)
    data = b""
    while len(data) < 8 + 9 + 4 + 6:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    # data: the peer's 8-byte handshake, then 0x01, an 8-byte length, a 4-byte request id, the frame
    answer = data[8 + 9 + 4:]
    print(KINDS.get(answer[5], "?") if len(answer) > 5 else "none")


main()
