"""Markdown: headings, list items, table rows, quotes and paragraphs; syntax is never sent
to the MT (the spans come from :mod:`rutrans.formats.markdown`)."""

from __future__ import annotations

from rutrans.formats import markdown
from rutrans.formats.textfile import Regions, TextFormat


class Markdown(TextFormat):
    name = "md"
    suffixes: tuple[str, ...] = (".md", ".markdown")

    def regions(self, text: str) -> Regions:
        return [(b.start, b.end, b.spans) for b in markdown.blocks(text) if b.spans]
