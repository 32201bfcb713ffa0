"""The stand-in's SentencePiece model and CTranslate2 vocabulary.

Trained on text rutrans generates itself — word forms from pymorphy3's dictionary — so
that a 50 000-piece vocabulary is reachable without shipping a corpus.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator

SPECIALS = ("<unk>", "<blank>", "<s>", "</s>")
"""CTranslate2 vocabulary specials in OpenNMT-py's order."""


def _training_words(size: int) -> Iterator[str]:
    """Russian word forms from pymorphy3's dictionary, sampled across the alphabet.

    pymorphy3 ships ~5 million forms; walking all of them takes ~30 s, so take a slice
    under every two- or three-letter prefix instead: enough variety for a 50 000-piece vocabulary in
    about a second.  Capitalised copies and a line of digits, Latin letters and Russian
    punctuation keep the characters of real news text out of ``<unk>``.
    """
    import pymorphy3

    words = pymorphy3.MorphAnalyzer().dictionary.words
    alphabet = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    prefix_length, per_prefix = (3, 40) if size > 10_000 else (2, 20)
    for letters in itertools.product(alphabet, repeat=prefix_length):
        for index, word in enumerate(
            itertools.islice(words.iterkeys("".join(letters)), per_prefix)
        ):
            yield word
            if index % 5 == 0:
                yield word.capitalize()
    symbols = "0123456789 . , ; : ! ? « » „ “ ” \" ' ( ) [ ] - – — % № / +"
    latin = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for _ in range(50):
        yield symbols
        yield latin


def train_sentencepiece(size: int) -> bytes:
    """Train a BPE SentencePiece model whose pieces + specials make *size* entries."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=_training_words(size),
        model_writer=model,
        # CTranslate2's vocabulary adds <blank> to SentencePiece's own <unk>, <s>, </s>.
        vocab_size=size - 1,
        model_type="bpe",
        character_coverage=1.0,
        num_threads=2,
        minloglevel=2,
    )
    return model.getvalue()


def vocabulary_from(sentencepiece_model: bytes) -> list[str]:
    """CTranslate2 vocabulary: OpenNMT-py's specials, then every SentencePiece piece."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sentencepiece_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    return list(SPECIALS) + [p for p in pieces if p not in SPECIALS]
