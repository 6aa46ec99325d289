"""The cover letter text, patches/cover.txt, for the series or one posting.

cover.txt's first line is the subject, the rest the body. A block that
belongs only to some covers starts with a line '[[for: NAME ...]]' and
ends with '[[end]]'; NAME is 'series' (the cover letter of patches/, for
the whole series) or a posting's group (net-next, nvme, mlx5). Text
outside blocks is in every cover. A line '[[include: PATH]]' is replaced
by the file at PATH (relative to the project's top directory), so that
the numbers come from bench/results/ as the last run wrote them. Any
other line starting with '[[' is an error, as is an unknown name.
"""
import os
import re

NAMES = {"series", "net-next", "nvme", "mlx5"}
BLOCK = re.compile(r"^\[\[for: ([a-z0-9 -]+)\]\]$")
INCLUDE = re.compile(r"^\[\[include: (\S+)\]\]$")
TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CoverError(ValueError):
    pass


def cover_for(text, name):
    """(subject, body) of cover.txt's TEXT for NAME."""
    if name not in NAMES:
        raise CoverError(f"cover.txt: unknown cover {name!r}")
    lines = text.rstrip("\n").split("\n")
    out, keep, inside = [], True, False
    for n, line in enumerate(lines[1:], 2):
        if not line.startswith("[["):
            if keep:
                out.append(line)
            continue
        m = BLOCK.match(line)
        if m:
            names = set(m.group(1).split())
            if inside:
                raise CoverError(f"cover.txt:{n}: block inside a block")
            if not names or names - NAMES:
                raise CoverError(f"cover.txt:{n}: unknown name in {line}")
            inside, keep = True, name in names
        elif line == "[[end]]":
            if not inside:
                raise CoverError(f"cover.txt:{n}: [[end]] without a block")
            inside, keep = False, True
        elif INCLUDE.match(line):
            path = os.path.join(TOP, INCLUDE.match(line).group(1))
            if not os.path.exists(path):
                raise CoverError(f"cover.txt:{n}: {path} missing")
            if keep:
                with open(path) as f:
                    out.append(f.read().rstrip("\n"))
        else:
            raise CoverError(f"cover.txt:{n}: not a directive: {line}")
    if inside:
        raise CoverError("cover.txt: a block is not closed")
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
    return lines[0], body
