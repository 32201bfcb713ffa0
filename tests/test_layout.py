"""The layout rules of DESIGN.md, read from the source with ``ast``.

Dependencies point one way — cli → pipeline → stages → results — so that a stage can be
replaced, tested or reused (a batch runner, the review page) without the others.  Every
import counts: module level, inside functions, and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rutrans"
MAX_LINES = 400

BASE = {
    "rutrans",
    "errors",
    "lines",
    "atomic",
    "signature",
    "files",
    "pofile",
}  # leaves anything may use
# room → the rooms it may import (besides itself and BASE).
ALLOWED: dict[str, set[str]] = {
    "results": set(),
    "signature": set(),
    "rutrans": set(),
    "errors": set(),
    "lines": set(),
    "atomic": set(),
    "files": set(),
    "pofile": set(),
    "encoding": set(),
    "segment": {"results"},
    "formats": {"results", "encoding"},
    "engine": {"results"},
    "glossary": {"results"},
    "postedit": {"results", "glossary"},
    "terminology": {"results", "glossary", "postedit"},
    "qa": {"results"},
    "memory": set(),
    "review": {"results"},
    "report": {"results", "qa"},
    "outputs": {"results", "report", "formats", "encoding", "review"},
    "pipeline": {
        "results",
        "encoding",
        "segment",
        "formats",
        "engine",
        "glossary",
        "postedit",
        "terminology",
        "qa",
        "memory",
        "report",
        "outputs",
    },
    "folders": {"formats", "outputs", "results", "pipeline"},
    # The Ray runner: the local command's steps, on workers (cli → distributed → pipeline).
    "distributed": {
        "folders",
        "engine",
        "outputs",
        "pipeline",
        "memory",
        "terminology",
        "formats",
        "segment",
        "results",
    },
    "apply": {
        "pipeline",
        "results",
        "formats",
        "segment",
        "qa",
        "review",
        "terminology",
    },
    "testing": {"results", "segment", "engine"},
}
FRONT = {
    "cli",
    "cli_glossary",
    "cli_options",
    "cli_review",
    "cli_cache",
    "cli_translate",
    "cli_local",
    "__main__",
}  # may import anything


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "rutrans"


def resolve(name: str, modules: set[str]) -> str:
    """The module an import names: ``rutrans.engine.package`` if that is a module."""
    return name if name in modules else name.rsplit(".", 1)[0] if "." in name else name


def imports_of(path: Path, module: str, modules: set[str]) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "rutrans":
                    yield node.lineno, resolve(alias.name, modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "rutrans":
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield node.lineno, candidate if candidate in modules else resolve(base, modules)


@pytest.fixture(scope="module")
def graph() -> dict[str, list[tuple[int, str]]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {
        module: [
            (line, target) for line, target in imports_of(path, module, modules) if target != module
        ]
        for module, path in files.items()
    }


def test_every_module_is_in_a_known_room(graph):
    unknown = {room(m) for m in graph} - set(ALLOWED) - FRONT
    assert not unknown, f"give these rooms their rules in ALLOWED: {sorted(unknown)}"


def test_dependencies_point_one_way(graph):
    broken = []
    for module, targets in graph.items():
        source = room(module)
        if source in FRONT:
            continue
        allowed = ALLOWED[source] | BASE | {source}
        broken += [
            f"{module}:{line} imports {target}"
            for line, target in targets
            if room(target) not in allowed
        ]
    assert not broken, "\n".join(broken)


def test_no_import_cycles(graph):
    edges = {m: {t for _, t in targets if t in graph} for m, targets in graph.items()}
    cycles = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not cycles, "\n".join(cycles)


def test_the_rules_catch_a_wrong_import(tmp_path):
    """The checker itself: an engine module importing the glossary is reported."""
    source = tmp_path / "bad.py"
    source.write_text("from rutrans.glossary.model import Entry\nimport rutrans.postedit\n")
    modules = {"rutrans.glossary.model", "rutrans.glossary", "rutrans.postedit"}
    found = list(imports_of(source, "rutrans.engine.bad", modules))
    assert found == [(1, "rutrans.glossary.model"), (2, "rutrans.postedit")]
    assert {room(t) for _, t in found} - ALLOWED["engine"] == {"glossary", "postedit"}


def test_no_module_is_over_400_lines():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these modules: {long}"
