#!/usr/bin/python3
"""pipeline_seed.py: the seed of test_pipeline_aws.sh and its own figures.

  pipeline_seed.py write SEED TRUTH   a seed (a small catalog, Glue jobs with
                                      runs over more than 7 days, a trigger,
                                      state machines) dated from now, and the
                                      figures laketop must give for it,
                                      computed here from the seed alone
  pipeline_seed.py check TRUTH JSON   compares laketop's --once --format json
                                      with them; one "ok"/"not ok" line each

The expected figures come from the seed's runs, as Glue and Step Functions
define them: a job's state is its newest run's, failures_7d counts FAILED,
ERROR and TIMEOUT (TIMED_OUT for executions) runs started in the last 7
days (no run within an hour of that bound), 30 runs are kept, newest first;
a daily cron at the minute 3 hours after now next fires at that minute.
"""

import datetime
import json
import sys
import time

FAILED = ("FAILED", "ERROR", "TIMEOUT", "TIMED_OUT")
WEEK = 7 * 86400


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def away_from_week(now, t):
    """Moves t by an hour when it is within an hour of now - 7 days."""
    return t - 3600 if abs(t - (now - WEEK)) < 3600 else t


def write(seed_path, truth_path):
    now = int(time.time())
    jobs = []
    # 40 runs, one every 6 hours (10 days): the newest FAILED, a TIMEOUT and
    # a FAILED every 7th further back, the rest SUCCEEDED
    runs = []
    for i in range(40):
        started = away_from_week(now, now - 1800 - i * 6 * 3600)
        state = "FAILED" if i == 0 or i % 7 == 3 else "TIMEOUT" if i == 5 else "SUCCEEDED"
        run = {"id": f"jr_compact_{i:02d}", "state": state, "started": started, "seconds": 60 + i * 7,
               "dpu_seconds": (60 + i * 7) * 2}
        if state == "FAILED":
            run["error"] = "An error occurred while calling o112.pyWriteDynamicFrame. Access Denied" if i == 0 \
                else f"run {i} failed"
        if state == "TIMEOUT":
            run["error"] = "Job run timed out after 2880 minutes"
        runs.append(run)
    jobs.append({"Name": "compact_orders", "Description": "compacts the orders table",
                 "runs": runs, "start_outcome": "SUCCEEDED", "start_polls": 3})
    jobs.append({"Name": "load_events", "start_outcome": "FAILED",
                 "start_error": "Out of memory: the executor died", "start_polls": 1,
                 "runs": [{"id": "jr_load_0", "state": "TIMEOUT", "started": now - 4 * 3600, "seconds": 3600,
                           "error": "Job run timed out"},
                          {"id": "jr_load_1", "state": "SUCCEEDED", "started": now - 28 * 3600, "seconds": 1500}]})
    jobs.append({"Name": "daily_report", "Description": "the morning report",
                 "runs": [{"id": f"jr_daily_{i}", "state": "FAILED" if i == 8 else "SUCCEEDED",
                           "started": now - 3 * 3600 - i * 86400, "seconds": 300 + i,
                           **({"error": "old failure"} if i == 8 else {})} for i in range(10)]})
    jobs.append({"Name": "backfill",
                 "runs": [{"id": "jr_backfill_0", "state": "WAITING", "started": now - 45 * 60},
                          {"id": "jr_backfill_1", "state": "SUCCEEDED", "started": now - 3 * 86400, "seconds": 42}]})
    jobs.append({"Name": "never_ran"})
    # fires every day at the minute 3 hours from now (no refresh straddles it)
    fire = now + 3 * 3600 - now % 60
    fire_at = datetime.datetime.fromtimestamp(fire, datetime.timezone.utc)
    triggers = [{"Name": "nightly", "Schedule": f"cron({fire_at.minute} {fire_at.hour} * * ? *)",
                 "jobs": ["compact_orders"]},
                {"Name": "off", "Schedule": "cron(0 5 * * ? *)", "State": "DEACTIVATED", "jobs": ["daily_report"]},
                {"Name": "after", "Type": "CONDITIONAL", "jobs": ["daily_report"]}]
    machines = [
        {"name": "nightly_etl", "executions": [
            {"name": f"n{i}", "status": "FAILED" if i in (0, 4) else "TIMED_OUT" if i == 9 else "SUCCEEDED",
             "started": now - 7200 - i * 86400, "stopped": now - 7200 - i * 86400 + 600 + i,
             **({"error": "States.TaskFailed", "cause": "Lambda compact returned 500"} if i == 0 else {})}
            for i in range(12)]},
        {"name": "hourly_sync", "executions": [
            {"name": f"h{i}", "status": "SUCCEEDED", "started": now - 600 - i * 3600,
             "stopped": now - 600 - i * 3600 + 30 + i} for i in range(45)]},
        {"name": "stream_express", "type": "EXPRESS", "executions": [
            {"name": "x0", "status": "FAILED", "started": now - 60, "stopped": now - 50}]},
    ]
    seed = {
        "databases": [{"Name": "sales", "LocationUri": "s3://lake/sales/", "tables": [
            {"Name": "orders", "TableType": "EXTERNAL_TABLE",
             "Parameters": {"classification": "parquet"},
             "StorageDescriptor": {"Location": "s3://lake/sales/orders/", "Columns": [{"Name": "id", "Type": "bigint"}]}}]}],
        "buckets": {"lake": {"objects": [{"key": "sales/orders/part-0.parquet", "size": 1000},
                                         {"key": "sales/orders/part-1.parquet", "size": 2000}]}},
        "glue_jobs": jobs, "triggers": triggers, "state_machines": machines,
    }
    truth = {"now": now, "jobs": [], "state_machines": [], "tables": ["sales.orders"]}

    def figures(name, kind, runs, state_key, schedule=None, description=None, express=False):
        ordered = sorted(runs, key=lambda r: -r["started"])
        newest = ordered[0] if ordered else None
        out = {"name": name, "kind": kind,
               "state": newest[state_key] if newest else None,
               "started_at": iso(newest["started"]) if newest else None,
               "error": None, "failures_7d": sum(1 for r in ordered if r[state_key] in FAILED and r["started"] >= now - WEEK),
               "runs": [r["id"] for r in ordered[:30]], "schedule": schedule, "description": description}
        if newest:
            if "seconds" in newest:
                out["duration_seconds"] = newest["seconds"]
            elif "stopped" in newest:
                out["duration_seconds"] = newest["stopped"] - newest["started"]
            else:
                out["duration_at_least"] = now - newest["started"]
            if kind == "glue":
                out["error"] = newest.get("error")
            elif newest.get("error") or newest.get("cause"):
                out["error"] = ": ".join(x for x in (newest.get("error"), newest.get("cause")) if x)
        return out

    for j in sorted(jobs, key=lambda j: j["Name"]):
        sched = [t["Schedule"] for t in triggers if j["Name"] in t["jobs"] and t.get("Type", "SCHEDULED") == "SCHEDULED"
                 and t.get("State", "ACTIVATED") == "ACTIVATED"]
        out = figures(j["Name"], "glue", j.get("runs", []), "state", sched[0] if sched else None, j.get("Description"))
        # the next firing of a daily schedule 3 hours from now is that minute today or tomorrow: `fire`
        out["next_run"] = iso(fire) if sched else None
        truth["jobs"].append(out)
    arn = "arn:aws:states:us-east-1:123456789012:execution:%s:%s"
    for m in sorted(machines, key=lambda m: m["name"]):
        if m.get("type") == "EXPRESS":
            continue
        runs = [dict(e, id=arn % (m["name"], e["name"])) for e in m["executions"]]
        truth["state_machines"].append(figures(m["name"], "states", runs, "status"))
    with open(seed_path, "w") as f:
        json.dump(seed, f, indent=1)
    with open(truth_path, "w") as f:
        json.dump(truth, f, indent=1)


