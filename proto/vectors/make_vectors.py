#!/usr/bin/env python3
"""Writes the cchc wire-format test vectors (NAME.hex, NAME.json) next to this
file. A second, independent encoder of proto/README.md: the C tests decode
these bytes, compare with the JSON and re-encode to the same bytes.
Standard library and PyNaCl (Debian's python3-nacl, for Ed25519ph through
its libsodium bindings); run: /usr/bin/python3 proto/vectors/make_vectors.py"""
import datetime
import hashlib
import json
import os
import struct

import nacl.bindings as sodium

ZONE = datetime.timezone(datetime.timedelta(hours=7))
KINDS = {"EVENTS": 1, "HEARTBEAT": 2, "REPLAY_REQUEST": 3, "REPLAY_NACK": 4, "ACK": 5}
# Version 3: every frame carries an Ed25519ph signature (RFC 8032, 64 bytes)
# after the publisher id, over the header without it, the body, and, in an
# answer on the replay socket, the request's 16-byte nonce. The vectors'
# signers, by their 32-byte seeds:
PUB_KEY = bytes(range(32))             # 000102...1f, the publisher's
SUB_KEY = bytes(range(0x20, 0x40))     # 202122...3f, the subscriber's
NONCE = bytes(range(0x40, 0x50))       # 404142...4f, the request's nonce
SUB = "aggregator"
# msgpack key -> (JSON name, type); the order the C encoder writes them in.
KEYS = [("t", "type", "str"), ("id", "id", "str"), ("u", "unit", "str"),
        ("at", "at", "time"), ("d", "dossier", "str"), ("p", "procedure", "str"),
        ("f", "field", "str"), ("c", "category", "str"), ("c2", "category2", "str"),
        ("o", "outcome", "str"), ("due", "due", "time"), ("rat", "received_at", "time"),
        ("n", "n", "int"), ("n2", "n2", "int"), ("b", "flag", "bool")]


def ms(rfc3339):
    return int(datetime.datetime.fromisoformat(rfc3339).timestamp() * 1000)


