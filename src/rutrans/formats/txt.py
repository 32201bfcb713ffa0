"""Plain text: every line with a letter in it is a paragraph (as argostranslate splits text)."""

from __future__ import annotations

import re

from rutrans.formats.textfile import Regions, TextFormat

_LINE = re.compile(r"[^\r\n]*")


class PlainText(TextFormat):
    name = "txt"
    suffixes: tuple[str, ...] = (".txt", ".text")

    def regions(self, text: str) -> Regions:
        """Lines without any letter ("2024", "* * *", "---") are kept but not translated:
        the MT has nothing to do there and would only risk changing them."""
        regions: Regions = []
        for m in _LINE.finditer(text):
            line = m.group()
            if not any(ch.isalpha() for ch in line):
                continue
            lead = len(line) - len(line.lstrip())
            trail = len(line.rstrip())
            regions.append((m.start(), m.end(), ((lead, trail),)))
        return regions
