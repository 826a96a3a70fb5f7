#!/usr/bin/env python3
"""Check the corpus truth files against their runbooks (standard library only).

For every corpus/<family>/<name>.md with a <name>.truth.json beside it:
  * every listed fence line opens a fenced block (``` or ~~~, possibly indented
    or after '> ') or an indented code block (4+ spaces after a blank line);
  * every fenced block the scanner finds is listed;
  * every output line lies strictly inside a listed block and is not blank.
Prints one line per problem and a summary; exits 1 when there is a problem.

usage: python3 corpus/check_truth.py [FILE.md ...]
"""
import json, os, re, sys

FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
QUOTE = re.compile(r"^( {0,3}> ?)+")


def strip_quote(line):
    m = QUOTE.match(line)
    return (line[m.end():], m.group(0).count(">")) if m else (line, 0)


def scan(lines):
    """Return {open_line: (first_content, last_content)} for fenced blocks, 1-based."""
    blocks, i = {}, 0
    while i < len(lines):
        body, depth = strip_quote(lines[i])
        # allow list indentation: strip up to the fence, tolerate any leading spaces
        lead = len(body) - len(body.lstrip(" "))
        m = FENCE.match(body[lead - min(lead, 3):] if lead > 3 else body)
        if m is None and lead > 3:
            m = FENCE.match(body.lstrip(" "))
        if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
            ch, ln = m.group("fence")[0], len(m.group("fence"))
            start, j = i, i + 1
            while j < len(lines):
                b, d = strip_quote(lines[j])
                s = b.strip()
                if d < depth and s:
                    break
                if re.fullmatch(re.escape(ch) + "{%d,}" % ln, s):
                    break
                j += 1
            blocks[start + 1] = (start + 2, j)  # content lines start+2 .. j (1-based, inclusive)
            i = j + 1
            continue
        i += 1
    return blocks


def indented_block(lines, n):
    """Range of an indented code block whose first line is n (1-based)."""
    j = n
    while j < len(lines) and (not lines[j].strip() or lines[j].startswith("    ")):
        j += 1
    while j > n and not lines[j - 1].strip():
        j -= 1
    return (n, j)


def check(md_path):
    problems = []
    lines = open(md_path, encoding="utf-8").read().split("\n")
    truth_path = md_path[:-3] + ".truth.json"
    if not os.path.exists(truth_path):
        return [f"{md_path}: no truth file"], None
    truth = json.load(open(truth_path))
    blocks = scan(lines)
    ranges = {}
    for f in truth["fences"]:
        n = f["line"]
        if not isinstance(f.get("shell"), bool):
            problems.append(f"{md_path}:{n}: 'shell' must be true or false")
        text = lines[n - 1] if 0 < n <= len(lines) else ""
        body, _ = strip_quote(text)
        if re.match(r"^\s*(```|~~~)", body):
            if n not in blocks:
                problems.append(f"{md_path}:{n}: fence line not recognised as an opening fence")
            else:
                ranges[n] = blocks[n]
        elif body.startswith("    ") and (n == 1 or not lines[n - 2].strip()):
            ranges[n] = indented_block(lines, n)
        else:
            problems.append(f"{md_path}:{n}: listed fence line does not start a code block: {text!r}")
    for n in blocks:
        if n not in ranges:
            problems.append(f"{md_path}:{n}: fenced block not listed in the truth file")
    for o in truth["output"]:
        if not any(a <= o <= b for a, b in ranges.values()):
            problems.append(f"{md_path}:{o}: output line is not inside a listed block")
        elif not lines[o - 1].strip():
            problems.append(f"{md_path}:{o}: output line is blank")
    if truth["output"] != sorted(set(truth["output"])):
        problems.append(f"{md_path}: output lines not sorted/unique")
    return problems, truth


def main():
    root = os.path.dirname(os.path.abspath(__file__))
    paths = sys.argv[1:] or sorted(
        os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
        if f.endswith(".md") and d != root)
    total = bad = 0
    for p in paths:
        problems, _ = check(p)
        total += 1
        bad += bool(problems)
        for line in problems:
            print(line)
    print(f"{total} runbooks checked, {bad} with problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
