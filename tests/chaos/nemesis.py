#!/usr/bin/python3
"""The nemesis: the whole pipeline under load while things break.

It starts a private redis-server (ops/redis-durable: appendfsync always, a
torn last write cut off whole), the four
services and the aggregator in a scratch folder, with every bus connection
going through a relay it controls. Load threads send records to all four
services, over HTTP and through cchc-import, and resend a batch until the
service acknowledges every line of it. Meanwhile a nemesis thread injects
faults: kill -9 and restart of each service, the aggregator and redis-server;
SIGSTOP/SIGCONT of any of them; bus connections cut or stalled; a publisher
restarted cleanly (its memory gone, its journal kept); kill -9 of an import
client half way through its file; Redis emptied (FLUSHALL), which the
aggregator must rebuild from the journals and their checkpoints.

The harness keeps its own count of what every acknowledged record must add,
computed from the records it made (not from anything cchc says), per unit
and ancestor, per day, official month, quarter, half-year, year and all
time. At the end it heals everything, waits for the aggregator to catch up
and compares every figure in Redis with its count. Exit status 0 only when
mismatches, double counts, missing counts and unreplayed gaps are all zero,
and no process exited unless the harness stopped it.

Usage: nemesis.py --duration SECONDS [--seed N] [--fault-every SECONDS]
                  [--report FILE] [--keep]
Needs CCHC_BIN (the built binaries) and CCHC_SRC (the source tree).
"""
import argparse
import asyncio
import collections
import datetime as dt
import json
import os
import random

import redis
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

# The Redis keys this oracle reads, as services/aggregator/REDIS.md names them
# (common/store/keys.h is the C side of the same schema).
KEY_PREFIX = "cchc:v2:"
KEY_POS = KEY_PREFIX + "pos"
KEY_HEARTBEAT = KEY_PREFIX + "heartbeat:aggregator"


def key_fig(unit, period):
    return f"{KEY_PREFIX}fig:{unit}:{period}"


def is_day(period):
    return len(period) == 10


def unpack_day(packed):
    """A packed day (REDIS.md): figure -> value."""
    return {f: int(v) for f, v in (p.split("=") for p in packed.split(" ") if p)}


def pack_day(figs):
    return " ".join(f"{f}={v}" for f, v in sorted(figs.items(), key=lambda x: x[0].encode()))


def month_first_day(month):
    """The day number (since 1970-01-01) an official month begins: the 15th of the one before."""
    y, m = int(month[:4]), int(month[5:7])
    y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return (dt.date(y, m, 15) - dt.date(1970, 1, 1)).days


BIN = os.environ.get("CCHC_BIN")
SRC = os.environ.get("CCHC_SRC")
SERVICES = ["dossier", "staffing", "finance", "egov"]
TZ = dt.timezone(dt.timedelta(hours=7))


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- Redis (RESP)


class Redis:
    """Debian's redis-py on a unix socket, with replies as strings; pipeline()
    sends a list of commands in one round trip and returns their replies.
    The nemesis reads and checks as the admin user of ops/redis-users.acl,
    whose password ops/redis-users left in secrets/ beside the socket."""

    def __init__(self, path):
        with open(os.path.join(os.path.dirname(path), "secrets", "redis-admin.pw")) as f:
            password = f.readline().strip()
        self.r = redis.Redis(unix_socket_path=path, socket_timeout=30, decode_responses=True,
                             username="admin", password=password)

    def close(self):
        self.r.close()

    def pipeline(self, cmds):
        p = self.r.pipeline(transaction=False)
        for c in cmds:
            p.execute_command(*c)
        return p.execute()


# ---------------------------------------------------------------- the relay


class Relay:
    """Unix-socket byte relays between the aggregator and each publisher's
    PUB and REPLAY sockets (nng ipc is a byte stream, so a relay is
    transparent). A cut closes every connection and refuses new ones; a
    stall stops moving bytes while connections stay open."""

    def __init__(self, folder):
        self.folder = folder
        self.loop = asyncio.new_event_loop()
        self.state = {}  # service -> "up" | "cut" | "stall"
        self.conns = collections.defaultdict(set)  # service -> writers
        self.resume = {}
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def start(self, services, upstream):
        self.thread.start()
        for svc in services:
            self.state[svc] = "up"
            for kind in ("pub", "replay"):
                here = os.path.join(self.folder, f"{svc}.{kind}")
                there = upstream(svc, kind)
                asyncio.run_coroutine_threadsafe(self._listen(svc, here, there), self.loop).result()

    def url(self, svc, kind):
        return f"ipc://{os.path.join(self.folder, f'{svc}.{kind}')}"

    async def _listen(self, svc, here, there):
        async def on_conn(r, w):
            if self.state[svc] == "cut":
                w.close()
                return
            try:
                ur, uw = await asyncio.open_unix_connection(there)
            except OSError:
                w.close()
                return
            self.conns[svc].update((w, uw))
            await asyncio.gather(self._pump(svc, r, uw), self._pump(svc, ur, w))
            self.conns[svc].discard(w)
            self.conns[svc].discard(uw)

        await asyncio.start_unix_server(on_conn, path=here)

    async def _pump(self, svc, r, w):
        try:
            while True:
                data = await r.read(1 << 16)
                if not data:
                    break
                while self.state[svc] == "stall":
                    await asyncio.sleep(0.05)
                if self.state[svc] == "cut":
                    break
                w.write(data)
                await w.drain()
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            w.close()

    def _set(self, svc, state):
        self.state[svc] = state
        if state == "cut":
            for w in list(self.conns[svc]):
                w.close()

    def set(self, svc, state):
        self.loop.call_soon_threadsafe(self._set, svc, state)


