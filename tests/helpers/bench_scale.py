#!/usr/bin/python3
"""bench_scale.py ROOT: tests/bench_scale.sh (make bench-scale, part of make
bench). On the test endpoint (tests/fixtures/aws_endpoint.py, LATENCY_MS a
request, default 50) with a synthetic lake of 10 million objects at SCALE=1
(tests/helpers/bench_scale_seed.py: 40 tables of 365 daily partitions, 4 flat
tables), laketop --once is measured for (a) a full refresh with a fresh
state, (b) the second refresh of the unchanged lake, (c) a refresh after one
new partition per table (the endpoint restarted with a 366th day: the older
objects are the same), (d) inventory-based refreshes (a report of the whole
lake written by tests/bench/inventory_gen.c), also on a lake ten times
smaller; then a 100-million-row report (100 tables, cached in
BENCH_INV_CACHE) aggregated by laketop without Athena. For each: requests
(laketop's total and by kind, and the endpoint's own count by operation),
wall time, CPU (user+sys) and peak RSS of laketop, and whether its figures
equal the ones the specs give (synthetic_lake.py's truth, the generator's
sums). Prints figures, asserts nothing. BENCH_SCALE_MD=FILE: the summary as
a Markdown table too."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
import synthetic_lake  # noqa: E402

PY = "/usr/bin/python3"
LAKETOP = os.path.join(ROOT, "build", "laketop")
GEN = os.path.join(ROOT, "build", "bench", "inventory_gen")
SCALE = float(os.environ.get("SCALE", "1"))
LATENCY = float(os.environ.get("LATENCY_MS", "50"))
CACHE = os.environ.get("BENCH_INV_CACHE", "/tmp/laketop-bench-inv100m")
INV_VERSION = "v1"  # bump when the 100M report's layout or spec changes
KEY, SECRET = "AKIDLAKETOPTEST", "laketop/test/secret/key+with/special=chars"
WORK = tempfile.mkdtemp(prefix="laketop-bench-scale-")
REPORT_DATE = "2026-12-02T01-00Z"
T0 = time.monotonic()
ENDPOINTS = []
ROWS = []  # the summary: (label, record)


def say(msg):
    print(f"[{time.monotonic() - T0:6.0f} s] {msg}", flush=True)


def base_env(state):
    env = {k: v for k, v in os.environ.items()
           if k not in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL")}
    home = os.path.join(WORK, "home")
    os.makedirs(home, exist_ok=True)
    env.update(HOME=home, XDG_STATE_HOME=state, XDG_DATA_HOME=os.path.join(WORK, "data"),
               XDG_CONFIG_HOME=os.path.join(WORK, "config"), AWS_EC2_METADATA_DISABLED="true",
               AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET)
    return env


def proc_status(pid, field):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1])  # kB
    except OSError:
        pass
    return None


class Endpoint:
    def __init__(self, name, seed, port=0):
        self.name = name
        self.port_file = os.path.join(WORK, f"{name}.port")
        self.log = os.path.join(WORK, f"{name}.requests.log")
        t = time.monotonic()
        self.proc = subprocess.Popen(
            [PY, os.path.join(ROOT, "tests", "fixtures", "aws_endpoint.py"), "--seed", seed, "--port", str(port),
             "--port-file", self.port_file, "--latency-ms", str(LATENCY), "--request-log", self.log],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(WORK, f"{name}.err"), "w"))
        ENDPOINTS.append(self)
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None:
                sys.exit(f"the endpoint {name} did not start: " + open(os.path.join(WORK, f"{name}.err")).read())
            time.sleep(0.05)
        self.startup = time.monotonic() - t
        self.port = int(open(self.port_file).read().strip())
        self.url = f"http://127.0.0.1:{self.port}"
        self.rss_start = proc_status(self.proc.pid, "VmRSS")

    def log_lines(self):
        try:
            with open(self.log, encoding="utf-8") as f:
                return f.readlines()
        except OSError:
            return []

    def stop(self):
        if self.proc.poll() is None:
            self.peak = proc_status(self.proc.pid, "VmHWM")
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait()
        if self in ENDPOINTS:
            ENDPOINTS.remove(self)
        return getattr(self, "peak", None)


def run_laketop(label, ep, state, args=(), config=None):
    before = len(ep.log_lines())
    out = os.path.join(WORK, label.split()[0].strip("()") + ".json")
    cmd = [LAKETOP, "--endpoint-url", ep.url, "--once"] + list(args)
    if config:
        cmd += ["--config", config]
    t = time.monotonic()
    with open(out, "w") as so, open(out + ".err", "w") as se:
        p = subprocess.Popen(cmd, stdout=so, stderr=se, env=base_env(state))
        _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    ops = {}
    list_ms = []
    for line in ep.log_lines()[before:]:
        entry = json.loads(line)
        op = entry.get("op")
        ops[op] = ops.get(op, 0) + 1
        if op == "ListObjectsV2" and entry.get("ms") is not None:
            list_ms.append(entry["ms"])
    try:
        doc = json.load(open(out))
    except ValueError:
        doc = {}
        say(f"{label}: laketop exited {status >> 8}: " + open(out + ".err").read()[-500:])
    return {"label": label, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": ru.ru_maxrss,
            "requests": doc.get("requests"), "by_kind": doc.get("requests_by_kind") or {}, "ops": ops,
            "list_ms": sorted(list_ms),
            "doc": doc, "exit": status >> 8}


def usd(ops):
    """S3 list prices: LIST $0.005 / 1,000 (ListObjects and ListMultipartUploads
    alike), GET $0.0004 / 1,000 (Glue's first million requests a month are
    free, $1 a million after: not counted)."""
    lists = sum(n for op, n in ops.items()
                if op in ("ListObjectsV2", "ListObjects", "ListMultipartUploads", "ListParts"))
    gets = sum(n for op, n in ops.items() if op in ("GetObject", "HeadObject"))
    return lists * 0.005 / 1000 + gets * 0.0004 / 1000


def check(rec, want):
    """How many tables have the figures the specs give: objects, bytes, markers."""
    tables = rec["doc"].get("tables", [])
    good = 0
    bad = []
    for t in tables:
        w = want.get(t.get("location"))
        got = (t.get("objects"), t.get("bytes"), t.get("marker_objects"))
        if w and got == (w["objects"], w["bytes"], w["marker_objects"]):
            good += 1
        elif len(bad) < 3:
            bad.append(f"{t.get('name')}: {got} want {w and (w['objects'], w['bytes'], w['marker_objects'])}")
    rec["figures"] = f"{good}/{len(want)}"
    rec["objects"] = sum(t.get("objects") or 0 for t in tables)
    kinds = sorted({(t.get("provenance") or {}).get("kind") for t in tables} - {None})
    rec["provenance"] = ",".join(kinds)
    if bad:
        say("  figures that differ: " + "; ".join(bad))


def show(rec):
    k = rec["by_kind"]
    ops = ", ".join(f"{op} {n}" for op, n in sorted(rec["ops"].items(), key=lambda x: -x[1]))
    say(f"{rec['label']}: {rec['requests']} requests (listing {k.get('listing')}, catalog {k.get('catalog')}, "
        f"metadata {k.get('metadata')}, athena {k.get('athena')}, pipeline {k.get('pipeline')}), "
        f"{rec['wall']:.1f} s wall, CPU {rec['cpu']:.2f} s, peak RSS {rec['rss_kb'] / 1024:.1f} MiB, "
        f"{rec.get('objects', 0):,} objects, figures equal the spec's for {rec.get('figures')} tables, "
        f"provenance {rec.get('provenance')}, ${usd(rec['ops']):.5f} of S3 requests")
    say(f"  the endpoint's count: {sum(rec['ops'].values())} requests ({ops})")
    unkinded = (rec["requests"] or 0) - sum(v or 0 for v in k.values())
    if unkinded:
        say(f"  {unkinded} of laketop's requests are in none of requests_by_kind's kinds")
    ms = rec["list_ms"]
    if len(ms) >= 10:
        say(f"  the endpoint's own time per ListObjectsV2 (its log, latency apart): median {ms[len(ms) // 2]:.1f} ms, "
            f"90th percentile {ms[len(ms) * 9 // 10]:.1f} ms, {sum(ms) / 1000:.1f} s in all")
    ROWS.append(rec)


def page_probe(ep, bucket, salt):
    """The endpoint's own time for a 1,000-key page (each page at another
    start-after: not from the endpoint's cache of answers), median of 20,
    with the latency taken off."""
    import http.client
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    url = urllib.parse.urlparse(ep.url)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    creds = Credentials(KEY, SECRET)
    times = []
    for i in range(20):
        after = f"t{(i * 7) % 40:02d}/dt=2026-0{1 + i % 9}-1{i % 10}/part-00{i + salt:03d}.parquet"
        path = f"/{bucket}?encoding-type=url&list-type=2&start-after={urllib.parse.quote(after, safe='')}"
        req = AWSRequest(method="GET", url=ep.url + path)
        S3SigV4Auth(creds, "s3", "us-east-1").add_auth(req)
        t = time.monotonic()
        conn.request("GET", path, headers=dict(req.headers.items()))
        r = conn.getresponse()
        r.read()
        times.append((time.monotonic() - t) * 1000 - LATENCY)
    times.sort()
    return times[10]


def main():
    free = shutil.disk_usage("/tmp").free / 2**30
    say(f"bench_scale: SCALE={SCALE}, {LATENCY:.0f} ms latency a request, {os.cpu_count()} cores, "
        f"{free:.0f} GiB free in /tmp, laketop {LAKETOP}")
    seed_helper = os.path.join(ROOT, "tests", "helpers", "bench_scale_seed.py")
    inv_dir = os.path.join(WORK, "inv")
    os.makedirs(inv_dir)
    seeds = {}
    for name, days, scale, inv in (("a", 365, SCALE, None), ("c", 366, SCALE, None), ("d", 366, SCALE, inv_dir),
                                   ("small", 366, SCALE / 10, inv_dir + "-small")):
        seeds[name] = os.path.join(WORK, f"seed-{name}.json")
        subprocess.run([PY, seed_helper, seeds[name], "--scale", str(scale), "--days", str(days)] +
                       (["--inventory-dir", inv] if inv else []), check=True)
    truth_a = synthetic_lake.truth(json.load(open(seeds["a"]))["synthetic"])
    truth_c = synthetic_lake.truth(json.load(open(seeds["c"]))["synthetic"])
    n_a = sum(w["objects"] + w["marker_objects"] for w in truth_a.values())
    n_c = sum(w["objects"] + w["marker_objects"] for w in truth_c.values())
    floor = (3 + n_a / 1000 / 32) * LATENCY / 1000
    say(f"lake: 44 tables (40 of 365 daily partitions, 4 flat), {n_a:,} objects in bucket scale-lake; "
        f"the latency floor of a full listing: (3 + {n_a / 1000:,.0f} pages / 32 streams) x {LATENCY:.0f} ms = {floor:.1f} s")

    ep = Endpoint("a", seeds["a"])
    say(f"endpoint: started in {ep.startup:.2f} s, RSS {ep.rss_start / 1024:.0f} MiB with {n_a:,} synthetic objects")
    ms = page_probe(ep, "scale-lake", 0)
    say(f"endpoint: its own time for a cold 1,000-key page, signature check included: {ms:.1f} ms "
        f"(median of 20 pages at 20 start-after keys; at 32 streams laketop asks for a page every {LATENCY / 32:.1f} ms)")
    t = time.monotonic()
    run_laketop("warm-up", ep, os.path.join(WORK, "state-warm-up"), ["--full"])
    say(f"endpoint: warmed up by a full listing of the lake, not counted ({time.monotonic() - t:.0f} s; it keeps "
        f"every partition's page text: RSS now {proc_status(ep.proc.pid, 'VmRSS') / 1024:.0f} MiB)")
    ms = page_probe(ep, "scale-lake", 20)
    say(f"endpoint: its own time for a warm 1,000-key page, signature check included: {ms:.1f} ms")
    state = os.path.join(WORK, "state")
    rec = run_laketop("(a) full refresh, fresh state (--once --full)", ep, state, ["--full"])
    check(rec, truth_a)
    show(rec)
    a = rec
    rec = run_laketop("(b) second refresh, unchanged lake (--once)", ep, state)
    check(rec, truth_a)
    show(rec)
    b = rec
    if a["requests"] and b["requests"] is not None:
        la, lb = a["by_kind"].get("listing") or 0, b["by_kind"].get("listing") or 0
        say(f"(b)/(a): {b['requests'] / a['requests']:.3f} of the requests ({b['requests']} / {a['requests']}), "
            f"{lb / max(1, la):.3f} of the listing requests ({lb} / {la}); the acceptance: at most 0.1")
    peak = ep.stop()
    say(f"endpoint a: peak RSS {peak / 1024:.0f} MiB" if peak else "endpoint a stopped")

    # the same port: laketop keeps its state per source, and the source is the endpoint's URL
    ep = Endpoint("c", seeds["c"], port=ep.port)
    say(f"endpoint restarted on the same port with a 366th day in every partitioned table ({n_c - n_a:,} new objects)")
    rec = run_laketop("(c) after one new partition per table (--once)", ep, state)
    check(rec, truth_c)
    show(rec)
    ep.stop()

    say(f"writing the inventory report of the {n_c:,}-object lake (tests/bench/inventory_gen.c)...")
    t = time.monotonic()
    inv = {}
    for name, d in (("d", inv_dir), ("small", inv_dir + "-small")):
        r = subprocess.run([PY, os.path.join(ROOT, "tests", "helpers", "bench_inventory.py"), seeds[name], d,
                            "scale-lake", "cfg", REPORT_DATE, "8", GEN], capture_output=True, text=True, check=True)
        inv[name] = json.loads(r.stdout)
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(inv_dir) for f in fs)
    say(f"  written in {time.monotonic() - t:.1f} s ({size / 2**20:.0f} MiB of CSV.gz for {n_c:,} rows, "
        f"and the report of the lake ten times smaller)")
    config = os.path.join(WORK, "inventory.ini")
    open(config, "w").write("[laketop]\ninventory = s3://inv/scale-lake/cfg/\n")
    say("(d) and (d') are the streamed aggregation on this machine; (d-athena) the smaller report through "
        "the endpoint's Athena")
    for name, label in (("d", "(d) inventory refresh, fresh state"), ("small", "(d') the same, lake ten times smaller")):
        ep = Endpoint(name, seeds[name])
        st = os.path.join(WORK, f"state-{name}")
        rec = run_laketop(label, ep, st, config=config)
        check(rec, inv[name])
        show(rec)
        rec = run_laketop(label.replace("fresh state", "second run") if name == "d" else
                          "(d'') the same, second run, smaller lake", ep, st, config=config)
        check(rec, inv[name])
        show(rec)
        ep.stop()
    # through Athena: the endpoint's Athena (tests/fixtures/aws_athena_sql.py,
    # sqlite3 in Python: far slower than Athena, so its wall time is the
    # fixture's) aggregates the smaller lake's report; laketop's requests,
    # CPU and memory are its own
    if os.environ.get("BENCH_ATHENA", "1") != "0":
        config_a = os.path.join(WORK, "inventory-athena.ini")
        open(config_a, "w").write("[laketop]\ninventory = s3://inv/scale-lake/cfg/\nathena_workgroup = primary\n")
        ep = Endpoint("athena", seeds["small"])
        rec = run_laketop("(d-athena) the smaller lake's report through Athena (the endpoint's sqlite3)", ep,
                          os.path.join(WORK, "state-athena"), config=config_a)
        check(rec, inv["small"])
        show(rec)
        a_inv = rec["doc"].get("inventory") or {}
        say(f"  Athena: {a_inv.get('athena_queries')} query, {a_inv.get('athena_scanned_bytes')} bytes scanned, "
            f"{a_inv.get('athena_billed_bytes')} billed, ${a_inv.get('athena_usd')}; "
            f"{rec['ops'].get('GetQueryExecution', 0)} polls, {rec['ops'].get('GetQueryResults', 0)} result pages; "
            f"inventory_error {rec['doc'].get('inventory_error')!r}")
        ep.stop()
    big = [r for r in ROWS if r["label"] in ("(d) inventory refresh, fresh state", "(d') the same, lake ten times smaller")]
    if len(big) == 2:
        say(f"inventory refresh requests: {big[0]['requests']} for {n_c:,} objects, {big[1]['requests']} for "
            f"{sum(w['objects'] + w['marker_objects'] for w in inv['small'].values()):,} objects")

    hundred_million()
    summary(a, n_a, n_c)


def hundred_million():
    rows_wanted = int(100_000_000 * SCALE)
    per = max(1, round(rows_wanted / 100 / 365) - 1)  # and a _SUCCESS a day
    tables, synthetic = [], []
    for i in range(100):
        name = f"e{i:03d}"
        tables.append({"Name": name, "PartitionKeys": [{"Name": "dt", "Type": "string"}],
                       "Parameters": {"classification": "parquet"},
                       "StorageDescriptor": {"Location": f"s3://big-lake/{name}/", "Columns": []}})
        synthetic.append({"bucket": "big-lake", "prefix": f"{name}/dt=", "start": "2025-12-01", "days": 365,
                          "files_per_day": per, "vary": per // 10, "size": 20000 + 500 * i, "size_spread": 400000,
                          "marker": True, "seed": 1000 + i})
    tsv = synthetic_lake.spec_tsv(synthetic)
    import hashlib
    tag = hashlib.md5((INV_VERSION + tsv).encode()).hexdigest()[:12]
    cache = f"{CACHE}-{INV_VERSION}-{tag}"
    seed = os.path.join(WORK, "seed-100m.json")
    json.dump({"databases": [{"Name": "big", "LocationUri": "s3://big-lake/", "tables": tables}],
               "synthetic": synthetic, "files": [{"bucket": "inv", "prefix": "", "dir": cache}]}, open(seed, "w"))
    sums_file = os.path.join(cache, "sums.json")
    if not os.path.exists(sums_file):
        free = shutil.disk_usage(os.path.dirname(cache) or "/").free / 2**30
        if free < 6:
            say(f"100M rows: not generated, only {free:.1f} GiB free under {os.path.dirname(cache)}")
            return
        for old in os.listdir(os.path.dirname(cache) or "/"):  # other versions of the cache
            full = os.path.join(os.path.dirname(cache), old)
            if full.startswith(CACHE + "-") and full != cache:
                shutil.rmtree(full, ignore_errors=True)
        say(f"100M rows: writing the report once into {cache} (tests/bench/inventory_gen.c, 24 files)...")
        t = time.monotonic()
        tmp = cache + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        r = subprocess.run([PY, os.path.join(ROOT, "tests", "helpers", "bench_inventory.py"), seed, tmp,
                            "big-lake", "cfg", REPORT_DATE, "24", GEN], capture_output=True, text=True, check=True)
        open(os.path.join(tmp, "sums.json"), "w").write(r.stdout)
        os.replace(tmp, cache)
        say(f"  written in {time.monotonic() - t:.0f} s")
    sums = json.load(open(sums_file))
    rows = sum(w["objects"] + w["marker_objects"] for w in sums.values())
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(cache) for f in fs)
    say(f"100M rows: the report: {rows:,} rows in {size / 2**30:.2f} GiB of CSV.gz (cached in {cache})")
    ep = Endpoint("big", seed)
    config = os.path.join(WORK, "inventory-big.ini")
    open(config, "w").write("[laketop]\ninventory = s3://inv/big-lake/cfg/\n")
    rec = run_laketop("(e) 100M-row inventory, streamed without Athena", ep, os.path.join(WORK, "state-big"),
                      config=config)
    check(rec, sums)
    show(rec)
    say(f"(e): {rows / rec['wall'] / 1e6:.2f} million rows/s over the wall time, "
        f"{rows / max(rec['cpu'], 1e-9) / 1e6:.2f} million rows per CPU second, peak RSS {rec['rss_kb'] / 1024:.1f} MiB")
    peak = ep.stop()
    if peak:
        say(f"endpoint big: peak RSS {peak / 1024:.0f} MiB (the report is streamed from disk)")
    rec["rows"] = rows


def summary(a, n_a, n_c):
    lines = ["| run | objects | requests (listing / catalog / other) | S3 $ a refresh | wall s | laketop CPU s | peak RSS MiB | figures exact |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in ROWS:
        k = r["by_kind"]
        other = (r["requests"] or 0) - (k.get("listing") or 0) - (k.get("catalog") or 0)
        lines.append(f"| {r['label']} | {r.get('objects', 0):,} | {r['requests']} ({k.get('listing')} / "
                     f"{k.get('catalog')} / {other}) | ${usd(r['ops']):.5f} | {r['wall']:.1f} | {r['cpu']:.2f} | "
                     f"{r['rss_kb'] / 1024:.0f} | {r.get('figures')} |")
    print("\n".join(lines), flush=True)
    md = os.environ.get("BENCH_SCALE_MD")
    if md:
        open(md, "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    try:
        main()
    finally:
        for e in list(ENDPOINTS):
            e.stop()
        shutil.rmtree(WORK, ignore_errors=True)
        say("done")