def check(truth_path, json_path):
    truth = json.load(open(truth_path))
    got = json.load(open(json_path))
    bad = 0

    def say(good, what):
        nonlocal bad
        print(("ok" if good else "not ok") + " - " + what)
        bad += 0 if good else 1

    for part in ("jobs", "state_machines"):
        have = {j["name"]: j for j in got.get(part) or []}
        say(sorted(have) == [j["name"] for j in truth[part]], f"{part}: {sorted(have)}")
        for want in truth[part]:
            j = have.get(want["name"])
            if j is None:
                continue
            diffs = []
            for key in ("kind", "state", "started_at", "error", "failures_7d", "schedule", "next_run", "description",
                        "duration_seconds"):
                if key in want and j.get(key) != want[key]:
                    diffs.append(f"{key}: {j.get(key)!r}, want {want[key]!r}")
            if "duration_at_least" in want and not (isinstance(j.get("duration_seconds"), int)
                                                    and j["duration_seconds"] >= want["duration_at_least"]):
                diffs.append(f"duration_seconds {j.get('duration_seconds')!r} < {want['duration_at_least']}")
            ids = [r["id"] for r in j.get("runs", [])]
            if ids != want["runs"]:
                diffs.append(f"runs: {len(ids)} {ids[:3]}..., want {len(want['runs'])} {want['runs'][:3]}...")
            if j.get("read_error") is not None:
                diffs.append(f"read_error: {j['read_error']}")
            say(not diffs, f"{part} {want['name']}: {want['state']}, {want['failures_7d']} failures in 7 days, "
                f"{len(want['runs'])} runs" + ("; " + "; ".join(diffs) if diffs else ""))
    tables = sorted(f"{t['database']}.{t['name']}" for t in got.get("tables", []))
    say(tables == truth["tables"], f"tables {tables}")
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
