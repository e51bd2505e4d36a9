#!/usr/bin/env python3
"""Opens N connections to an nng socket over tcp from the local address SRC,
each with the SP handshake of a peer of PROTO (sub: a SUB for a PUB socket,
req: a REQ for a REP socket), and holds them. After SETTLE seconds it writes
"OPEN CLOSED" to OUT (how many the socket still holds, how many it closed),
then holds them until killed.

usage: bus_flood.py PORT PROTO SRC N SETTLE OUT"""
import select
import socket
import struct
import sys
import time

PROTOS = {"sub": 0x21, "req": 0x30}


def main():
    port, proto, src, n, settle, out = sys.argv[1:7]
    conns = []
    for _ in range(int(n)):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((src, 0))
        s.connect(("127.0.0.1", int(port)))
        s.sendall(b"\0SP\0" + struct.pack(">HH", PROTOS[proto], 0))
        conns.append(s)
    time.sleep(float(settle))
    closed = 0
    for s in conns:
        # A socket the peer closed reads its handshake, then the end.
        s.setblocking(False)
        data, gone = b"", False
        while True:
            r, _, _ = select.select([s], [], [], 0)
            if not r:
                break
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                gone = True
                break
            if not chunk:
                gone = True
                break
            data += chunk
        closed += gone
    with open(out + ".tmp", "w") as f:
        f.write("%d %d\n" % (len(conns) - closed, closed))
    import os
    os.rename(out + ".tmp", out)
    while True:
        time.sleep(60)


main()
