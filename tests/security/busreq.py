#!/usr/bin/env python3
"""One request on a publisher's replay socket, by hand: nng's ipc framing
(the SP handshake as a REQ socket), a cchc frame built here (proto/README.md),
signed with a bus secret file's key, or sent as the old versions did.
Prints the answer's kind.

usage: busreq.py SOCKET PUBLISHER KIND EPOCH_HEX SEQ NAME SECRET
  KIND: ACK or REPLAY_REQUEST; SECRET: a bus secret file (keys.h: a 32-byte
  Ed25519 seed in hex; anyone's: the name's own, or another program's), or
  random (a fresh seed of no one's), or v1 (a version-1 frame without MAC,
  as before the bus was authenticated), or v2:SECRET (a version-2 frame: a
  keyed BLAKE2b-256 MAC, with that file's seed as the key).
Ed25519ph (RFC 8032) through PyNaCl's libsodium bindings (python3-nacl)."""
import hashlib
import os
import socket
import struct
import sys

import nacl.bindings as sodium

KINDS = {1: "EVENTS", 2: "HEARTBEAT", 3: "REPLAY_REQUEST", 4: "REPLAY_NACK", 5: "ACK"}


def seed_of(path):
    for line in open(path):
        line = line.strip()
        if line and not line.startswith("#"):
            return bytes.fromhex(line)
    raise SystemExit("busreq.py: %s: no seed line" % path)


def frame(publisher, kind, epoch, seq, name, secret):
    pub = publisher.encode()
    count = 100 if kind == 3 else 0
    if secret == "v1":
        body = name.encode() if kind == 5 else b""
        return b"CCHC" + struct.pack(">BBBBQQIHH", 1, kind, 0, len(pub), epoch, seq, count, 0, 0) \
            + pub + body
    body = os.urandom(16) + name.encode()  # nonce, subscriber name
    if secret.startswith("v2:"):
        head = b"CCHC" + struct.pack(">BBBBQQIHH", 2, kind, 1, len(pub), epoch, seq, count, 32, 0) \
            + pub
        return head + hashlib.blake2b(head + body, key=seed_of(secret[3:]), digest_size=32).digest() \
            + body
    seed = os.urandom(32) if secret == "random" else seed_of(secret)
    _, sk = sodium.crypto_sign_seed_keypair(seed)
    head = b"CCHC" + struct.pack(">BBBBQQIHH", 3, kind, 1, len(pub), epoch, seq, count, 64, 0) + pub
    st = sodium.crypto_sign_ed25519ph_state()
    sodium.crypto_sign_ed25519ph_update(st, head + body)
    return head + sodium.crypto_sign_ed25519ph_final_create(st, sk) + body


def main():
    path, publisher, kind, epoch, seq, name, secret = sys.argv[1:8]
    kind = 5 if kind == "ACK" else 3
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(path)
    s.sendall(b"\0SP\0" + struct.pack(">HH", 0x30, 0))  # REQ v0
    msg = struct.pack(">I", 0x80000001) + frame(publisher, kind, int(epoch, 16), int(seq), name,
                                                secret)
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
