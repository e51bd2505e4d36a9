#!/usr/bin/python3
"""A cchc bus subscriber in Python, from proto/README.md alone: libnng
through ctypes (SUB to the live bus, REQ to the replay socket), every
frame's Ed25519ph signature checked against the publisher's public keys in
the bus keys file (python3-nacl), events decoded with python3-msgpack. It
starts from a position (--from SEQ: the next sequence it wants, of the
publisher's current epoch), fetches what it missed by signed replay
requests, then follows the live bus, filling gaps the same way, and prints
each event once, in order, as a JSON line with its sequence number.

usage: subscriber.py --pub URL --replay URL --publisher NAME --keys FILE
                     --name NAME --secret FILE [--from SEQ] [--until SEQ]
                     [--seconds N]
  --name, --secret  a subscriber of the bus keys (a reader is enough) and
                    its own secret file (64 hex digits, 0600)
  --until SEQ       stop once every event before SEQ is printed
  --seconds N       stop after N seconds (default 60)
On stderr at the end: frames taken, and refused for their signature."""
import argparse
import ctypes
import ctypes.util
import json
import os
import struct
import sys
import time

import msgpack
import nacl.bindings as sodium

EVENTS, HEARTBEAT, REPLAY_REQUEST, REPLAY_NACK, ACK = 1, 2, 3, 4, 5
HEAD = struct.Struct(">4sBBBBQQIHH")  # magic .. reserved: 32 bytes
SIG = 64
KEYS = {"t": "type", "id": "id", "u": "unit", "at": "at", "d": "dossier", "p": "procedure",
        "f": "field", "c": "category", "c2": "category2", "o": "outcome", "due": "due",
        "rat": "received_at", "n": "n", "n2": "n2", "b": "flag", "k": "key", "m": "metrics",
        "v": "values", "src": "source", "dg": "digest"}

nng = ctypes.CDLL(ctypes.util.find_library("nng") or "libnng.so.1")


class Socket(ctypes.Structure):
    _fields_ = [("id", ctypes.c_uint32)]


nng.nng_strerror.restype = ctypes.c_char_p
NNG_FLAG_ALLOC, NNG_ETIMEDOUT = 1, 5


def check(rv, what):
    if rv:
        raise OSError("%s: %s" % (what, nng.nng_strerror(rv).decode()))


def open_socket(kind, url, timeout_ms):
    s = Socket()
    check(getattr(nng, "nng_%s0_open" % kind)(ctypes.byref(s)), kind)
    if kind == "sub":
        check(nng.nng_socket_set(s, b"sub:subscribe", b"", ctypes.c_size_t(0)), "subscribe")
    check(nng.nng_socket_set_ms(s, b"recv-timeout", ctypes.c_int32(timeout_ms)), "recv-timeout")
    check(nng.nng_dial(s, url.encode(), None, 0), "dial " + url)
    return s


def recv(s):
    """One message, or None after the socket's timeout."""
    buf, size = ctypes.c_void_p(), ctypes.c_size_t()
    rv = nng.nng_recv(s, ctypes.byref(buf), ctypes.byref(size), NNG_FLAG_ALLOC)
    if rv == NNG_ETIMEDOUT:
        return None
    check(rv, "recv")
    data = ctypes.string_at(buf, size.value)
    nng.nng_free(buf, size)
    return data


def send(s, data):
    check(nng.nng_send(s, data, ctypes.c_size_t(len(data)), 0), "send")


def public_keys(path, role, name):
    """The public keys of a name's lines in the bus keys file."""
    keys = []
    for line in open(path):
        f = line.split()
        if len(f) >= 3 and not f[0].startswith("#") and f[0] == role and f[1] == name:
            keys.append(bytes.fromhex(f[2]))
    if not keys:
        raise SystemExit("subscriber.py: %s: no '%s %s' line" % (path, role, name))
    return keys


def secret_key(path):
    for line in open(path):
        line = line.strip()
        if line and not line.startswith("#"):
            return sodium.crypto_sign_seed_keypair(bytes.fromhex(line))[1]
    raise SystemExit("subscriber.py: %s: no seed line" % path)


class Refused(Exception):
    pass


