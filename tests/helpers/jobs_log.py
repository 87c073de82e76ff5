"""jobs_log.py: a local lake's LAKE/.laketop/jobs.jsonl as the tests read it,
on their own (never through laketop): one run per id, its last line winning;
a RUNNING run whose supervisor (the id's last part is its pid) is gone is
STOPPED, as laketop shows it."""

import json
import os


def newest(run):
    """The order laketop keeps runs in, newest first when reversed: by start,
    ties by id."""
    return (run["started_at"], run["id"])


def read_runs(path, job=None):
    """{id: run} in the order of their first lines (the newest run started
    last), each run as its last line says; only `job`'s when given."""
    runs = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if job is None or r["job"] == job:
                runs[r["id"]] = r
    return runs


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def settle(runs):
    """Marks STOPPED the RUNNING runs whose supervisor is gone; their ids."""
    settled = set()
    for r in runs.values():
        if r["state"] == "RUNNING" and not alive(int(r["id"].rsplit("-", 1)[1])):
            r["state"] = "STOPPED"
            settled.add(r["id"])
    return settled
