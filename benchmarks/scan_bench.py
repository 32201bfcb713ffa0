"""Scan 1 MB of varied Russian text with a 10 000-entry glossary.

    python benchmarks/scan_bench.py [--runs 3] [--entries 10000] [--megabytes 1]

Reports start-up (loading pymorphy3, reading the glossary, compiling the index) apart
from scanning, as medians over ``--runs`` fresh runs made in this one invocation (the
machine is noisy); the target is a scan under 3 s.

The glossary is the project's own (``glossary/``) padded with generated entries: two- and
three-word terms in dictionary form (adjective + noun, noun + genitive noun) built from
pymorphy3's dictionary, so that the index has the size and shape of a large real
termbase.  The text mixes the seed article's real sentences with sentences of random
dictionary word forms into which glossary terms are inserted *inflected* (by pymorphy3),
so that every scan does real matching work and most words are distinct forms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "translations" / "ru" / "kz-mvd-central-asia-meeting.ru.txt"
OUT = ROOT / "benchmarks" / "out"

RUN = """
import json, sys, time
from pathlib import Path
began = time.perf_counter()
from rutrans.glossary import morph
morph.analyzer()
pymorphy = time.perf_counter() - began
from rutrans.glossary.model import load_glossary
from rutrans.glossary.matcher import Matcher
began = time.perf_counter()
glossary = load_glossary([Path(p) for p in sys.argv[2:]])
loaded = time.perf_counter() - began
began = time.perf_counter()
matcher = Matcher(glossary)
compiled = time.perf_counter() - began
text = Path(sys.argv[1]).read_text(encoding="utf-8")
began = time.perf_counter()
matches = matcher.find(text)
scan = time.perf_counter() - began
words = sum(1 for t in morph.tokenize(text) if t.kind == "word")
print(json.dumps({"pymorphy_load": pymorphy, "glossary_load": loaded, "index": compiled,
                  "scan": scan, "words": words, "matches": len(matches),
                  "entries": len(glossary.entries)}))
"""

HEADER = (
    'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


def _dictionary_words(rng: random.Random) -> tuple[list[object], list[object], list[str]]:
    """Noun and adjective parses (dictionary forms) and random word forms."""
    import itertools

    import pymorphy3

    morph = pymorphy3.MorphAnalyzer()
    words = morph.dictionary.words
    alphabet = "абвгдежзиклмнопрстуфхцчшэюя"
    forms = [
        w
        for a, b in itertools.product(alphabet, repeat=2)
        for w in itertools.islice(words.iterkeys(a + b), 60)
        if w.isalpha()
    ]
    rng.shuffle(forms)
    nouns, adjectives = [], []
    for form in forms[:40_000]:
        parse = morph.parse(form)[0]
        if parse.tag.POS == "NOUN" and parse.normal_form == form and "Name" not in parse.tag:
            nouns.append(parse)
        elif parse.tag.POS == "ADJF" and parse.normal_form == form:
            adjectives.append(parse)
    return nouns, adjectives, forms


def build_inputs(folder: Path, entries: int, megabytes: float, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    nouns, adjectives, forms = _dictionary_words(rng)
    terms: list[tuple[object, ...]] = []
    seen: set[str] = set()
    while len(terms) < entries:
        noun = rng.choice(nouns)
        if rng.random() < 0.6:
            adjective = rng.choice(adjectives)
            gender = noun.tag.gender or "masc"  # type: ignore[attr-defined]
            agreed = adjective.inflect({gender, "sing", "nomn"})  # type: ignore[attr-defined]
            if agreed is None:
                continue
            parts: tuple[object, ...] = (agreed, noun)
        else:
            dependent = rng.choice(nouns).inflect({"gent", "sing"})  # type: ignore[attr-defined]
            if dependent is None:
                continue
            parts = (noun, dependent)
        msgid = " ".join(p.word for p in parts)  # type: ignore[attr-defined]
        if msgid not in seen:
            seen.add(msgid)
            terms.append(parts)
    po = folder / "synthetic.po"
    po.write_text(
        HEADER
        + "".join(
            f'#. Generated.\nmsgid "{" ".join(p.word for p in t)}"\nmsgstr "term {i}"\n\n'  # type: ignore[attr-defined]
            for i, t in enumerate(terms)
        ),
        encoding="utf-8",
    )

    seed_sentences = [
        s for s in SEED.read_text(encoding="utf-8").replace("\n", " ").split(". ") if s
    ]
    target = int(megabytes * 1_000_000)
    chunks: list[str] = []
    size = 0
    while size < target:
        if rng.random() < 0.3:
            sentence = rng.choice(seed_sentences) + "."
        else:
            words = [rng.choice(forms) for _ in range(rng.randint(6, 18))]
            for _ in range(rng.randint(0, 2)):
                parts = rng.choice(terms)
                case = rng.choice(["nomn", "gent", "datv", "ablt", "loct"])
                number = rng.choice(["sing", "plur"])
                inflected = [p.inflect({case, number}) for p in parts[:1]]  # type: ignore[attr-defined]
                if inflected[0] is None:
                    continue
                rest = [p.word for p in parts[1:]]  # type: ignore[attr-defined]
                if len(parts) == 2 and parts[0].tag.POS == "ADJF":  # type: ignore[attr-defined]
                    noun = parts[1].inflect({case, number})  # type: ignore[attr-defined]
                    adjective = parts[0].inflect({case, number})  # type: ignore[attr-defined]
                    if noun is None or adjective is None:
                        continue
                    phrase = f"{adjective.word} {noun.word}"
                else:
                    phrase = " ".join([inflected[0].word, *rest])
                words.insert(rng.randrange(len(words)), phrase)
            sentence = " ".join(words).capitalize() + "."
        chunks.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
    text_file = folder / "text.txt"
    text_file.write_text(" ".join(chunks), encoding="utf-8")
    return po, text_file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rutrans-scan-") as tmp:
        began = time.perf_counter()
        project = [ROOT / "glossary"] if any((ROOT / "glossary").rglob("*.po")) else []
        project_entries = 0
        if project:
            from rutrans.glossary.model import load_glossary

            project_entries = len(load_glossary(project).entries)
        po, text = build_inputs(Path(tmp), args.entries - project_entries, args.megabytes)
        generated = time.perf_counter() - began
        runs = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, "-c", RUN, str(text), str(po), *map(str, project)],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(done.stdout))
        size = text.stat().st_size
    result: dict[str, object] = {
        key: statistics.median(r[key] for r in runs)
        for key in ("pymorphy_load", "glossary_load", "index", "scan")
    }
    result.update(
        startup=result["pymorphy_load"] + result["glossary_load"] + result["index"],  # type: ignore[operator]
        words=runs[0]["words"],
        matches=runs[0]["matches"],
        entries=runs[0]["entries"],
        text_bytes=size,
        words_per_second=runs[0]["words"] / result["scan"],  # type: ignore[operator]
        inputs_generated_s=generated,
        runs=args.runs,
    )
    (OUT / "scan.json").write_text(json.dumps(result, indent=2))
    for key, value in result.items():
        print(f"{key:22} {value:,.3f}" if isinstance(value, float) else f"{key:22} {value:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