# ---------------------------------------------------------------- processes


class Proc:
    def __init__(self, name, argv, logfile, env=None):
        self.name, self.argv, self.logfile, self.env = name, argv, logfile, env
        self.p = None
        self.paused = False
        self.stopping = False  # an exit the harness asked for

    def start(self):
        self.stopping = False
        with open(self.logfile, "ab") as f:
            self.p = subprocess.Popen(self.argv, stdout=f, stderr=subprocess.STDOUT, env=self.env)

    def alive(self):
        return self.p is not None and self.p.poll() is None

    def died(self):
        """The exit status of an exit nobody asked for (a crash), or None."""
        if self.p is None or self.stopping or self.p.poll() is None:
            return None
        return self.p.returncode

    def signal(self, sig):
        if self.alive():
            self.p.send_signal(sig)

    def kill9(self):
        if self.p is not None:
            self.stopping = True
            if self.paused:
                self.cont()
            try:
                self.p.kill()
            except ProcessLookupError:
                pass
            self.p.wait()

    def term(self):
        if self.alive():
            self.stopping = True
            if self.paused:
                self.cont()
            self.p.terminate()
            try:
                self.p.wait(20)
            except subprocess.TimeoutExpired:
                self.kill9()

    def stop(self):
        self.paused = True
        self.signal(signal.SIGSTOP)

    def cont(self):
        self.paused = False
        self.signal(signal.SIGCONT)


def wait_until(seconds, fn, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if fn():
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"timed out waiting for {what}")


def write_bus_keys(folder):
    """The bus keys file every process here is given (public keys), and each
    one's own secret in folder/bus-secrets/NAME.secret (ops/README.md, "Bus
    keys"), by ops/new-bus-key. Returns the keys file and the secrets folder."""
    path, secrets = os.path.join(folder, "bus.keys"), os.path.join(folder, "bus-secrets")
    subprocess.run([os.path.join(SRC, "ops/new-bus-key"), "--keys-file", path,
                    "--secrets-dir", secrets], check=True, stderr=subprocess.DEVNULL)
    return path, secrets


