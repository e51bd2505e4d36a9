#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz/corpus/<target>/ from what the
repository already holds: the frames of proto/vectors/, the records of the
end-to-end tests and of a cchc-loadgen data set, the times those use, and
ops/units/rachgia.tsv. Each seed is a few KB at most.

    tests/fuzz/make_seeds.py LOADGEN_DIR   (from `cchc-loadgen rachgia-2022 --out DIR`)
"""
import collections, json, os, re, sys

src = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
out = os.path.join(src, "tests", "fuzz", "corpus")


def put(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# frames and event bodies: proto/vectors/*.hex
vec = os.path.join(src, "proto", "vectors")
for fn in sorted(os.listdir(vec)):
    if not fn.endswith(".hex"):
        continue
    raw = bytes.fromhex(open(os.path.join(vec, fn)).read())
    stem = fn[:-4]
    put("frame", stem, raw)
    if raw[:4] == b"CCHC" and raw[5] == 1 and len(raw) > 32:  # EVENTS: the body after the header
        p, m = raw[7], int.from_bytes(raw[28:30], "big")
        put("event", stem, raw[32 + p + m:])

# records: the lines of the e2e tests, with their shell variables filled in
units = {"U": "kg.rachgia.p-an-binh", "W": "kg.rachgia.p-vinh-loi", "N": "kg.rachgia.phong-noi-vu"}
svc_of = {}
for svc, types in {
    "dossier": "received resolved feedback survey procedure",
    "staffing": "headcount recruited transferred trained disciplined streamlined job_positions indicator",
    "finance": "revenue revenue_estimate investment_plan disbursement autonomy audit_due audit_paid",
    "egov": "document online_service portal_post email_usage",
}.items():
    for t in types.split():
        svc_of[t] = svc
e2e = collections.defaultdict(list)
for fn in ("services_records.sh", "bad_records.sh"):
    for line in open(os.path.join(src, "tests", "e2e", fn), encoding="utf-8"):
        m = re.search(r"(\{\"id\".*\})", line)
        if not m:
            continue
        if "%s" in m.group(1):
            continue
        rec = re.sub(r"'?\$\{?(\w)\}?'?", lambda v: units.get(v.group(1), v.group(0)), m.group(1))
        t = re.search(r'"type":"(\w+)"', rec)
        e2e[svc_of.get(t.group(1), "dossier") if t else "dossier"].append(rec)
for svc, lines in e2e.items():
    put("records_" + svc, "e2e", "\n".join(lines) + "\n")

# records: from a loadgen data set, per service a body of each record type (4 lines each)
times = set()
lg = sys.argv[1] if len(sys.argv) > 1 else None
if lg:
    for svc in ("dossier", "staffing", "finance", "egov"):
        by_type = collections.defaultdict(list)
        with open(os.path.join(lg, svc + "-000.ndjson"), encoding="utf-8") as f:
            for i, line in enumerate(f):
                r = json.loads(line)
                if len(by_type[r["type"]]) < 4:
                    by_type[r["type"]].append(line)
                for k in ("at", "due"):
                    if k in r and len(times) < 16 and i % 97 == 0:
                        times.add(r[k])
                if i > 200000:
                    break
        for t, lines in by_type.items():
            put("records_" + svc, "loadgen-" + t, "".join(lines))
        put("records_" + svc, "loadgen-mixed", "".join(l for ls in by_type.values() for l in ls[:1]))

# times: as records carry them, and the forms period.h names
times |= {"2022-03-01T08:30:00+07:00", "2022-03-01T01:30:00Z", "2022-03-01T08:30:00.250+07:00",
          "2021-12-14T23:59:59.999+07:00", "2000-02-29T12:00:00-05:30", "1970-01-01T00:00:00Z"}
for i, t in enumerate(sorted(times)):
    put("time", "t%02d" % i, t)

# units: the registry, in pieces a few KB each, and its head
reg = open(os.path.join(src, "ops", "units", "rachgia.tsv"), encoding="utf-8").read().splitlines(True)
head = [l for l in reg if l.startswith("#")]
body = [l for l in reg if not l.startswith("#")]
root = [l for l in body if "." not in l.split("\t")[0]]
put("units", "rachgia-head", "".join(reg[:40]))
chunk = 30
for i in range(0, len(body), chunk):
    part = body[i:i + chunk]
    # the province and the city first, so each piece loads on its own
    pre = [l for l in body[:2] if l not in part]
    put("units", "rachgia-%02d" % (i // chunk), "".join(head[:2] + pre + part))
