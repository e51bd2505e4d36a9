#!/usr/bin/python3
"""Acknowledgement-to-Redis latency at a steady rate (ops/bench).

Posts `received` dossier records for today to a cchc-dossier service at
--rate records a second, in --batch-record requests from --senders threads,
and watches field SERVICE/EPOCH of cchc:v2:pos in Redis: a request's events
are visible once it reaches the `to` the service answered. Prints one JSON
line: the rate reached, and p50/p99/max of the latency in milliseconds.
Runs with Debian's python3 (python3-redis)."""
import argparse, heapq, os, http.client, json, random, re, sys, threading, time, urllib.parse
import redis

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--url', required=True, help='the service, http://HOST:PORT')
p.add_argument('--redis-socket', required=True)
p.add_argument('--units', required=True, help='registry TSV: communes are picked from it')
p.add_argument('--rate', type=int, default=100000)
p.add_argument('--batch', type=int, default=1000)
p.add_argument('--seconds', type=float, default=20)
p.add_argument('--senders', type=int, default=2)
a = p.parse_args()

rows = [l.split('\t') for l in open(a.units, encoding='utf-8') if not l.startswith('#')]
communes = [f[0] for f in rows if len(f) >= 3 and f[1] == 'commune']
rng = random.Random(5)
day = time.strftime('%Y-%m-%d', time.gmtime(time.time() + 7 * 3600))
now = time.strftime('%H:%M:%S', time.gmtime(time.time() + 7 * 3600))
due = time.strftime('%Y-%m-%d', time.gmtime(time.time() + 7 * 3600 + 10 * 86400))
templates = []
for t in range(16):  # ids get the batch number in place of @@: every record is new
    lines = []
    for i in range(a.batch):
        u = rng.choice(communes)
        lines.append('{"id":"lat@@-%d","type":"received","unit":"%s","at":"%sT%s+07:00",'
                     '"dossier":"L@@-%d","procedure":"1.%03d","field":"f","channel":"online",'
                     '"due":"%sT17:00:00+07:00"}' % (i, u, day, now, i, i % 50, due))
    templates.append(('\n'.join(lines) + '\n').encode())

host = urllib.parse.urlparse(a.url)
# The source's token (ops/README.md, "Sources and tokens"), from the file
# CCHC_TOKEN_FILE names: tests/lib.sh and ops/bench make one.
with open(os.environ['CCHC_TOKEN_FILE']) as f:
    HEADERS = {'Content-Type': 'application/x-ndjson', 'Authorization': 'Bearer ' + f.read().strip()}
r = redis.Redis(unix_socket_path=a.redis_socket)
waiting, lock, latencies, failures = [], threading.Lock(), [], []
interval = a.batch * a.senders / a.rate  # seconds between one sender's requests
stop_at = time.monotonic() + a.seconds
sent = [0]
run = b'%x' % int(time.time() * 1000)  # ids unique across runs
FIELD = re.compile(rb'"events":\{"epoch":"([0-9a-f]+)","from":(\d+),"to":(\d+)\}')


def sender(k):
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    n, t_next = 0, time.monotonic()
    while t_next < stop_at:
        body = templates[n % 16].replace(b'@@', b'%s.%d.%d' % (run, k, n))
        conn.request('POST', '/v1/records', body, HEADERS)
        resp = conn.getresponse()
        text = resp.read()
        t_ack = time.monotonic()
        m = FIELD.search(text)
        if resp.status != 200 or not m or b'"accepted":%d' % a.batch not in text:
            failures.append(text[:200])
            return
        with lock:
            heapq.heappush(waiting, (int(m.group(3)), t_ack, m.group(1).decode()))
            sent[0] += a.batch
        n += 1
        t_next += interval
        delay = t_next - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def watcher():
    field = None
    give_up = stop_at + 600  # every request is seen or the run fails: no silent tail
    while time.monotonic() < give_up:
        with lock:
            if not waiting:
                done = time.monotonic() > stop_at and not any(t.is_alive() for t in senders)
                if done:
                    return
            elif field is None:
                field = 'dossier/' + waiting[0][2]
        if field is None:
            time.sleep(0.001)
            continue
        pos = int(r.hget('cchc:v2:pos', field) or 0)
        t = time.monotonic()
        with lock:
            while waiting and waiting[0][0] <= pos:
                latencies.append(t - heapq.heappop(waiting)[1])
        time.sleep(0.0005)


senders = [threading.Thread(target=sender, args=(k,)) for k in range(a.senders)]
t0 = time.monotonic()
for t in senders:
    t.start()
w = threading.Thread(target=watcher)
w.start()
for t in senders:
    t.join()
t1 = time.monotonic()
w.join()
if failures or not latencies or waiting:
    print('latency.py: %s' % ('a request failed: %r' % (failures[:1],) if failures else
                               '%d requests never became visible' % len(waiting)), file=sys.stderr)
    sys.exit(1)
latencies.sort()
ms = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1)
print(json.dumps({'records_per_s': round(sent[0] / (t1 - t0)), 'requests': len(latencies),
                  'p50_ms': ms(0.50), 'p99_ms': ms(0.99), 'max_ms': round(latencies[-1] * 1000, 1)}))
