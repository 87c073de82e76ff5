"""once_json.py: reading laketop's `--once` JSON in the inventory tests
(imported by their Python steps: sys.path gets tests/helpers first).
tables(work, name): WORK/NAME.json's tables of database "inv" by name, and
the whole document ({} and {} when the run wrote no JSON); epoch(v): an ISO
8601 time (or a number, or None) as epoch seconds."""
import calendar
import json
import time


def tables(work, name, database="inv"):
    try:
        doc = json.load(open(f"{work}/{name}.json"))
    except (OSError, ValueError):
        return {}, {}
    return {t["name"]: t for t in doc.get("tables", []) if t.get("database") == database}, doc


def epoch(v):
    if isinstance(v, (int, float)) or v is None:
        return v
    return calendar.timegm(time.strptime(v[:19], "%Y-%m-%dT%H:%M:%S"))
