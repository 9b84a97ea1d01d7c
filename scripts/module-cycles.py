#!/usr/bin/env python3
"""Report modules under src/ that import each other (issue 22: dependencies point one way).

Usage: scripts/module-cycles.py [--edges] [SRC_DIR]   (default: the src/ beside scripts/)
--edges also lists every dependency it found, one `from -> to` a line.
Exit status: 0 when there is no cycle, 1 when there is one.

What counts. Each file is one module (`src/a/b.rs` and `src/a/b/mod.rs` are `a::b`), in its own
crate: `src/lib.rs` roots the library and `src/main.rs` the binary (with `src/cli/`). A file
depends on another when it names it through `crate::…`, `super::…` or `self::…`, in a `use` or
in an expression (`super::estate::run(…)`). A path that ends at a name a module imports (`use`,
`pub use`, private or not) is followed to where that name comes from, so `crate::Error` is a use
of `src/error.rs`, not of `src/lib.rs`.

What does not count: a parent and its descendants (`mod x;` in a parent, a child's
`super::Thing`, a parent calling `x::run`) — that is how Rust nests modules. Everything else is
lifted to the two siblings under the closest common parent, and a cycle among those siblings is
reported with the lines that make it. The same cycle between the files themselves is reported
too ("file cycle"); a sibling cycle without one is two directories that reach into each other.

Limits: names brought in by a glob (`use super::*` in a child *file*) and macro-generated paths
are not followed; `#[path]` is not supported (the crate does not use it).
"""

import os
import re
import sys
from collections import defaultdict

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


