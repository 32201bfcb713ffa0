"""Run argostranslate's *own* translation path offline (tests and benchmarks only).

argostranslate 1.11 cannot split sentences without a network: with no ``stanza/`` folder
in the package it falls back to MiniSBD, which downloads a model on first use; with one,
stanza still fetches ``resources.json`` because argostranslate never passes
``download_method=None``.  This patch replaces both sentencizers, in
``argostranslate.translate``'s namespace, with rutrans's razdel-based splitter.  Everything
else — package discovery, ``install_from_path``, tokenisation, the per-paragraph
``translate_batch`` calls with ``ARGOS_BATCH_SIZE`` — stays argostranslate's.

Set ``ARGOS_PACKAGES_DIR`` (and the ``XDG_*`` directories) before calling :func:`patch`:
argostranslate reads its settings once, when ``argostranslate.settings`` is imported.
rutrans's own path never needs this patch.
"""

from __future__ import annotations

from typing import Any

from rutrans.segment import split_sentences


def patch() -> Any:
    """Patch argostranslate's sentencizers; return the ``argostranslate.translate`` module."""
    from argostranslate import sbd
    from argostranslate import translate as argos_translate

    class RazdelSentencizer(sbd.ISentenceBoundaryDetectionModel):  # type: ignore[misc]
        def __init__(self, pkg: Any) -> None:
            self.pkg = pkg

        def split_sentences(self, text: str) -> list[str]:
            return [sentence.text for sentence in split_sentences(text)]

        def __str__(self) -> str:
            return "rutrans razdel sentencizer (offline patch)"

    argos_translate.MiniSBDSentencizer = RazdelSentencizer
    argos_translate.StanzaSentencizer = RazdelSentencizer
    argos_translate.SpacySentencizerSmall = RazdelSentencizer
    return argos_translate
