#!/usr/bin/env python3
"""check_layout.py: the rules of the source layout (README, "How it is
built"), checked on the tree: no include circle between modules, no curses
below the UI, no file, environment or socket access in views/, no .c file
over 600 lines without a reason at its top. Prints TAP-like ok/not ok lines."""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
SOURCE_DIRS = ("common", "collector", "actions", "tools", "tui", "views", "app")
MAX_LINES = 600
REASON = re.compile(r"one file because", re.I)

files = []
for top in SOURCE_DIRS:
    for d, _, names in os.walk(os.path.join(ROOT, top)):
        files += [os.path.relpath(os.path.join(d, n), ROOT) for n in names if n.endswith((".c", ".h"))]
files.sort()
include = re.compile(r'^\s*#\s*include\s+([<"])([^">]+)[">]', re.M)
text = {f: open(os.path.join(ROOT, f), encoding="utf-8").read() for f in files}


def module(path):
    return os.path.splitext(path)[0]


failed = 0


def check(ok, what, details=()):
    global failed
    print(("ok - " if ok else "not ok - ") + what)
    for line in details:
        print("# " + line)
    failed += 0 if ok else 1


# 1. include circles between modules (a module is a .c/.h pair; a header
# without a .c, such as a folder's private header, is not a module of its
# own: its includes count for each file that includes it)
edges = {}
paired = {module(f) for f in files if f.endswith(".c")}
for f in files:
    for kind, inc in include.findall(text[f]):
        if kind == '"' and os.path.exists(os.path.join(ROOT, inc)):
            a, b = module(f), module(inc)
            if a != b and a in paired and b in paired:
                edges.setdefault(a, set()).add(b)
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]


def strongconnect(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in sorted(edges.get(v, ())):
        if w not in index:
            strongconnect(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


sys.setrecursionlimit(10000)
for v in sorted({module(f) for f in files}):
    if v not in index:
        strongconnect(v)
check(not sccs, "no include circle between modules", [" <-> ".join(c) for c in sccs])

# 2. nothing below the UI includes curses
curses = re.compile(r'^\s*#\s*include\s+<(n?cursesw?/)?n?curses(w)?\.h>', re.M)
bad = [f for f in files if f.startswith(("collector/", "common/", "actions/", "tools/")) and curses.search(text[f])]
check(not bad, "collector/, common/, actions/ and tools/ include no curses header", bad)

# 3. views/ reads no file, environment variable or socket
io = re.compile(r"\b(fopen|open|openat|opendir|getenv|secure_getenv|socket|connect|stat|lstat|fs_read_file|popen)\s*\(")
bad = []
for f in files:
    if f.startswith("views/"):
        for n, line in enumerate(text[f].splitlines(), 1):
            code = line.split("//")[0]
            if io.search(code) and not code.lstrip().startswith(("*", "/*")):
                bad.append("%s:%d: %s" % (f, n, line.strip()))
check(not bad, "views/ reads no file, environment variable or socket", bad)

# 4. no .c file over MAX_LINES lines without a reason at its top
bad = []
for f in files:
    if f.endswith(".c"):
        lines = text[f].count("\n")
        head = re.sub(r"\s*\n\s*\*?\s*", " ", "\n".join(text[f].splitlines()[:15]))
        if lines > MAX_LINES and not REASON.search(head):
            bad.append("%s: %d lines" % (f, lines))
check(not bad, "no .c file over %d lines without a reason at its top" % MAX_LINES, bad)
sys.exit(1 if failed else 0)