def verify(frame, keys, nonce=b""):
    """The frame's (kind, epoch, seq, count, body), its signature checked."""
    if len(frame) < HEAD.size:
        raise Refused("short")
    magic, version, kind, flags, plen, epoch, seq, count, slen, reserved = HEAD.unpack_from(frame)
    if magic != b"CCHC" or version != 3 or flags != 1 or slen != SIG or reserved or not plen:
        raise Refused("header")
    end = HEAD.size + plen
    if len(frame) < end + SIG:
        raise Refused("short")
    body = frame[end + SIG:]
    for key in keys:
        st = sodium.crypto_sign_ed25519ph_state()
        sodium.crypto_sign_ed25519ph_update(st, frame[:end] + body + nonce)
        try:
            if sodium.crypto_sign_ed25519ph_final_verify(st, frame[end:end + SIG], key):
                return kind, epoch, seq, count, body
        except Exception:
            pass
    raise Refused("signature")


def request(publisher, kind, epoch, seq, count, name, sk):
    nonce = os.urandom(16)
    pub = publisher.encode()
    body = nonce + name.encode()
    head = HEAD.pack(b"CCHC", 3, kind, 1, len(pub), epoch, seq, count, SIG, 0) + pub
    st = sodium.crypto_sign_ed25519ph_state()
    sodium.crypto_sign_ed25519ph_update(st, head + body)
    return head + sodium.crypto_sign_ed25519ph_final_create(st, sk) + body, nonce


def events(body, count):
    u = msgpack.Unpacker(raw=False, strict_map_key=False)
    u.feed(body)
    out = [next(u) for _ in range(count)]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for a in ("--pub", "--replay", "--publisher", "--keys", "--name", "--secret"):
        ap.add_argument(a, required=True)
    ap.add_argument("--from", dest="start", type=int, default=0)
    ap.add_argument("--until", type=int)
    ap.add_argument("--seconds", type=float, default=60)
    o = ap.parse_args()
    keys = public_keys(o.keys, "publisher", o.publisher)
    sk = secret_key(o.secret)
    live = open_socket("sub", o.pub, 200)
    replay = open_socket("req", o.replay, 5000)
    stats = {"frames": 0, "refused": 0, "events": 0}
    epoch, nxt = None, o.start
    deadline = time.monotonic() + o.seconds

    def emit(seq, ev):
        j = {"seq": seq}
        for k, v in ev.items():
            if k in KEYS:
                j[KEYS[k]] = v
        print(json.dumps(j, ensure_ascii=False), flush=True)
        stats["events"] += 1

    def fetch(upto):
        """Events [nxt, upto) of the epoch, by replay requests."""
        nonlocal nxt
        while nxt < upto and time.monotonic() < deadline:
            req, nonce = request(o.publisher, REPLAY_REQUEST, epoch, nxt, min(upto - nxt, 8192),
                                 o.name, sk)
            send(replay, req)
            answer = recv(replay)
            if answer is None:  # no answer in time: ask again
                continue
            try:
                kind, e, seq, count, body = verify(answer, keys, nonce)
            except Refused:
                stats["refused"] += 1
                time.sleep(0.2)
                continue
            if kind != EVENTS or e != epoch or seq != nxt or count == 0:
                time.sleep(0.2)  # a NACK: not durable yet, or another epoch
                continue
            for i, ev in enumerate(events(body, count)):
                emit(seq + i, ev)
            nxt = seq + count

    while time.monotonic() < deadline and (o.until is None or nxt < o.until):
        frame = recv(live)
        if frame is None:
            continue
        try:
            kind, e, seq, count, body = verify(frame, keys)
        except Refused:
            stats["refused"] += 1
            continue
        stats["frames"] += 1
        if epoch is None:
            epoch = e
        elif e != epoch:  # a new journal: its sequence starts over
            epoch, nxt = e, 0
        if kind == HEARTBEAT:
            fetch(seq)
        elif kind == EVENTS:
            fetch(seq)  # a gap before this frame
            for i, ev in enumerate(events(body, count)):
                if seq + i >= nxt:  # below: a duplicate
                    emit(seq + i, ev)
            nxt = max(nxt, seq + count)
    print("subscriber.py: %d frames, %d refused, %d events printed" %
          (stats["frames"], stats["refused"], stats["events"]), file=sys.stderr)
    return 0 if o.until is None or nxt >= o.until else 1


sys.exit(main())
