"""Hostile inputs for every kind of file rutrans reads, and the commands that read each kind.

``build(folder)`` writes the corpus and returns its :class:`Case` s; :data:`USES` says
which command reads which kind of file and how to call it.  ``test_bad_corpus.py`` runs
every use over every case of its kind.  A case says what a user should get from each use:

* ``error`` — one ``rutrans: error: FILE…; what to do`` line, exit 1, nothing written;
* ``lint`` — ``glossary lint`` reports the file as a finding (``FILE:LINE: error: …``),
  exit 1: reporting defects is that command's job;
* ``ok`` — odd but usable: the command does its work;
* ``n/a`` — the combination means nothing (a review PO cannot name a file whose name is
  not UTF-8).

The valid companions a command needs beside the bad file (a document, its MT, a glossary,
a report and review PO that ``rutrans translate`` wrote, the tiny stand-in model) are
built first, and the bad model packages are derived from the stand-in.

    python tests/badcorpus.py OUT_DIR           # write the corpus to an empty OUT_DIR
    python tests/badcorpus.py --table OUT_DIR   # the same, and print the outcome table
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from badinputs import (
    CASES as TEXT_CASES,
)
from badinputs import (
    GOOD_CSV,
    GOOD_MT,
    GOOD_PO,
    GOOD_TEXT,
    SUFFIX,
    Case,
    Goods,
    review_text,
    write,
)
from badoffice import OFFICE_CASES
from conftest import env_in

CASES = (*TEXT_CASES, *OFFICE_CASES)
"""Every case, not yet built: enough to name tests and print the table."""

__all__ = ["CASES", "USES", "Case", "Goods", "Use", "build", "child_env", "goods_of", "table"]


# --- the commands --------------------------------------------------------------------

Args = Callable[[Path, Goods, Path, Case], list[str | Path]]


@dataclass(frozen=True)
class Use:
    """One way a command reads one kind of file: ``rutrans <args>`` with the bad file in
    one place and valid companions elsewhere; every output goes under *out*."""

    command: str
    kind: str
    slot: str
    args: Args = field(repr=False)
    default: str = "error"

    @property
    def key(self) -> str:
        return f"{self.command} {self.slot}"

    @property
    def id(self) -> str:
        return re.sub(r"[^\w-]+", "-", self.key).strip("-")


def _translate(doc: Path, g: Goods, out: Path, *extra: str | Path) -> list[str | Path]:
    return ["translate", doc, "-o", out, "--no-tm", *extra]


def _postedit(source: Path, mt: Path, out: Path, *extra: str | Path) -> list[str | Path]:
    return ["postedit", "--source", source, "--mt", mt, "-o", out / "postedited.txt", *extra]


def _apply(review: Path, glossary: Path, out: Path) -> list[str | Path]:
    return ["apply", review, "-o", out / "doc.en.txt", "--glossary", glossary, "--no-tm"]


USES: tuple[Use, ...] = (
    Use("translate", "document", "INPUT",
        lambda b, g, o, c: _translate(b, g, o, "--model", g.model, "--no-glossary")),
    Use("postedit", "document", "--source",
        lambda b, g, o, c: _postedit(b, g.mt, o, "--glossary", g.glossary)),
    Use("postedit", "document", "--mt",
        lambda b, g, o, c: _postedit(g.document, b, o, "--glossary", g.glossary)),
    Use("apply", "document", "(its review PO's document)",
        lambda b, g, o, c: _apply(c.companion or b, g.glossary, o)),
    Use("glossary scan", "document", "FILE",
        lambda b, g, o, c: ["glossary", "scan", b, "--glossary", g.glossary]),
    Use("glossary extract", "document", "FILE",
        lambda b, g, o, c: ["glossary", "extract", b, "-o", o / "c.pot", "--no-glossary"]),
    Use("translate", "glossary", "--glossary",
        lambda b, g, o, c: _translate(g.document, g, o, "--model", g.model, "--glossary", b)),
    Use("postedit", "glossary", "--glossary",
        lambda b, g, o, c: _postedit(g.document, g.mt, o, "--glossary", b)),
    Use("apply", "glossary", "--glossary", lambda b, g, o, c: _apply(g.review, b, o)),
    Use("glossary lint", "glossary", "PATH",
        lambda b, g, o, c: ["glossary", "lint", b], default="lint"),
    Use("glossary scan", "glossary", "--glossary",
        lambda b, g, o, c: ["glossary", "scan", g.document, "--glossary", b]),
    Use("glossary export", "glossary", "--glossary",
        lambda b, g, o, c: ["glossary", "export", "--format", "csv", "--glossary", b,
                            "-o", o / "glossary.csv"]),
    Use("glossary extract", "glossary", "--glossary",
        lambda b, g, o, c: ["glossary", "extract", g.document, "-o", o / "c.pot",
                            "--glossary", b]),
    Use("translate", "model", "--model",
        lambda b, g, o, c: _translate(g.document, g, o, "--model", b, "--no-glossary")),
    Use("postedit", "model", "--model",
        lambda b, g, o, c: _postedit(g.document, g.mt, o, "--glossary", g.glossary,
                                     "--model", b)),
    Use("model install", "model", "--from-file",
        lambda b, g, o, c: ["model", "install", "--from-file", b]),
    Use("review", "report", "REPORT", lambda b, g, o, c: ["review", b]),
    Use("review", "report", "REPORT --html",
        lambda b, g, o, c: ["review", b, "--html", o / "review.html"]),
    Use("apply", "review", "REVIEW_PO", lambda b, g, o, c: _apply(b, g.glossary, o)),
    Use("glossary import", "import", "FILE",
        lambda b, g, o, c: ["glossary", "import", b, "-o", o / "imported.po"]),
)  # fmt: skip
_APPLY_DOCUMENT = next(u for u in USES if (u.command, u.kind) == ("apply", "document"))
COMMANDS = (
    "translate", "postedit", "apply", "review", "glossary lint", "glossary scan",
    "glossary export", "glossary import", "glossary extract", "model install",
)  # fmt: skip


# --- building ------------------------------------------------------------------------------


child_env = env_in  # an environment that keeps a run's caches, models and memory in home


def build_goods(folder: Path, model: Path | None = None) -> Goods:
    """The valid inputs, in *folder*: a report and review PO from a real translate run
    with the tiny stand-in (built here unless *model* is given)."""
    from rutrans.testing import standin

    folder.mkdir(parents=True)
    if model is None:
        model = standin.build(folder / "tiny.argosmodel", "tiny", seed=1)
    else:
        model = write(folder / "tiny.argosmodel", model.read_bytes())
    document = write(folder / "doc.txt", GOOD_TEXT)
    glossary = write(folder / "glossary.po", GOOD_PO)
    subprocess.run(
        [sys.executable, "-m", "rutrans", "translate", document, "--model", model,
         "--glossary", glossary, "--no-tm", "--no-cache"],
        check=True, capture_output=True, env=child_env(folder / ".home"), cwd=folder,
        timeout=300,
    )  # fmt: skip
    return Goods(
        document=document,
        mt=write(folder / "doc.mt.txt", GOOD_MT),
        glossary=glossary,
        report=folder / "doc.report.json",
        review=folder / "doc.review.po",
        model=model,
        csv=write(folder / "glossary.csv", GOOD_CSV),
    )


def build(folder: Path, model: Path | None = None) -> list[Case]:
    """Write the corpus into the empty (or new) *folder*; every case with its path."""
    if folder.exists() and any(folder.iterdir()):
        raise SystemExit(f"{folder}: not empty; give a new or empty folder")
    goods = build_goods(folder / "good", model)
    built = []
    for case in CASES:
        (folder / case.kind).mkdir(exist_ok=True)
        path = case.make(folder / case.kind / f"{case.name}{SUFFIX[case.kind]}", goods)
        companion = None
        if case.kind == "document" and case.outcome(_APPLY_DOCUMENT) != "n/a":
            po = folder / "apply" / f"{case.name}.review.po"
            companion = write(po, review_text(goods, po.parent, os.path.relpath(path, po.parent)))
        built.append(replace(case, path=path, companion=companion))
    return built


def goods_of(folder: Path) -> Goods:
    """The valid inputs of a corpus :func:`build` wrote into *folder*."""
    good = folder / "good"
    return Goods(
        good / "doc.txt", good / "doc.mt.txt", good / "glossary.po", good / "doc.report.json",
        good / "doc.review.po", good / "tiny.argosmodel", good / "glossary.csv",
    )  # fmt: skip


# --- the table -----------------------------------------------------------------------------


def cell(case: Case, command: str) -> str:
    """One command's outcomes for one case: ``error``, or per slot where they differ."""
    uses = [u for u in USES if u.command == command and u.kind == case.kind]
    outcomes = [case.outcome(u) for u in uses]
    if not uses:
        return "n/a"
    if len(set(outcomes)) == 1:
        return outcomes[0]
    return ", ".join(f"{u.slot}: {o}" for u, o in zip(uses, outcomes, strict=True))


def table(cases: Sequence[Case]) -> str:
    """A Markdown table: a row per case, a column per command."""
    lines = [
        "| input | case | " + " | ".join(COMMANDS) + " |",
        "| --- | --- |" + " --- |" * len(COMMANDS),
    ]
    for case in cases:
        cells = " | ".join(cell(case, command) for command in COMMANDS)
        lines.append(f"| {case.kind} | `{case.name}` | {cells} |")
    runs = sum(1 for c in cases for u in USES if u.kind == c.kind and c.outcome(u) != "n/a")
    lines.append("")
    lines.append(f"{len(cases)} cases, {runs} runs of a command.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path, help="an empty or new folder")
    parser.add_argument("--table", action="store_true", help="print the outcome table")
    parser.add_argument("--model", type=Path, help="the tiny stand-in, if already built")
    args = parser.parse_args(argv)
    cases = build(args.out_dir, args.model)
    if args.table:
        print(table(cases))
    else:
        print(f"{len(cases)} bad inputs written to {args.out_dir}")


if __name__ == "__main__":
    main()
