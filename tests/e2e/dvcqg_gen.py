#!/usr/bin/env python3
"""DVCQG dossier records (DongBoHoSoMC) for e2e_dvcqg, and the form 3 figures
they must give, counted here from the dossiers' stories, independently of
cchc-dossier's rules in C.

usage: dvcqg_gen.py OUT_DIR

Writes OUT_DIR/post.json (envelopes, for POST /v1/dvcqg: one pretty-printed
over many lines, the rest one a line), OUT_DIR/import.jsonl (envelopes and
bare records, one JSON value a line, for cchc-import --format dvcqg) and
OUT_DIR/expect.tsv (UNIT FROM TO ROW VALUE). Every status path is there:
2-4-9-10, 2-5-4-9 with the due date moved after the supplement, 2-7, 3,
2-8, 6, still in process, only registered; some states are sent twice and
some dossiers' states come in reverse order; times fall either side of
midnight UTC (local 00:00-06:59 is the day before in UTC).
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone

ZONE = timezone(timedelta(hours=7))
UNITS = {"t.a": "30001", "t.b": "30002"}  # unit -> its code (madonvi of t.b: below)
MADONVI_B = "000.00.31.H01"
rng = random.Random(20250701)


def fmt(t):
    return t.strftime("%Y%m%d%H%M%S") if t else ""


def local_day(t):
    return t.date()


class Dossier:
    def __init__(self, n, unit, path):
        self.code = "H%04d" % n
        self.unit = unit
        self.path = path
        self.channel = rng.choice([1, 1, 2, 3])  # 1 direct, 2 online, 3 postal
        day = datetime(2025, 1, 10, tzinfo=ZONE) + timedelta(days=rng.randrange(0, 200))
        self.received = day + timedelta(hours=rng.choice([0, 3, 6, 8, 14, 23]),
                                        minutes=rng.randrange(60))
        self.due = (self.received + timedelta(days=rng.randrange(1, 10))).replace(
            hour=17, minute=0, second=0)
        # After a supplement the due date moves on by a week.
        self.due2 = self.due + timedelta(days=7) if 5 in path else self.due
        kind = rng.choice(["early", "on_time", "late", "second"])
        end_due = self.due2
        if kind == "early":
            self.ended = self.received + (end_due - self.received) / 3
            if local_day(self.ended) >= local_day(end_due):
                self.ended = end_due - timedelta(days=1)
            if self.ended < self.received:
                self.ended = self.received
        elif kind == "on_time":
            self.ended = end_due.replace(hour=8)
        elif kind == "late":
            self.ended = end_due + timedelta(days=rng.randrange(1, 5))
        else:  # one second past the due instant: late
            self.ended = end_due + timedelta(seconds=1)
        self.postal_return = rng.random() < 0.3

    def state(self, status):
        """The dossier's whole state as the portal gets it at that status."""
        moved = 5 in self.path and self.path.index(5) < self.path.index(status) \
            if status in self.path else False
        r = {
            "MaHoSo": self.code,
            "MaTTHC": rng.choice(["1.004227", "2.000986"]),
            "MaLinhVuc": "G09-TP",
            "KenhThucHien": str(self.channel),
            "TrangThaiHoSo": str(status),
            "NgayTiepNhan": fmt(self.received) if status != 1 else "",
            "NgayHenTra": fmt(self.due2 if moved else self.due) if status not in (1, 3) else "",
            "NgayKetThucXuLy": fmt(self.ended) if status >= 7 else "",
            "NgayTra": fmt(self.ended + timedelta(hours=2)) if status == 10 else "",
            "HinhThuc": "1" if self.postal_return else "0",
        }
        if status == 1:  # registered online, not yet accepted: it has the time it came
            r["NgayTiepNhan"] = fmt(self.received)
        if self.unit == "t.b" and rng.random() < 0.5:
            r["DonViXuLy"] = UNITS["t.b"]
        return r

    def facts(self):
        """(day, figure) pairs the dossier counts, by the rules of
        services/README.md, "DVCQG records"."""
        p = set(self.path)
        out = []
        rd = local_day(self.received)
        if p & {2, 4, 5, 6, 7, 8, 9, 10}:
            ch = {1: "direct", 2: "online", 3: "postal"}[self.channel]
            out += [(rd, "received"), (rd, "received_" + ch)]
        if 3 in p:
            out.append((rd, "not_accepted"))
        if 5 in p:
            out.append((rd, "supplement_requested"))
        if 7 in p:
            out.append((local_day(self.ended), "withdrawn"))
        if 8 in p:
            out.append((local_day(self.ended), "stopped"))
        if p & {9, 10}:
            ed = local_day(self.ended)
            due = self.due2
            outcome = "late" if self.ended > due else \
                "early" if ed < local_day(due) else "on_time"
            out += [(ed, "resolved"), (ed, "resolved_" + outcome),
                    (ed, "returned_" + ("postal" if self.postal_return else "direct"))]
        return out


