"""The review in a terminal: ``rutrans review REPORT.json``.

In a terminal, a rich table (source | final | findings) with each glossary term in its
own colour and flagged segments marked; piped or redirected, plain text with one block per
segment, so that ``grep`` and ``less`` work on it.  ``--flagged`` shows only the segments
that need a human.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any

COLOURS = ("yellow", "cyan", "green", "magenta", "bright_red", "bright_blue", "bright_green")


def _chosen(report: Mapping[str, Any], flagged_only: bool) -> list[Mapping[str, Any]]:
    return [s for s in report["segments"] if s["flagged"] or not flagged_only]


def _header(report: Mapping[str, Any], shown: int) -> list[str]:
    lines = [f"{report['signature']['input']['path']}  ({report['signature']['id']})"]
    summary = report.get("summary")
    if summary and summary.get("term_accuracy") is not None:
        lines.append(
            f"terms: {summary['occurrences']} occurrences — {summary['ok']} ok, "
            f"{summary['fixed']} fixed, "
            f"{summary['missing']} missing, {summary['forbidden']} forbidden; "
            f"term accuracy {summary['term_accuracy']:.0%}"
        )
    found = ", ".join(f"{n} {c}" for c, n in report["qa"]["by_check"].items() if n)
    lines.append(
        f"QA: {report['qa']['flagged']} of {len(report['segments'])} segments flagged"
        + (f" ({found})" if found else "")
        + f"; showing {shown}"
    )
    return lines


def plain(report: Mapping[str, Any], flagged_only: bool, out: IO[str]) -> None:
    """Plain text: a block per segment, every line prefixed with what it is."""
    chosen = _chosen(report, flagged_only)
    for line in _header(report, len(chosen)):
        out.write(line + "\n")
    for segment in chosen:
        mark = "  [flagged]" if segment["flagged"] else ""
        out.write(f"\n#{segment['id']}{mark}\n")
        out.write(f"  ru: {segment['source']}\n")
        if segment["mt"] != segment["final"]:
            out.write(f"  mt: {segment['mt']}\n")
        out.write(f"  en: {segment['final']}\n")
        for term in segment.get("terms", ()):
            if term["status"] != "ok":
                out.write(
                    f"  term: «{term['source_text']}» → {term['target']} ({term['status']})\n"
                )
        for finding in segment["qa"]:
            out.write(f"  ! {finding['check']}: {finding['message']}\n")


def _styled(
    text: str, terms: Sequence[Mapping[str, Any]], key: str, colours: dict[str, str]
) -> Any:
    from rich.text import Text

    styled = Text(text)
    for term in terms:
        span = term.get(key)
        if span:
            colour = colours.setdefault(term["msgid"], COLOURS[len(colours) % len(COLOURS)])
            style = f"bold {colour}" if term["status"] in ("ok", "fixed") else f"bold red {colour}"
            styled.stylize(style, span[0], span[1])
    return styled


def rich_table(report: Mapping[str, Any], flagged_only: bool, out: IO[str]) -> None:
    """A coloured table for a terminal."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, force_terminal=True, highlight=False)
    chosen = _chosen(report, flagged_only)
    for line in _header(report, len(chosen)):
        console.print(line, markup=False)
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("source")
    table.add_column("final")
    table.add_column("findings", style="red")
    colours: dict[str, str] = {}
    for segment in chosen:
        terms = segment.get("terms", ())
        findings = "\n".join(f"{f['check']}: {f['message']}" for f in segment["qa"])
        table.add_row(
            f"{segment['id']}{' ⚑' if segment['flagged'] else ''}",
            _styled(segment["source"], terms, "source_span", colours),
            _styled(segment["final"], terms, "final_span", colours),
            findings,
        )
    console.print(table)


def show(report: Mapping[str, Any], flagged_only: bool, out: IO[str]) -> None:
    if out.isatty():
        rich_table(report, flagged_only, out)
    else:
        plain(report, flagged_only, out)
