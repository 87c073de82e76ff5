"""compare_catalogs.py A B: exit 0 when two local lakes hold the same
catalog (every databases/tables/partitions JSON file, equal as JSON). Table
versions (catalog/<db>/versions/) are history, not state: backups do not
carry them (Glue cannot recreate old versions either), so they are left out."""
import json
import os
import sys


def load(root):
    out = {}
    for d, dirs, files in os.walk(os.path.join(root, "catalog")):
        if os.path.basename(d) != "catalog":
            dirs[:] = [x for x in dirs if x != "versions"]
        for f in files:
            if f.endswith(".json"):
                out[os.path.relpath(os.path.join(d, f), root)] = json.load(open(os.path.join(d, f)))
    return out


a, b = load(sys.argv[1]), load(sys.argv[2])
diff = sorted(set(a) ^ set(b)) + [k for k in a if k in b and a[k] != b[k]]
if diff:
    print("# differ:", diff[:5])
sys.exit(1 if diff else 0)