class Pipeline:
    def __init__(self, folder, units_path, journal_max_mb):
        self.T = folder
        self.journal_max_mb = journal_max_mb
        self.units_path = units_path
        self.redis_sock = os.path.join(folder, "redis.sock")
        # Redis with cchc's users; the aggregator writes as its own.
        self.secrets = os.path.join(folder, "secrets")
        subprocess.run([os.path.join(SRC, "ops/redis-users"), self.secrets], check=True)
        self.env = dict(os.environ, CCHC_REDIS_URL=f"unix://{self.redis_sock}?user=aggregator"
                        f"&password_file={self.secrets}/redis-aggregator.pw")
        # A credential of its own (ops/new-source): the services read the
        # sources file, cchc-import and the HTTP clients send the token.
        token_file, sources_file = os.path.join(folder, "nemesis.token"), os.path.join(folder, "sources")
        subprocess.run([os.path.join(SRC, "ops/new-source"), "nemesis",
                        "dossier.*,staffing.*,finance.*,egov.*", "*", token_file, sources_file],
                       check=True, stderr=subprocess.DEVNULL)
        with open(token_file) as f:
            self.auth = "Bearer " + f.read().strip()
        self.env.update(CCHC_SOURCES_FILE=sources_file, CCHC_TOKEN_FILE=token_file)
        keys, self.bus_secrets = write_bus_keys(folder)
        self.env.update(CCHC_BUS_KEYS=keys)
        self.relay = Relay(os.path.join(folder, "relay"))
        os.makedirs(self.relay.folder, mode=0o700)  # ipc sockets: a private folder
        self.urls = {}
        self.ports = {}  # a service keeps its port across restarts: clients resend there
        self.procs = {}
        self.lock = threading.Lock()  # one fault at a time touches a process
        self.crashes = []  # "name: exit status" of every exit nobody asked for

    def note_crashes(self):
        """Records each process that exited on its own since last asked."""
        for name, p in self.procs.items():
            rc = p.died()
            if rc is not None:
                self.crashes.append(f"{name} exited on its own with status {rc}"
                                    + (f" (signal {-rc})" if rc < 0 else ""))
                p.stopping = True  # counted once

    def _redis(self):
        return Proc("redis", [os.path.join(SRC, "ops/redis-durable"), self.T, "--port", "0",
                              "--unixsocket", self.redis_sock, "--unixsocketperm", "700",
                              "--save", "", "--aclfile", os.path.join(self.secrets, "users.acl")],
                    os.path.join(self.T, "redis.log"))

    def _service(self, svc):
        if svc not in self.ports:
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                self.ports[svc] = s.getsockname()[1]
        return Proc(svc, [os.path.join(BIN, f"cchc-{svc}"),
                          "--listen", f"127.0.0.1:{self.ports[svc]}",
                          "--port-file", os.path.join(self.T, f"{svc}.port"),
                          "--data", os.path.join(self.T, svc), "--units", self.units_path,
                          "--pub", self.upstream_url(svc, "pub"),
                          "--replay", self.upstream_url(svc, "replay"),
                          "--journal-max-mb", str(self.journal_max_mb),
                          "--bus-secret", os.path.join(self.bus_secrets, f"{svc}.secret")],
                    os.path.join(self.T, f"{svc}.log"), self.env)

    def upstream_path(self, svc, kind):
        return os.path.join(self.T, f"{svc}.{kind}")

    def upstream_url(self, svc, kind):
        return "ipc://" + self.upstream_path(svc, kind)

    def _aggregator(self):
        sources = ";".join(f"{self.relay.url(s, 'pub')},{self.relay.url(s, 'replay')}"
                           for s in SERVICES)
        return Proc("aggregator", [os.path.join(BIN, "cchc-aggregator"), "--sources", sources,
                                   "--units", self.units_path, "--listen", "127.0.0.1:0",
                                   "--bus-secret",
                                   os.path.join(self.bus_secrets, "aggregator.secret")],
                    os.path.join(self.T, "aggregator.log"), self.env)

    def start_redis(self):
        self.procs["redis"] = p = self._redis()
        p.start()
        wait_until(20, lambda: Redis(self.redis_sock).pipeline([["PING"]]), "redis")

    def start_service(self, svc):
        port_file = os.path.join(self.T, f"{svc}.port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.procs[svc] = p = self._service(svc)
        p.start()

        def up():
            if not p.alive():
                raise RuntimeError(f"cchc-{svc} exited; see {p.logfile}")
            with open(port_file) as f:
                port = f.read().strip()
            base = f"http://127.0.0.1:{port}"
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            self.urls[svc] = base
            return True

        wait_until(60, up, f"cchc-{svc}")

    def start_aggregator(self):
        self.procs["aggregator"] = p = self._aggregator()
        p.start()

    def start_all(self):
        self.start_redis()
        for svc in SERVICES:
            self.start_service(svc)
        self.relay.start(SERVICES, self.upstream_path)
        self.start_aggregator()

    def restart(self, name, how):
        """how: 'kill' (kill -9) or 'term' (SIGTERM, a clean publisher restart)."""
        self.note_crashes()
        p = self.procs[name]
        p.kill9() if how == "kill" else p.term()
        if name == "redis":
            self.start_redis()
        elif name == "aggregator":
            self.start_aggregator()
        else:
            self.start_service(name)

    def stats(self, svc):
        with urllib.request.urlopen(self.urls[svc] + "/v1/stats", timeout=5) as r:
            return json.load(r)

    def positions(self):
        """(publisher, journal next seq, applied position) for each service."""
        r = Redis(self.redis_sock)
        out = []
        for svc in SERVICES:
            st = self.stats(svc)
            pos = r.pipeline([["HGET", KEY_POS, f"{svc}/{st['journal_epoch']}"]])[0]
            out.append((svc, st["journal_next_seq"], int(pos or 0)))
        r.close()
        return out

    def shutdown(self):
        for p in self.procs.values():
            p.kill9()


# ---------------------------------------------------------------- the model


class Units:
    def __init__(self, path):
        self.ids = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                self.ids.append(line.split("\t")[0])
        known = set(self.ids)
        self.chain = {}
        for u in self.ids:
            parts = u.split(".")
            self.chain[u] = [".".join(parts[:i]) for i in range(len(parts), 0, -1)
                             if ".".join(parts[:i]) in known]


def periods_of(ms):
    """Every period name a moment counts in: its local day, official month
    (the 15th to the 14th, named by the month it ends in), quarter, half-year,
    year, and all time."""
    d = dt.datetime.fromtimestamp(ms / 1000, TZ).date()
    y, m = d.year, d.month
    if d.day >= 15:
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return [d.isoformat(), f"{y}-{m:02d}", f"{y}-Q{(m - 1) // 3 + 1}",
            f"{y}-H{(m - 1) // 6 + 1}", str(y), "all"]


class Model:
    """What Redis must hold: for every (unit, period), metric -> total."""

    def __init__(self, units):
        self.units = units
        self.fig = collections.defaultdict(collections.Counter)
        self.metrics = set()
        self.lock = threading.Lock()

    def add(self, contributions):
        with self.lock:
            for unit, ms, metric, n in contributions:
                self.metrics.add(metric)
                for u in self.units.chain[unit]:
                    for p in periods_of(ms):
                        self.fig[(u, p)][metric] += n


def iso(ms):
    return dt.datetime.fromtimestamp(ms / 1000, TZ).isoformat()


T0 = int(dt.datetime(2023, 1, 1, tzinfo=TZ).timestamp() * 1000)
SPAN = 120 * 86400 * 1000  # records fall in four months
DAY = 86400 * 1000


class Records:
    """Makes records and says what each adds, independently of cchc."""

    def __init__(self, rnd, units, run):
        self.rnd, self.run = rnd, run
        self.units = [u for u in units.ids if u.count(".") >= 2]
        self.n = 0
        self.open = []  # dossiers received and acknowledged, not resolved yet
        self.held = []  # (received record, its contributions) waiting to be sent

    def _id(self, kind):
        self.n += 1
        return f"{self.run}-{kind}-{self.n}"

    def dossier_batch(self, size):
        r = self.rnd
        lines = []
        for _ in range(size):
            x = r.random()
            if x < 0.35 and self.open:
                d = self.open.pop(r.randrange(len(self.open)))
                lines.append(self._resolution(d))
            elif x < 0.40:
                # A resolution sent before its dossier: the service holds it.
                d = self._dossier()
                lines.append(self._resolution(d))
                self.held.append(d)
            else:
                if self.held and r.random() < 0.3:
                    d = self.held.pop(0)
                    lines.append((d["rec"], d["adds"]))
                    continue
                d = self._dossier()
                lines.append((d["rec"], d["adds"]))
        return lines

    def acked(self, batch):
        """After a dossier batch was acknowledged: its new dossiers can be resolved."""
        for rec, _ in batch:
            if rec["type"] == "received" and rec.get("_open"):
                self.open.append(rec["_dossier"])

    def _dossier(self):
        r = self.rnd
        unit = r.choice(self.units)
        at = T0 + r.randrange(SPAN)
        due = at + r.randrange(0, 15 * DAY)
        ch = r.choice(["direct", "direct", "online", "postal"])
        num = self._id("d")
        rec = {"id": num + "-r", "type": "received", "unit": unit, "at": iso(at),
               "dossier": num, "procedure": f"1.00{r.randrange(10)}", "field": "f",
               "channel": ch, "due": iso(due)}
        d = {"rec": rec, "unit": unit, "at": at, "due": due, "num": num,
             "adds": [(unit, at, "received", 1), (unit, at, f"received_{ch}", 1)]}
        rec["_dossier"] = d
        rec["_open"] = True
        return d

    def _resolution(self, d):
        r = self.rnd
        at = d["at"] + r.randrange(0, 20 * DAY)
        ret = r.choice(["direct", "online", "postal"])
        if at > d["due"]:
            outcome = "late"
        elif (at + 7 * 3600000) // DAY < (d["due"] + 7 * 3600000) // DAY:
            outcome = "early"
        else:
            outcome = "on_time"
        rec = {"id": d["num"] + "-x", "type": "resolved", "unit": d["unit"], "at": iso(at),
               "dossier": d["num"], "return_channel": ret}
        d["rec"]["_open"] = False
        u = d["unit"]
        return rec, [(u, at, "resolved", 1), (u, at, f"resolved_{outcome}", 1),
                     (u, at, f"returned_{ret}", 1)]

    def staffing_batch(self, size):
        r = self.rnd
        out = []
        for _ in range(size):
            unit, at = r.choice(self.units), T0 + r.randrange(SPAN)
            kind = r.choice(["recruited", "trained", "disciplined"])
            cat = r.choice(["cong-chuc", "vien-chuc", "hop-dong"])
            n = r.randrange(1, 5)
            rec = {"id": self._id("s"), "type": kind, "unit": unit, "at": iso(at),
                   "category": cat, "count": n}
            out.append((rec, [(unit, at, f"{kind}.{cat}", n)]))
        return out

    def finance_batch(self, size):
        r = self.rnd
        out = []
        for _ in range(size):
            unit, at = r.choice(self.units), T0 + r.randrange(SPAN)
            kind, metric = r.choice([("revenue", "revenue"), ("disbursement", "disbursed"),
                                     ("audit_due", "audit_due")])
            amount = r.randrange(1, 10**12)
            rec = {"id": self._id("f"), "type": kind, "unit": unit, "at": iso(at),
                   "amount": amount}
            out.append((rec, [(unit, at, metric, amount)]))
        return out

    def egov_batch(self, size):
        r = self.rnd
        out = []
        for _ in range(size):
            unit, at = r.choice(self.units), T0 + r.randrange(SPAN)
            if r.random() < 0.7:
                d, e = r.choice(["in", "out"]), r.random() < 0.6
                rec = {"id": self._id("e"), "type": "document", "unit": unit, "at": iso(at),
                       "direction": d, "electronic": e}
                adds = [(unit, at, f"documents_{d}", 1)]
                if e:
                    adds.append((unit, at, f"documents_{d}_electronic", 1))
            else:
                k = r.choice(["news", "image", "document"])
                rec = {"id": self._id("e"), "type": "portal_post", "unit": unit, "at": iso(at),
                       "kind": k}
                adds = [(unit, at, f"portal_{k}", 1)]
            out.append((rec, adds))
        return out


def ndjson(batch):
    return "".join(json.dumps({k: v for k, v in rec.items() if not k.startswith("_")},
                              ensure_ascii=False) + "\n" for rec, _ in batch)


# ---------------------------------------------------------------- load


class Load:
    def __init__(self, pipe, model, seed, run, stop, rate):
        self.pipe, self.model, self.stop, self.rate = pipe, model, stop, rate
        self.seed, self.run = seed, run
        self.counts = collections.Counter()
        self.errors = []
        self.clients = []  # running cchc-import processes, for the nemesis
        self.clients_lock = threading.Lock()

    def post(self, svc, body):
        """The per-line results, or None when there was no answer."""
        try:
            req = urllib.request.Request(self.pipe.urls[svc] + "/v1/records", data=body.encode(),
                                         headers={"Content-Type": "application/x-ndjson",
                                                  "Authorization": self.pipe.auth})
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.load(r)["results"]
        except (OSError, urllib.error.URLError, ValueError, KeyError):
            return None

    def send_http(self, svc, batch, expect_dup=False):
        body = ndjson(batch)
        while True:
            res = self.post(svc, body)
            if res is not None:
                break
            self.counts["http_retries"] += 1
            time.sleep(0.2)
        if len(res) != len(batch):
            self.errors.append(f"{svc}: {len(res)} results for {len(batch)} lines")
        for (rec, _), r in zip(batch, res):
            if r["status"] == "rejected":
                self.errors.append(f"{svc}: {rec['id']} rejected: {r.get('error')}")
            elif expect_dup and r["status"] != "duplicate":
                self.errors.append(f"{svc}: {rec['id']} accepted twice")
        return res

    def send_import(self, svc, batch, folder, k):
        """Through cchc-import; a client killed half way is run again on the same file."""
        path = os.path.join(folder, f"import-{svc}-{k}.ndjson")
        with open(path, "w", encoding="utf-8") as f:
            f.write(ndjson(batch))
        while True:
            p = subprocess.Popen([os.path.join(BIN, "cchc-import"), "--url",
                                  self.pipe.urls[svc] + "/v1/records", "--batch", "50",
                                  "--retry-seconds", "600", path],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=self.pipe.env)
            with self.clients_lock:
                self.clients.append(p)
            out, err = p.communicate()
            with self.clients_lock:
                self.clients.remove(p)
            if p.returncode == -signal.SIGKILL:
                self.counts["import_reruns"] += 1
                continue
            if p.returncode != 0 or "rejected 0" not in out:
                self.errors.append(f"{svc}: cchc-import {path}: rc {p.returncode}: {out} {err}")
            break
        os.unlink(path)

    def worker(self, svc, folder):
        rnd = random.Random(f"{self.seed}-{svc}")
        recs = Records(rnd, self.model.units, f"{self.run}{svc[0]}")
        make = getattr(recs, f"{svc}_batch")
        sent = collections.deque(maxlen=100)  # batches to resubmit now and then
        k = 0
        t0 = time.time()
        while not self.stop.is_set():
            k += 1
            if self.rate:  # records/s of this service: wait for the schedule
                ahead = (self.counts[f"{svc}_records"] / self.rate) - (time.time() - t0)
                if ahead > 0 and self.stop.wait(ahead):
                    break
            batch = make(rnd.randrange(20, 200))
            self.counts[f"{svc}_records"] += len(batch)
            if k % 10 == 0:
                self.send_import(svc, batch, folder, k)
                self.counts["import_records"] += len(batch)
            else:
                self.send_http(svc, batch)
                self.counts["http_records"] += len(batch)
            # Every line is acknowledged now (accepted, or duplicate of an
            # earlier attempt whose answer was lost): it must count, once.
            self.model.add([c for _, adds in batch for c in adds])
            if svc == "dossier":
                recs.acked(batch)
            sent.append(batch)
            if rnd.random() < 0.05:
                self.send_http(svc, rnd.choice(sent), expect_dup=True)
                self.counts["resubmitted_batches"] += 1
        # The held resolutions' dossiers go last, so every one is resolved.
        if svc == "dossier" and recs.held:
            batch = [(d["rec"], d["adds"]) for d in recs.held]
            self.send_http(svc, batch)
            self.model.add([c for _, adds in batch for c in adds])
            self.counts["http_records"] += len(batch)


# ---------------------------------------------------------------- the nemesis


FAULTS = ["kill_service", "kill_aggregator", "kill_redis", "pause", "cut_bus", "stall_bus",
          "restart_publisher", "kill_import", "flushall"]


def nemesis(pipe, load, rnd, every, stop, counts):
    """Injects faults until stop; each goes to faults.log with its time, to
    line up with the logs of the processes when something is wrong."""
    journal = open(os.path.join(pipe.T, "faults.log"), "a")
    while not stop.wait(rnd.uniform(every / 2, every * 1.5)):
        pipe.note_crashes()
        kind = rnd.choice(FAULTS)
        journal.write(f"{dt.datetime.now(dt.timezone.utc).isoformat()} {kind}\n")
        journal.flush()
        try:
            if kind == "kill_service":
                pipe.restart(rnd.choice(SERVICES), "kill")
            elif kind == "kill_aggregator":
                pipe.restart("aggregator", "kill")
            elif kind == "kill_redis":
                pipe.procs["redis"].kill9()
                time.sleep(rnd.uniform(0, 1))
                pipe.start_redis()
            elif kind == "flushall":  # Redis is a cache: emptied, it must come back whole
                r = Redis(pipe.redis_sock)
                r.pipeline([["FLUSHALL"]])
                r.close()
            elif kind == "restart_publisher":
                pipe.restart(rnd.choice(SERVICES), "term")
            elif kind == "pause":
                p = pipe.procs[rnd.choice(SERVICES + ["aggregator", "redis"])]
                p.stop()
                time.sleep(rnd.uniform(0.2, 3))
                p.cont()
            elif kind in ("cut_bus", "stall_bus"):
                svc = rnd.choice(SERVICES)
                pipe.relay.set(svc, "cut" if kind == "cut_bus" else "stall")
                time.sleep(rnd.uniform(0.5, 4))
                pipe.relay.set(svc, "up")
            elif kind == "kill_import":
                clients = []
                for _ in range(100):  # a client runs now and then: wait for one
                    with load.clients_lock:
                        clients = list(load.clients)
                    if clients or stop.wait(0.05):
                        break
                if not clients:
                    continue
                rnd.choice(clients).kill()
        except Exception as e:  # a fault that cannot be injected is a failure
            load.errors.append(f"fault {kind}: {e}")
            return
        counts[kind] += 1


# ---------------------------------------------------------------- the check


def scan(r, match):
    keys, cursor = [], "0"
    while True:
        cursor, batch = r.pipeline([["SCAN", cursor, "MATCH", match, "COUNT", 1000]])[0]
        keys += batch
        if int(cursor) == 0:
            return keys


def redis_figures(r, metrics):
    """What Redis holds of the model's metrics (subtree totals): the official
    periods' hashes and every packed day, as {(unit, period): {metric: v}}."""
    got = {}
    fig = KEY_PREFIX + "fig:"
    keys = scan(r, fig + "*")
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        for k, vals in zip(chunk, r.pipeline([["HMGET", k] + metrics for k in chunk])):
            unit, period = k[len(fig):].rsplit(":", 1)
            got[(unit, period)] = {m: int(v) for m, v in zip(metrics, vals) if v is not None}
    # A reader reads the days of the months in a unit's index only, scored
    # with the month's first day: the others count as missing. A day in two
    # months' hashes counts twice, as a reader would count it.
    indexed = set()
    months = KEY_PREFIX + "months:"
    keys = scan(r, months + "*")
    for k, members in zip(keys, r.pipeline([["ZRANGE", k, 0, -1, "WITHSCORES"] for k in keys])):
        if members and not isinstance(members[0], (list, tuple)):  # a flat reply
            members = list(zip(members[::2], members[1::2]))
        for month, score in members:
            if int(float(score)) == month_first_day(month):
                indexed.add((k[len(months):], month))
    days = KEY_PREFIX + "days:"
    keys = scan(r, days + "*")
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        for k, flat in zip(chunk, r.pipeline([["HGETALL", k] for k in chunk])):
            unit, month = k[len(days):].rsplit(":", 1)
            if (unit, month) not in indexed:
                continue
            for day, packed in flat.items():  # redis-py gives HGETALL as a dict
                figs, have = unpack_day(packed), got.setdefault((unit, day), {})
                for m in metrics:
                    if m in figs:
                        have[m] = have.get(m, 0) + figs[m]
    return got


def compare(pipe, model):
    r = Redis(pipe.redis_sock)
    metrics = sorted(model.metrics)
    res = collections.Counter()
    examples = []
    got = redis_figures(r, metrics)
    for k in sorted(set(got) | set(model.fig)):
        exp, have = model.fig.get(k, {}), got.get(k, {})
        for m in metrics:
            g, e = have.get(m, 0), exp.get(m, 0)
            res["figures"] += 1
            if g == e:
                continue
            res["mismatches"] += 1
            res["double_counts" if g > e else "missing"] += 1
            if len(examples) < 10:
                examples.append(f"{k[0]} {k[1]} {m}: expected {e}, redis {g}")
    res["keys"] = len(set(got) | set(model.fig))
    r.close()
    return res, examples


def check_the_checker(pipe, model):
    """A check that cannot fail proves nothing: add 1 to one figure of an
    official period and take 1 from another, add 1 to a figure of a packed
    day, and the comparison must find exactly that, two double counts and one
    missing; then put all back."""
    r = Redis(pipe.redis_sock)
    official = sorted(k for k in model.fig if not is_day(k[1]))  # plain hashes: HINCRBY works
    (u1, p1), (u2, p2) = official[:1] + official[-1:]
    m1, m2 = sorted(model.fig[(u1, p1)])[0], sorted(model.fig[(u2, p2)])[-1]
    k1, k2 = key_fig(u1, p1), key_fig(u2, p2)
    u3, d3 = sorted(k for k in model.fig if is_day(k[1]))[0]
    m3 = sorted(model.fig[(u3, d3)])[0]
    month = periods_of(int(dt.datetime.fromisoformat(d3 + "T12:00:00+07:00").timestamp() * 1000))[1]
    k3 = f"{KEY_PREFIX}days:{u3}:{month}"
    packed = r.pipeline([["HGET", k3, d3]])[0]
    figs = unpack_day(packed)
    figs[m3] += 1
    r.pipeline([["HINCRBY", k1, m1, 1], ["HINCRBY", k2, m2, -1], ["HSET", k3, d3, pack_day(figs)]])
    try:
        cmp, _ = compare(pipe, model)
    finally:
        r.pipeline([["HINCRBY", k1, m1, -1], ["HINCRBY", k2, m2, 1], ["HSET", k3, d3, packed]])
        r.close()
    if (cmp["double_counts"], cmp["missing"]) != (2, 1):
        return (f"FAILED: after +1 on {k1} {m1}, -1 on {k2} {m2} and +1 on {k3} {d3} {m3} the "
                f"comparison found {cmp['double_counts']} double counts and {cmp['missing']} missing")
    return "ok"


def diagnose(pipe):
    """What a failed run leaves to read: where each publisher stands, where
    the aggregator stands, and the last faults."""
    for svc in SERVICES:
        try:
            print(f"== {svc} stats: {json.dumps(pipe.stats(svc), sort_keys=True)}")
        except Exception as e:
            print(f"== {svc} stats: {e}")
    try:
        r = Redis(pipe.redis_sock)
        pos, beat = r.pipeline([["HGETALL", KEY_POS], ["HGETALL", KEY_HEARTBEAT]])
        r.close()
        print(f"== {KEY_POS}: {pos}")
        print(f"== aggregator heartbeat: {beat}")
    except Exception as e:
        print(f"== redis: {e}")
    for name, p in pipe.procs.items():
        print(f"== {name}: " + ("running" if p.alive() else f"exited with {p.p.returncode if p.p else None}"))
    with open(os.path.join(pipe.T, "faults.log")) as f:
        print("== faults.log (tail)\n" + "".join(f.readlines()[-12:]), end="")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60, help="seconds of load and faults")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--fault-every", type=float, default=1.0, help="mean seconds between faults")
    ap.add_argument("--rate", type=float, default=0,
                    help="records/s sent to each service (0: as fast as they answer)")
    ap.add_argument("--journal-max-mb", type=int, default=0,
                    help="journal retention of the services (0: keep everything); cchc-reconcile "
                         "reads the journals and their checkpoints at the end either way")
    ap.add_argument("--catch-up", type=float, default=300, help="seconds allowed to catch up")
    ap.add_argument("--report", help="write the final report (JSON) here too")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    a = ap.parse_args()
    if not BIN or not SRC:
        sys.exit("nemesis: set CCHC_BIN and CCHC_SRC")
    os.environ["PATH"] = BIN + os.pathsep + os.environ["PATH"]
    T = tempfile.mkdtemp(prefix="cchc-nemesis.", dir=os.environ.get("TMPDIR", "/tmp"))
    units_path = os.path.join(SRC, "ops/units/rachgia.tsv")
    model = Model(Units(units_path))
    pipe = Pipeline(T, units_path, a.journal_max_mb)
    ok = False
    try:
        log(f"scratch {T}; seed {a.seed}; {a.duration:.0f} s, a fault every {a.fault_every} s")
        pipe.start_all()
        stop_load, stop_faults = threading.Event(), threading.Event()
        load = Load(pipe, model, a.seed, f"n{a.seed}x{int(time.time())}", stop_load, a.rate)
        faults = collections.Counter()
        workers = [threading.Thread(target=load.worker, args=(svc, T)) for svc in SERVICES]
        for w in workers:
            w.start()
        nem = threading.Thread(target=nemesis, args=(pipe, load, random.Random(a.seed), a.fault_every,
                                                     stop_faults, faults))
        nem.start()
        t0 = time.time()
        while time.time() - t0 < a.duration and nem.is_alive():
            time.sleep(min(10, a.duration - (time.time() - t0)) if a.duration > 10 else 1)
            done = load.counts["http_records"] + load.counts["import_records"]
            log(f"{time.time() - t0:.0f} s: {done} records acknowledged, "
                f"{sum(faults.values())} faults")
        stop_faults.set()
        nem.join()
        # Heal: every process up and running, every bus connection restored.
        for name, p in pipe.procs.items():
            if p.paused:
                p.cont()
        for svc in SERVICES:
            pipe.relay.set(svc, "up")
        stop_load.set()
        for w in workers:
            w.join()
        acked = load.counts["http_records"] + load.counts["import_records"]
        log(f"load stopped: {acked} records acknowledged; catching up")
        t1 = time.time()
        unreplayed = None
        while time.time() - t1 < a.catch_up:
            try:
                pos = pipe.positions()
                unreplayed = sum(max(0, nxt - applied) for _, nxt, applied in pos)
                if unreplayed == 0:
                    break
            except Exception:
                pass
            time.sleep(0.5)
        caught = time.time() - t1
        pipe.note_crashes()
        checker = check_the_checker(pipe, model)
        cmp, examples = compare(pipe, model)
        with open(os.path.join(T, "aggregator.log"), errors="replace") as f:
            redials = sum("dialing again" in line for line in f)
        with open(os.path.join(T, "redis.log"), errors="replace") as f:
            torn_aof = sum("ends in a torn write" in line for line in f)
        compactions = 0
        for svc in SERVICES:
            with open(os.path.join(T, f"{svc}.log"), errors="replace") as f:
                compactions += sum("retention: dropped" in line for line in f)
        rc = subprocess.run([os.path.join(BIN, "cchc-reconcile"), "--units", units_path] +
                            [f"{s}={os.path.join(T, s, 'events.journal')}" for s in SERVICES],
                            env=pipe.env, capture_output=True, text=True)
        report = {
            "seconds": round(a.duration), "seed": a.seed,
            "records_acknowledged": acked,
            "records_http": load.counts["http_records"],
            "records_import": load.counts["import_records"],
            "resubmitted_batches": load.counts["resubmitted_batches"],
            "http_retries": load.counts["http_retries"],
            "import_reruns": load.counts["import_reruns"],
            "faults": sum(faults.values()),
            "faults_by_kind": {k: faults[k] for k in FAULTS},
            "figures_compared": cmp["figures"], "keys_compared": cmp["keys"],
            "mismatches": cmp["mismatches"], "double_counts": cmp["double_counts"],
            "missing": cmp["missing"],
            "unreplayed_events": unreplayed if unreplayed is not None else -1,
            "catch_up_seconds": round(caught, 1),
            "reconcile_exit": rc.returncode,
            "aggregator_redials": redials,
            "redis_torn_writes_cut": torn_aof,
            "journal_max_mb": a.journal_max_mb,
            "journal_compactions": compactions,
            "checker_self_check": checker,
            "crashes": pipe.crashes,
            "errors": load.errors[:20],
        }
        print("nemesis report:")
        print(f"  records acknowledged: {acked} (HTTP {report['records_http']}, "
              f"import {report['records_import']}); batches resubmitted "
              f"{report['resubmitted_batches']}, HTTP retries {report['http_retries']}, "
              f"imports rerun {report['import_reruns']}")
        print(f"  faults: {report['faults']}: " +
              ", ".join(f"{k} {v}" for k, v in report["faults_by_kind"].items()))
        print(f"  compared {cmp['figures']} figures in {cmp['keys']} hashes: "
              f"mismatches {cmp['mismatches']}, double counts {cmp['double_counts']}, "
              f"missing {cmp['missing']}")
        check = (f"cchc-reconcile exit {rc.returncode}" +
                 (f" on journals compacted {compactions} times" if a.journal_max_mb else ""))
        print(f"  unreplayed gaps: {report['unreplayed_events']} events "
              f"(caught up in {report['catch_up_seconds']} s); {check}; "
              f"silent sources redialed {redials}; torn Redis writes cut {torn_aof}")
        for e in examples:
            print(f"  e.g. {e}")
        for e in load.errors[:20]:
            print(f"  error: {e}")
        for c in pipe.crashes:
            print(f"  crash: {c}")
        if rc.returncode != 0:
            print(rc.stdout[-2000:], rc.stderr[-2000:])
        print(f"  the check itself: {checker}")
        print(json.dumps(report, sort_keys=True))
        if a.report:
            with open(a.report, "w") as f:
                json.dump(report, f, indent=1, sort_keys=True)
        ok = (checker == "ok" and cmp["mismatches"] == 0 and report["unreplayed_events"] == 0 and not load.errors
              and not pipe.crashes
              and rc.returncode == 0 and acked > 0)
    finally:
        if not ok:
            diagnose(pipe)
        pipe.shutdown()
        if not ok:
            for name in ["aggregator"] + SERVICES + ["redis"]:
                path = os.path.join(T, f"{name}.log")
                if os.path.exists(path):
                    print(f"== {path} (tail)")
                    with open(path, errors="replace") as f:
                        print("".join(f.readlines()[-30:]), end="")
        if a.keep or not ok:
            print(f"nemesis: scratch folder kept: {T}")
        else:
            shutil.rmtree(T, ignore_errors=True)
    print("nemesis: " + ("ok" if ok else "FAILED"))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