def rfc3339(msec):
    t = datetime.datetime.fromtimestamp(msec // 1000, ZONE)
    return t.strftime("%Y-%m-%dT%H:%M:%S+07:00")


def mp_str(s):
    b = s.encode()
    n = len(b)
    if n < 32:
        return bytes([0xA0 | n]) + b
    if n < 256:
        return bytes([0xD9, n]) + b
    return b"\xda" + struct.pack(">H", n) + b


def mp_int(v):
    if 0 <= v < 128:
        return bytes([v])
    if v >= 0:
        for tag, fmt, top in ((0xCC, ">B", 0xFF), (0xCD, ">H", 0xFFFF), (0xCE, ">I", 0xFFFFFFFF)):
            if v <= top:
                return bytes([tag]) + struct.pack(fmt, v)
        return b"\xcf" + struct.pack(">Q", v)
    if v >= -32:
        return struct.pack(">b", v)
    for tag, fmt, low in ((0xD0, ">b", -(1 << 7)), (0xD1, ">h", -(1 << 15)), (0xD2, ">i", -(1 << 31))):
        if v >= low:
            return bytes([tag]) + struct.pack(fmt, v)
    return b"\xd3" + struct.pack(">q", v)


def event(**fields):
    """fields use msgpack keys; times are RFC 3339 strings here."""
    body, js = b"", {}
    for key, name, typ in KEYS:
        if key not in fields:
            continue
        v = fields[key]
        body += mp_str(key)
        if typ == "str":
            body += mp_str(v)
            js[name] = v
        elif typ == "time":
            body += mp_int(ms(v))
            js[name] = rfc3339(ms(v))
        elif typ == "int":
            body += mp_int(v)
            js[name] = v
        else:
            body += b"\xc3" if v else b"\xc2"
            js[name] = v
    assert len(fields) < 16
    return bytes([0x80 | len(fields)]) + body, js


def ed25519ph(seed, message):
    """RFC 8032 Ed25519ph of message with the key pair of seed."""
    pk, sk = sodium.crypto_sign_seed_keypair(seed)
    st = sodium.crypto_sign_ed25519ph_state()
    sodium.crypto_sign_ed25519ph_update(st, message)
    return pk, sodium.crypto_sign_ed25519ph_final_create(st, sk)


def frame(kind, publisher, epoch, seq, count, events=(), key=PUB_KEY, answer=False,
          subscriber=None):
    """answer: the frame answers a request with NONCE; subscriber: a request's body."""
    pub = publisher.encode()
    head = b"CCHC" + struct.pack(">BBBBQQIHH", 3, KINDS[kind], 1, len(pub), epoch, seq, count, 64,
                                 0) + pub
    body = b"".join(e[0] for e in events)
    if subscriber:
        body = NONCE + subscriber.encode()
    pk, sig = ed25519ph(key, head + body + (NONCE if answer else b""))
    js = {"version": 3, "kind": kind, "flags": 1, "publisher": publisher,
          "epoch": "%016x" % epoch, "seq": seq, "count": count, "sig_len": 64,
          "seed": key.hex(), "public": pk.hex(), "sig": sig.hex()}
    if answer:
        js["nonce"] = NONCE.hex()
    if subscriber:
        js["subscriber"] = subscriber
    if kind == "EVENTS":
        js["events"] = [e[1] for e in events]
    return head + sig + body, js


def write(name, data, meaning):
    here = os.path.dirname(os.path.abspath(__file__))
    lines = [" ".join("%02x" % b for b in data[i:i + 16]) for i in range(0, len(data), 16)]
    with open(os.path.join(here, name + ".hex"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(here, name + ".json"), "w") as f:
        f.write(json.dumps(meaning, indent=2, ensure_ascii=False) + "\n")


EPOCH = 0x000001801A2B3C4D
PUB = "dossier"
UNIT = "kg.rachgia.p-vinh-loi"
D = "H33.22-220301-0001"

received = event(t="dossier.received", id="r-1001", u=UNIT, at="2022-03-01T08:30:00+07:00",
                 d=D, p="1.004227", f="ho-tich", c="online", due="2022-03-04T17:00:00+07:00")
resolved = event(t="dossier.resolved", id="r-1002", u=UNIT, at="2022-03-03T10:15:00+07:00",
                 d=D, c="online", c2="postal", o="early", due="2022-03-04T17:00:00+07:00",
                 rat="2022-03-01T08:30:00+07:00")
held = event(t="dossier.held", id="r-1003", u=UNIT, at="2022-03-05T09:00:00+07:00",
             d="H33.22-220305-0042", c2="direct")
feedback = event(t="dossier.feedback", id="r-1004", u=UNIT, at="2022-03-05T09:30:00+07:00",
                 c="resolved")
survey = event(t="dossier.survey", id="r-1005", u=UNIT, at="2022-03-05T10:00:00+07:00", b=True)

write("events-2", *frame("EVENTS", PUB, EPOCH, 41, 2, [received, resolved]))
write("events-3", *frame("EVENTS", PUB, EPOCH, 43, 3, [held, feedback, survey]))
write("heartbeat", *frame("HEARTBEAT", PUB, EPOCH, 46, 0))
write("replay-request", *frame("REPLAY_REQUEST", PUB, EPOCH, 41, 5, key=SUB_KEY, subscriber=SUB))
write("replay-nack", *frame("REPLAY_NACK", PUB, EPOCH, 46, 0, answer=True))
write("replay-answer", *frame("EVENTS", PUB, EPOCH, 43, 3, [held, feedback, survey], answer=True))
write("ack", *frame("ACK", PUB, EPOCH, 46, 0, key=SUB_KEY, subscriber=SUB))
write("ack-answer", *frame("ACK", PUB, EPOCH, 12, 0, answer=True))

# Frames every decoder must refuse, each with the reason.
one = frame("EVENTS", PUB, EPOCH, 46, 1)[0]
write("reject-map32-bomb", one + b"\xdf\xff\xff\xff\xff",
      {"reject": "an event map declaring 2^32-1 entries in 5 bytes"})
write("reject-str32-bomb", one + b"\x81\xa1t\xdb\xff\xff\xff\xff",
      {"reject": "a string declaring 4 GiB"})
# The valid "received" event with one more key, "x": [[[[[[[[[0]]]]]]]]].
write("reject-nesting-bomb", one + bytes([received[0][0] + 1]) + mp_str("x")
      + bytes([0x91] * 9 + [0x00]) + received[0][1:],
      {"reject": "an unknown key's value nested 9 arrays deep (the limit is 8)"})
v1 = bytearray(frame("HEARTBEAT", PUB, EPOCH, 46, 0)[0][:32 + len(PUB)])
v1[4], v1[6], v1[28:30] = 1, 0, b"\0\0"
write("reject-version1", bytes(v1),
      {"reject": "a version 1 heartbeat: no MAC, refused since version 2"})
# Version 2, as it was: a keyed BLAKE2b-256 MAC, which anyone holding the
# shared key could make: refused since version 3.
v2head = b"CCHC" + struct.pack(">BBBBQQIHH", 2, KINDS["HEARTBEAT"], 1, len(PUB), EPOCH, 46, 0, 32,
                               0) + PUB.encode()
write("reject-version2", v2head + hashlib.blake2b(v2head, key=PUB_KEY, digest_size=32).digest(),
      {"reject": "a version 2 heartbeat: a shared key's MAC, refused since version 3"})
flags0 = bytearray(frame("HEARTBEAT", PUB, EPOCH, 46, 0)[0])
flags0[6] = 0
write("reject-no-sig-flag", bytes(flags0), {"reject": "version 3 with flags bit 0 clear"})
sig32 = bytearray(frame("HEARTBEAT", PUB, EPOCH, 46, 0)[0][:-32])
sig32[28:30] = struct.pack(">H", 32)
write("reject-sig32", bytes(sig32),
      {"reject": "a 32-byte signature room: version 3 signatures are 64 bytes"})
# Well-formed, but its signature does not verify with the publisher's key:
# the header decodes, proto_frame_verify refuses it (the C test checks both).
bad = bytearray(frame("HEARTBEAT", PUB, EPOCH, 46, 0)[0])
bad[16 + 7] ^= 1  # seq 46 -> 47 after signing
badjs = frame("HEARTBEAT", PUB, EPOCH, 47, 0)[1]
badjs["sig"] = bad[39:103].hex()
badjs["sig_ok"] = False
write("badsig-heartbeat", bytes(bad), badjs)
# Signed by the subscriber's key under the publisher's name: valid Ed25519ph,
# but not the publisher's key: refused.
forged = frame("HEARTBEAT", PUB, EPOCH, 46, 0, key=SUB_KEY)
forgedjs = dict(forged[1], seed=PUB_KEY.hex(), public=frame("HEARTBEAT", PUB, EPOCH, 46, 0)[1]["public"],
                sig_ok=False)
write("forged-heartbeat", forged[0], forgedjs)
