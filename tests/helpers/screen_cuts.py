#!/usr/bin/env python3
"""screen_cuts.py: finds text cut without its mark on a captured screen.

    screen_cuts.py NAMES STRICT SCREEN COLS

NAMES: the names the lake and the config hold, one a line (databases,
tables, crawlers, zones, sync rules, paths): written by the test from the
lake's files and its own config, never from laketop's output. STRICT: those
of them that are cut in the middle (tables, databases, crawlers, sync
rules). SCREEN: the text of the screen (tmux capture-pane -p). COLS: its
width.

On every line, each word that is a strict prefix of a name (and not a name
itself; 6 characters at least or with a "_" or "/": shorter words are
English, "click", "daily") is a cut without its mark; a word with the
mark ("…" or "~") must be the start and end of one name, and a STRICT name
must keep its end (cut in the middle, not at the end). A line whose text
reaches the last column ends in the mark, unless its last word is whole
(a name, a figure, a chart). Prints one line a problem; exits 1 if any.
"""
import re
import sys

MARKS = ("\u2026", "~")
STRIP = "()[],;:!'\"|"
CHART = set("▁▂▃▄▅▆▇█#.[]?-+ _:=*")  # the UTF-8 sparkline and its ASCII one
# words of laketop's own that may end a full line whole (a column's title or
# value); a word cut short by the edge ("cri", "o") is none of them
WHOLE = set("""run never data growth Queries days quit READY When Schedule demand Result
Where Size Stale Objects Tables Files Why file empty fresh reached no yes B KiB MiB GiB TiB""".split())


def words(line):
    for raw in re.split(r"\s+|›|→|->", line):
        word = raw.strip(STRIP)
        if word.endswith(".") and not word.endswith("..."):
            word = word[:-1]
        if word:
            yield word
            if "." in word and not word.startswith("/"):
                for part in word.split("."):  # db.table
                    if part and part != word:
                        yield part


def main():
    names = [n for n in open(sys.argv[1], encoding="utf-8").read().split("\n") if n]
    strict = set(n for n in open(sys.argv[2], encoding="utf-8").read().split("\n") if n)
    screen = open(sys.argv[3], encoding="utf-8").read().split("\n")
    cols = int(sys.argv[4])
    known = set(names)
    problems = []
    for number, line in enumerate(screen, 1):
        for word in words(line):
            mark = next((m for m in MARKS if m in word), None)
            if mark:
                head, tail = word.split(mark, 1)
                if len(head) < 2:
                    continue
                for n in names:
                    if len(n) > len(head) + len(tail) and n.startswith(head) and n.endswith(tail):
                        if n in strict and not tail and len(word) >= 5:
                            problems.append(
                                "line %d: %r cuts the name %r at its end, not in the middle"
                                % (number, word, n))
                        break
                continue
            if word in known or not re.search(r"[A-Za-z]", word):
                continue
            if not (len(word) >= 6 or "_" in word or "/" in word):
                continue  # short words ("click", "daily") are English, not cut names
            for n in names:
                if n.startswith(word) and len(word) < len(n):
                    problems.append("line %d: %r is %r cut without a mark" % (number, word, n))
                    break
        text = line.rstrip()
        if len(text) >= cols and text.split():
            last = text.split()[-1]
            whole = (any(m in last for m in MARKS) or last.strip(STRIP) in known
                     or last.strip(STRIP) in WHOLE or set(last) <= CHART
                     or re.fullmatch(r"[-+]?[0-9][0-9.,:TZ-]*[A-Za-z%]{0,3}", last.strip(STRIP)))
            if not whole:
                problems.append("line %d reaches the last column without a mark: ...%r"
                                % (number, text[-30:]))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
