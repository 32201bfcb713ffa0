"""What several commands share: the translation memory options and the glossary to use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rutrans.memory import TranslationMemory
    from rutrans.results import QAFinding, TermCheck
    from rutrans.terminology import Terminology

F = TypeVar("F", bound=Callable[..., Any])


def tm_options(function: F) -> F:
    """``--tm PATH`` and ``--no-tm``."""
    function = click.option(
        "--no-tm", is_flag=True, help="Neither use nor fill the translation memory."
    )(function)
    return click.option(
        "--tm",
        "tm_path",
        type=click.Path(path_type=Path, readable=False),
        default=None,
        help="The translation memory, a SQLite file "
        "(default: $RUTRANS_TM, else $XDG_DATA_HOME/rutrans/tm.sqlite).",
    )(function)


def memory_for(tm_path: Path | None, no_tm: bool) -> TranslationMemory | None:
    from rutrans.memory import TranslationMemory, default_path

    if no_tm:
        return None
    return TranslationMemory(tm_path or default_path())


def load_terminology(glossaries: tuple[Path, ...], no_glossary: bool, fluent: bool) -> Terminology:
    """The glossary to post-edit with: --glossary, else glossary/ if it exists, else none."""
    return terminology_from(glossary_paths(glossaries, no_glossary), fluent)


def terminology_from(paths: Sequence[Path], fluent: bool) -> Terminology:
    from rutrans.terminology import Terminology

    return Terminology.load(paths, fluent=fluent) if paths else Terminology.empty()


def glossary_paths(glossaries: tuple[Path, ...], no_glossary: bool) -> list[Path]:
    """Where the glossary comes from (none: an empty list), as the user named it: a
    report records these names, so a distributed run loads the same ones."""
    from rutrans.glossary.model import DEFAULT_GLOSSARY

    if no_glossary:
        return []
    if not glossaries and not DEFAULT_GLOSSARY.is_dir():
        click.echo(
            f"note: no {DEFAULT_GLOSSARY}/ here, translating without a glossary "
            "(pass --glossary PATH, or --no-glossary to silence this)",
            err=True,
        )
        return []
    return list(glossaries) or [DEFAULT_GLOSSARY]


def qa_line(per_segment: Sequence[Sequence[QAFinding]]) -> str:
    from rutrans.report import qa_summary

    counts = qa_summary(per_segment)
    found = ", ".join(f"{n} {check}" for check, n in counts["by_check"].items() if n)
    if not counts["flagged"]:
        return "  QA: no findings"
    return f"  QA: {plural(counts['flagged'], 'segment')} flagged ({found})"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


STANDIN_WARNING = (
    "warning: {label} is a rutrans stand-in model with random weights: "
    "its output is noise, not a translation"
)


model_option = click.option(
    "--model",
    "model_path",
    type=click.Path(path_type=Path, readable=False),
    default=None,
    help="An .argosmodel file or an unpacked package directory "
    "(default: $RUTRANS_MODEL, else the installed ru→en package).",
)


no_glossary_option = click.option(
    "--no-glossary", is_flag=True, help="Translate without terminology post-editing."
)


def terms_line(terms: Sequence[TermCheck]) -> str:
    from rutrans.results import summary

    counts = summary(terms)
    if not counts["occurrences"]:
        return "  terms: none of the glossary's terms occur"
    accuracy = counts["term_accuracy"]
    return (
        f"  terms: {counts['occurrences']} occurrences — {counts['ok']} ok, "
        f"{counts['fixed']} fixed, {counts['missing']} missing, "
        f"{counts['forbidden']} forbidden; term accuracy {accuracy:.0%}"
    )