def strip(text):
    """The text with comments, strings and char literals blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)

    def blank(s):
        return "".join(c if c == "\n" else " " for c in s)

    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(blank(text[i:j]))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(blank(text[i:j]))
            i = j
        elif (m := re.match(r'(?:b|c)?r(#*)"', text[i:])) and (
            i == 0 or not re.match(r"[A-Za-z0-9_]", text[i - 1])
        ):
            end = '"' + m.group(1)
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(blank(text[i:j]))
            i = j
        elif c == '"' or (c in "bc" and text.startswith('"', i + 1) and (
            i == 0 or not re.match(r"[A-Za-z0-9_]", text[i - 1])
        )):
            j = i + (1 if c == '"' else 2)
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(blank(text[i : j + 1]))
            i = j + 1
        elif c == "'" and (m := re.match(r"'(?:\\(?:u\{[0-9A-Fa-f]+\}|x..|.)|[^\\'])'", text[i:])):
            out.append(blank(m.group(0)))
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def parse_use_tree(s):
    """`a::{b, c::d as e, self}` -> [(['a','b'], 'b'), (['a','c','d'], 'e'), (['a'], 'a')]."""
    tokens = re.findall(r"::|\{|\}|,|\*|" + IDENT, s)
    pos = 0

    def tree(prefix):
        nonlocal pos
        path = list(prefix)
        while pos < len(tokens):
            t = tokens[pos]
            if t == "{":
                pos += 1
                out = []
                while pos < len(tokens) and tokens[pos] != "}":
                    if tokens[pos] == ",":
                        pos += 1
                        continue
                    out += tree(path)
                pos += 1
                return out
            if t == "*":
                pos += 1
                return [(path + ["*"], None)]
            if t == "::":
                pos += 1
                continue
            if t in (",", "}"):
                break
            if t == "as":
                alias = tokens[pos + 1]
                pos += 2
                return [(path, alias)]
            if t == "self" and path:
                # `a::{self}` or `a::{self as b}`: the module itself
                if pos + 1 < len(tokens) and tokens[pos + 1] == "as":
                    alias = tokens[pos + 2]
                    pos += 3
                    return [(path, alias)]
                pos += 1
                return [(path, path[-1])]
            path.append(t)
            pos += 1
        return [(path, path[-1] if path else None)]

    return tree([])


class Crate:
    def __init__(self, name, root):
        self.name = name
        self.files = {}  # module path tuple -> file
        self.uses = {}  # module path tuple -> {name: absolute path list}
        self.load(root, ())

    def load(self, path, mod):
        self.files[mod] = path
        text = strip(open(path, encoding="utf-8").read())
        base = os.path.basename(path)
        here = os.path.dirname(path)
        if base not in ("lib.rs", "main.rs", "mod.rs"):
            here = os.path.join(here, base[:-3])
        for m in re.finditer(r"(?m)^\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(" + IDENT + r")\s*;", text):
            name = m.group(1)
            for cand in (os.path.join(here, name + ".rs"), os.path.join(here, name, "mod.rs")):
                if os.path.exists(cand):
                    self.load(cand, mod + (name,))
                    break


def inline_mods(text):
    """[(start, end, name)] of `mod name { … }` blocks."""
    spans = []
    for m in re.finditer(r"\bmod\s+(" + IDENT + r")\s*\{", text):
        depth, j = 1, m.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        spans.append((m.start(), j, m.group(1)))
    return spans


def scope_at(spans, pos):
    return tuple(name for (s, e, name) in spans if s <= pos < e)


def main():
    args = [a for a in sys.argv[1:] if a != "--edges"]
    show_edges = "--edges" in sys.argv[1:]
    src = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "src")
    src = os.path.normpath(src)
    crates = [
        Crate(n, os.path.join(src, f))
        for n, f in (("lib", "lib.rs"), ("bin", "main.rs"))
        if os.path.exists(os.path.join(src, f))
    ]
    rel = lambda p: os.path.relpath(p, os.path.dirname(src))

    # First pass: every file's `use` items, as absolute paths (for following re-exports).
    refs = []  # (crate, module, line, text, absolute path)
    for crate in crates:
        for mod, path in crate.files.items():
            text = strip(open(path, encoding="utf-8").read())
            spans = inline_mods(text)
            names = crate.uses.setdefault(mod, {})

            def absolute(segs, at):
                scope = mod + scope_at(spans, at)
                if not segs:
                    return None
                if segs[0] == "crate":
                    return list(segs[1:])
                if segs[0] in ("self", "super"):
                    cur = list(scope)
                    k = 0
                    while k < len(segs) and segs[k] in ("self", "super"):
                        if segs[k] == "super":
                            cur = cur[:-1]
                        k += 1
                    return cur + list(segs[k:])
                # A relative path through a child module of this one.
                if tuple(scope) + (segs[0],) in crate.files:
                    return list(scope) + list(segs)
                return None  # another crate (std, serde, ecr_registrar) or a local item

            uses = []
            for m in re.finditer(r"(?<![A-Za-z0-9_$])use\s+([^;]+);", text):
                line = text.count("\n", 0, m.start()) + 1
                for segs, alias in parse_use_tree(m.group(1)):
                    target = absolute(segs, m.start())
                    if target is None:
                        continue
                    if alias and not scope_at(spans, m.start()):
                        names[alias] = target
                    uses.append((m.start(), m.end(), line, "::".join(segs), target))
            for start, end, line, shown, target in uses:
                refs.append((crate, mod, line, shown, target))
            covered = [(s, e) for s, e, *_ in uses]
            for m in re.finditer(
                r"(?<![A-Za-z0-9_$])(crate|super|self)((?:\s*::\s*" + IDENT + r")+)", text
            ):
                if any(s <= m.start() < e for s, e in covered):
                    continue
                segs = [m.group(1)] + re.findall(IDENT, m.group(2))
                target = absolute(segs, m.start())
                if target is not None:
                    line = text.count("\n", 0, m.start()) + 1
                    refs.append((crate, mod, line, "::".join(segs), target))

    def resolve(crate, target, hops=0):
        """The file module a path lands in, following imported names."""
        target = list(target)
        k = len(target)
        while k and tuple(target[:k]) not in crate.files:
            k -= 1
        mod = tuple(target[:k])
        if k < len(target) and hops < 16:
            name = target[k]
            via = crate.uses.get(mod, {}).get(name)
            if via is not None and via != target:
                return resolve(crate, via + target[k + 1 :], hops + 1)
        return mod

    edges = defaultdict(list)  # (crate, a, b) -> [evidence]
    for crate, mod, line, shown, target in refs:
        dest = resolve(crate, target)
        if dest == mod or dest[: len(mod)] == mod or mod[: len(dest)] == dest:
            continue  # itself, a descendant or an ancestor
        edges[(crate.name, mod, dest)].append(f"{rel(crate.files[mod])}:{line}: {shown}")

    if show_edges:
        for c, a, b in sorted(edges):
            print(f"{c}: {'::'.join(a) or '(root)'} -> {'::'.join(b) or '(root)'}")

    def sccs(nodes, succ):
        index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

        def visit(v):
            index[v] = low[v] = counter[0]
            counter[0] += 1
            stack.append(v)
            on.add(v)
            for w in succ.get(v, ()):
                if w not in index:
                    visit(w)
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
                    out.append(sorted(comp))

        for v in sorted(nodes):
            if v not in index:
                visit(v)
        return out

    name = lambda crate, m: "::".join(("crate",) + m) + f" ({rel(crate_by[crate].files[m])})"
    crate_by = {c.name: c for c in crates}
    found = 0

    # File cycles.
    succ = defaultdict(set)
    for c, a, b in edges:
        succ[(c, a)].add((c, b))
    reported = set()  # evidence already shown under a file cycle
    for comp in sccs({n for e in edges for n in ((e[0], e[1]), (e[0], e[2]))}, succ):
        found += 1
        members = set(comp)
        print("file cycle: " + " <-> ".join(name(c, m) for c, m in comp))
        for (c, a, b), ev in sorted(edges.items()):
            if (c, a) in members and (c, b) in members:
                for e in ev:
                    print(f"    {e}")
                    reported.add(e)

    # Sibling cycles: each edge lifted to the children of the closest common parent.
    lifted = defaultdict(list)
    for (c, a, b), ev in edges.items():
        k = 0
        while k < min(len(a), len(b)) and a[k] == b[k]:
            k += 1
        lifted[(c, a[: k + 1], b[: k + 1])] += ev
    succ = defaultdict(set)
    for c, a, b in lifted:
        succ[(c, a)].add((c, b))
    for comp in sccs({n for e in lifted for n in ((e[0], e[1]), (e[0], e[2]))}, succ):
        members = set(comp)
        lines = [
            e
            for (c, a, b), ev in sorted(lifted.items())
            if (c, a) in members and (c, b) in members
            for e in ev
        ]
        if set(lines) <= reported:
            continue  # the same lines make a file cycle above
        print("module cycle: " + " <-> ".join("::".join(("crate",) + m) for c, m in comp)
              + f" [{comp[0][0]}]")
        for e in lines:
            print(f"    {e}")
        found += 1

    if not found:
        print(f"no cycles: {sum(len(c.files) for c in crates)} files, "
              f"{len(edges)} dependencies between non-nested modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
