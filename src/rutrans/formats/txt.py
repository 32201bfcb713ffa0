"""Plain text: every line with a letter in it is a paragraph (as argostranslate splits text)."""

from __future__ import annotations

from rutrans.formats.textfile import Regions, TextFormat
from rutrans.lines import line_spans


class PlainText(TextFormat):
    name = "txt"
    suffixes: tuple[str, ...] = (".txt", ".text")

    def regions(self, text: str) -> Regions:
        """Lines without any letter ("2024", "* * *", "---") are kept but not translated:
        the MT has nothing to do there and would only risk changing them."""
        regions: Regions = []
        for start, end in line_spans(text):
            line = text[start:end]
            if not any(ch.isalpha() for ch in line):
                continue
            lead = len(line) - len(line.lstrip())
            trail = len(line.rstrip())
            regions.append((start, end, ((lead, trail),)))
        return regions
