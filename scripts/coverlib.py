"""The cover letter text, patches/cover.txt, for the series or one posting.

cover.txt's first line is the subject, the rest the body. A block that
belongs only to some covers starts with a line '[[for: NAME ...]]' and
ends with '[[end]]'; NAME is 'series' (the cover letter of patches/, for
the whole series) or a posting's group (net-next, nvme, mlx5). Text
outside blocks is in every cover. A line '[[include: PATH]]' is replaced
by the file at PATH (relative to the project's top directory), so that
the numbers come from bench/results/ as the last run wrote them.
"""
import os
import re

BLOCK = re.compile(r"^\[\[for: ([a-z0-9 -]+)\]\]$")
INCLUDE = re.compile(r"^\[\[include: (\S+)\]\]$")
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cover_for(text, name):
    """(subject, body) of cover.txt's TEXT for NAME."""
    lines = text.rstrip("\n").split("\n")
    out, keep, inside = [], True, False
    for n, line in enumerate(lines[1:], 2):
        m = BLOCK.match(line)
        if m:
            if inside:
                raise ValueError(f"cover.txt:{n}: block inside a block")
            inside, keep = True, name in m.group(1).split()
            continue
        if line == "[[end]]":
            if not inside:
                raise ValueError(f"cover.txt:{n}: [[end]] without a block")
            inside, keep = False, True
            continue
        m = INCLUDE.match(line)
        if m and keep:
            with open(os.path.join(TOP, m.group(1))) as f:
                out.append(f.read().rstrip("\n"))
        elif keep:
            out.append(line)
    if inside:
        raise ValueError("cover.txt: a block is not closed")
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    return lines[0], body
