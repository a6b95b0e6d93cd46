"""The shape of the code: no import cycles in scoring/ or pages/, no module too long to hold in one's head, and no
ticket references in code, comments or tests.

Imports are read with ``ast`` (nothing is imported), at module level and inside functions alike, with relative
imports resolved against the importing module's package.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterable, Mapping

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scoring", "pages")
MAX_LINES = 600
TEXT_DIRS = ("scoring", "pages", "tests", "bench")
# a ticket's number ("issue" and a number) or one of its points ("point" and a number); the words are spelled in
# pieces so that this file does not match itself
TICKET = re.compile(r"\b(" + "iss" + r"ues?\s*#?\d+|" + "poi" + r"nts?\s+\d+[a-z]?\b)", re.IGNORECASE)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def package_of(path: Path, root: Path) -> list[str]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1]


def imported_modules(source: str, path: Path, root: Path, known: set[str]) -> set[str]:
    """Modules of ``known`` that a file imports anywhere in it (functions included).

    ``from X import n`` counts as an import of ``X.n`` when that is a module, otherwise of ``X``. Importing a
    submodule also runs its package's ``__init__``; that implicit step is not an edge (a package's ``__init__``
    importing its own modules would otherwise always be a cycle).
    """
    out: set[str] = set()
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                pkg = package_of(path, root)
                base = pkg[: len(pkg) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:  # `import scoring.x.y` of a non-module attribute: the nearest module
                t = t.rpartition(".")[0]
            if t:
                out.add(t)
    return out


def import_graph(root: Path, packages: Iterable[str] = PACKAGES) -> dict[str, set[str]]:
    files = {module_name(p, root): p for pkg in packages for p in sorted((root / pkg).rglob("*.py"))}
    known = set(files)
    return {m: imported_modules(p.read_text(encoding="utf-8"), p, root, known) - {m} for m, p in files.items()}


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One cycle (as a path a → … → a) per strongly connected component that has one (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    comps: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph.get(v, ()):
                comps.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_cycle_in(graph, set(c)) for c in comps]


def _cycle_in(graph: Mapping[str, Iterable[str]], comp: set[str]) -> list[str]:
    """A concrete cycle inside a strongly connected component: walk from its first node until a node repeats."""
    start = min(comp)
    path, seen = [start], {start: 0}
    v = start
    while True:
        v = min(w for w in graph.get(v, ()) if w in comp)
        if v in seen:
            return path[seen[v]:] + [v]
        seen[v] = len(path)
        path.append(v)


# ---------------------------------------------------------------------------------------------------------------


def test_cycle_finder_on_a_small_graph():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    cycles = find_cycles(graph)
    assert ["a", "b", "c", "a"] in cycles and ["e", "e"] in cycles and len(cycles) == 2
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_import_reader_sees_relative_and_function_level_imports(tmp_path):
    pkg = tmp_path / "fake"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .one import f\n")  # a package exporting its module: no cycle
    (pkg / "sub" / "one.py").write_text("from ..two import g\n")
    (pkg / "two.py").write_text("def g():\n    from .sub import one\n    return one\n")
    graph = import_graph(tmp_path, ["fake"])
    assert graph["fake.sub.one"] == {"fake.two"} and graph["fake.two"] == {"fake.sub.one"}
    assert find_cycles(graph) == [["fake.sub.one", "fake.two", "fake.sub.one"]]


def test_no_import_cycles():
    cycles = find_cycles(import_graph(ROOT))
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_no_module_too_long():
    long = [f"{p.relative_to(ROOT)}: {n} lines" for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not long, f"modules over {MAX_LINES} lines (split them along their seams):\n" + "\n".join(long)


def test_no_ticket_references():
    files = [ROOT / "app.py"] + [p for d in TEXT_DIRS for p in sorted((ROOT / d).rglob("*.py"))]
    hits = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in files
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if TICKET.search(line)]
    assert not hits, "say why, not which ticket:\n" + "\n".join(hits)