PATHS = [[2, 4, 9, 10], [2, 5, 4, 9], [2, 7], [3], [2, 8], [6], [2, 4], [1], [2, 4, 9]]


def main():
    out = sys.argv[1]
    dossiers = []
    for n in range(240):
        dossiers.append(Dossier(n, rng.choice(list(UNITS)), PATHS[n % len(PATHS)]))
    sends = []  # (dossier, state record), in the order they are sent
    for d in dossiers:
        states = [d.state(s) for s in d.path]
        if rng.random() < 0.25:
            states.reverse()  # out of order: the latest first
        if rng.random() < 0.25:
            states.append(dict(states[-1]))  # the same state again
        sends += [(d, s) for s in states]
    # Interleaved as office systems send them, each dossier's order kept.
    rng.shuffle(sends)
    order = {}
    for i, (d, s) in enumerate(sends):
        order.setdefault(d.code, []).append(i)
    per = {code: [s for (dd, s) in sends if dd.code == code] for code in order}
    seq, taken = [], {code: 0 for code in per}
    for d, _ in sends:
        seq.append((d, per[d.code][taken[d.code]]))
        taken[d.code] += 1
    half = len(seq) // 2

    def madonvi(d):
        return MADONVI_B if d.unit == "t.b" else UNITS["t.a"]

    # The endpoint: envelopes of up to 7 records, one unit each.
    with open(f"{out}/post.json", "w") as f:
        first = True
        i = 0
        while i < half:
            d = seq[i][0]
            batch = []
            while i < half and len(batch) < 7 and seq[i][0].unit == d.unit:
                batch.append(seq[i][1])
                i += 1
            env = {"service": "DongBoHoSoMC", "isUpdating": "True",
                   "madonvi": madonvi(d), "data": batch}
            f.write(json.dumps(env, ensure_ascii=False, indent=2 if first else None) + "\n")
            first = False
    # cchc-import: envelopes of one record, and bare records with madonvi.
    with open(f"{out}/import.jsonl", "w") as f:
        for d, s in seq[half:]:
            if rng.random() < 0.5:
                env = {"service": "DongBoHoSoMC", "isUpdating": "False",
                       "madonvi": madonvi(d), "data": [s]}
                f.write(json.dumps(env, ensure_ascii=False) + "\n")
            else:
                b = dict(s)
                b["madonvi"] = madonvi(d)
                f.write(json.dumps(b, ensure_ascii=False) + "\n")
    # The figures, per unit and for the province, over two windows.
    windows = [("2024-12-15", "2025-12-14"), ("2025-04-15", "2025-12-14")]
    with open(f"{out}/expect.tsv", "w") as f:
        for unit in ["t.a", "t.b", "t"]:
            for lo, hi in windows:
                lo_d = datetime.fromisoformat(lo).date()
                hi_d = datetime.fromisoformat(hi).date()
                before, win = {}, {}
                for d in dossiers:
                    if unit != "t" and d.unit != unit:
                        continue
                    for day, fig in d.facts():
                        if day < lo_d:
                            before[fig] = before.get(fig, 0) + 1
                        elif day <= hi_d:
                            win[fig] = win.get(fig, 0) + 1
                w = lambda k: win.get(k, 0)
                b = lambda k: before.get(k, 0)
                carried = b("received") - b("resolved") - b("withdrawn") - b("stopped")
                rows = {
                    "3.3.new": w("received"),
                    "3.3.carried_over": carried,
                    "3.3.received": carried + w("received"),
                    "3.3.online": w("received_online"),
                    "3.3.postal": w("received_postal"),
                    "3.3.direct_or_postal": w("received_direct") + w("received_postal"),
                    "3.3.1": w("resolved"),
                    "3.3.2": w("resolved_early") + w("resolved_on_time"),
                    "3.3.late": w("resolved_late"),
                    "3.3.pending": carried + w("received") - w("resolved") - w("withdrawn")
                    - w("stopped"),
                    "3.3.returned_postal": w("returned_postal"),
                    "3.3.not_accepted": w("not_accepted"),
                    "3.3.supplement": w("supplement_requested"),
                    "3.3.withdrawn": w("withdrawn"),
                    "3.3.stopped": w("stopped"),
                }
                for k, v in rows.items():
                    f.write(f"{unit}\t{lo}\t{hi}\t{k}\t{v}\n")
    print(len(seq), half)


main()
