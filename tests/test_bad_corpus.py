"""Every command that reads a file, over every hostile input of that kind (badcorpus.py).

What a user must get from a bad input: one ``rutrans: error: FILE…; what to do`` line on
stderr, exit status 1, no traceback, and nothing written — no output, no ``.part``, no
model unpacked or installed; within a minute and 3 GiB of address space, so that a read
that never ends or never stops growing fails the test instead of the machine.  An input
that is odd but usable (a cp1251 document) is translated.

Inputs that could hang or eat memory if rutrans read them (FIFOs, /dev/zero, files over
the size caps, zip and XML bombs) run in a subprocess with a timeout and a memory limit;
the rest run in-process through click's runner, which is much faster.  A chmod 000 file
binds root only without its override: as root it runs under setpriv (test_packages'
``unprivileged`` fixture), and is skipped where that cannot drop it.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from badcorpus import CASES, USES, Case, Goods, Use, build, child_env, goods_of
from click.testing import CliRunner
from test_packages import unprivileged  # noqa: F401  (the fixture that drops root's override)

from rutrans.cli import main

MEMORY_LIMIT = 3 * 1024**3
HANG = 60  # seconds: a hang detector, not a speed requirement
STANDIN_WARNING = re.compile(r"^warning: .* is a rutrans stand-in model with random weights")
LINT_COUNT = re.compile(r"^\d+ errors?, \d+ warnings?$")

PAIRS = [
    pytest.param(case, use, id=f"{case.id}:{use.id}")
    for case in CASES
    for use in USES
    if use.kind == case.kind and case.outcome(use) != "n/a"
]


@dataclass(frozen=True)
class Corpus:
    cases: dict[str, Case]
    goods: Goods
    cwd: Path  # an empty folder: no glossary/ to fall back on
    env: dict[str, str]  # for subprocesses: their own argostranslate home and caches


@pytest.fixture(scope="module")
def corpus(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    folder = tmp_path_factory.mktemp("badcorpus")
    cases = {case.id: case for case in build(folder / "corpus", tiny_model)}
    goods = goods_of(folder / "corpus")
    cwd = folder / "cwd"
    cwd.mkdir()
    env = child_env(folder / "home")
    # Unpack the good model once in both homes, so that a run that unpacks it before
    # failing on a bad input does not look like one that left files behind.
    from rutrans.engine import package

    package.open_path(goods.model, "--model")
    subprocess.run(
        [sys.executable, "-m", "rutrans", "model", "which", "--model", goods.model],
        check=True, capture_output=True, env=env, cwd=cwd, timeout=HANG,
    )  # fmt: skip
    yield Corpus(cases, goods, cwd, env)
    for case in cases.values():  # let pytest remove what it made
        if case.path is not None and case.path.exists() and not case.path.is_symlink():
            case.path.chmod(0o700 if case.path.is_dir() else 0o600)


@dataclass(frozen=True)
class Ran:
    code: int
    stdout: str
    stderr: str


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_isolated(args: list[str], corpus: Corpus, prefix: list[str]) -> Ran:
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-m", "rutrans", *args],
            capture_output=True, env=corpus.env, cwd=corpus.cwd, timeout=HANG,
            preexec_fn=_limit_memory,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"rutrans {' '.join(args)} did not end within {HANG} s: it hangs")
    decode = lambda data: data.decode("utf-8", "surrogateescape")  # noqa: E731
    return Ran(done.returncode, decode(done.stdout), decode(done.stderr))


def run_in_process(args: list[str], corpus: Corpus) -> Ran:
    with contextlib.chdir(corpus.cwd):
        result = CliRunner().invoke(main, args)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return Ran(result.exit_code, result.stdout, stderr)


def listing(*folders: Path) -> set[str]:
    """Every path under *folders* (without following links)."""
    found = set()
    for folder in folders:
        for root, dirs, names in os.walk(folder):
            found.update(os.path.join(root, name) for name in dirs + names)
    return found


def watched(corpus: Corpus, out: Path, isolated: bool) -> list[Path]:
    """Where a run could leave something: its output folder, the corpus, the model cache
    and argostranslate's package folder."""
    env = corpus.env if isolated else os.environ
    return [
        out,
        corpus.goods.document.parent.parent,
        Path(env["RUTRANS_CACHE_DIR"]) / "models",
        Path(env["ARGOS_PACKAGES_DIR"]),
    ]


def printable(path: Path) -> str:
    """How a name that is not UTF-8 can be shown: its odd bytes as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def assert_one_line_error(ran: Ran, case: Case, new: set[str]) -> None:
    assert "Traceback" not in ran.stderr, ran.stderr
    assert ran.code == 1, (ran.code, ran.stdout, ran.stderr)
    lines = [line for line in ran.stderr.splitlines() if not STANDIN_WARNING.match(line)]
    assert len(lines) == 1 and lines[0].startswith("rutrans: error: "), ran.stderr
    assert case.path is not None
    names = {case.names} if case.names else {str(case.path), case.path.name}
    names |= {printable(Path(name)) for name in names}
    assert any(name in lines[0] for name in names), (names, lines[0])
    assert "; " in lines[0], f"says what is wrong but not what to do: {lines[0]}"
    assert not new, f"left behind: {sorted(new)}"


def assert_lint_findings(ran: Ran, case: Case, new: set[str]) -> None:
    """``glossary lint`` reports an unreadable file as a finding, as it does any defect."""
    assert "Traceback" not in ran.stderr, ran.stderr
    assert ran.code == 1, (ran.code, ran.stdout, ran.stderr)
    assert case.path is not None
    *findings, count = ran.stderr.strip().splitlines()
    assert LINT_COUNT.match(count), ran.stderr
    assert findings, ran.stderr
    for finding in findings:
        name = finding.split(":", 1)[0]
        assert name.startswith((str(case.path), printable(case.path))), finding
        assert re.search(r":\d+: error: .*; .*\[[\w-]+\]$", finding), finding
    assert not new, f"left behind: {sorted(new)}"


def assert_done(ran: Ran, out: Path, args: list[str]) -> None:
    assert "Traceback" not in ran.stderr, ran.stderr
    assert ran.code == 0, (ran.code, ran.stdout, ran.stderr)
    assert "rutrans: error" not in ran.stderr
    if any(arg.startswith(str(out)) for arg in args):  # a command that writes files
        assert any(out.iterdir()), "nothing written"
    else:  # a command that prints (glossary scan)
        assert ran.stdout.strip() or ran.stderr.strip(), "nothing printed"
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]


@pytest.mark.parametrize(("case", "use"), PAIRS)
def test_bad_input(
    case: Case, use: Use, corpus: Corpus, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    built = corpus.cases[case.id]
    assert built.path is not None
    out = tmp_path / "out"
    out.mkdir()
    args = [str(a) for a in use.args(built.path, corpus.goods, out, built)]
    isolated = built.isolate or built.unprivileged
    before = listing(*watched(corpus, out, isolated))
    if isolated:
        prefix = request.getfixturevalue("unprivileged") if built.unprivileged else []
        ran = run_isolated(args, corpus, prefix)
    else:
        ran = run_in_process(args, corpus)
    new = listing(*watched(corpus, out, isolated)) - before
    expected = built.outcome(use)
    if expected == "ok":
        assert_done(ran, out, args)
    elif expected == "lint":
        assert_lint_findings(ran, built, new)
    else:
        assert_one_line_error(ran, built, new)
