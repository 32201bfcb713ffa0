"""Sentence splitting time against text length: it should be linear.

    python benchmarks/split_bench.py [--runs 3] [--sizes 0.25 0.5 1 2 4] [--line-mb 20]

Each text is one paragraph on a single line, ``--sizes`` megabytes of UTF-8, made of the
seed article's sentences shuffled, with their numbers changed and one in ten quoted
(``Он сказал: «…»``) so that the join rules have work to do.  Every time is a median over
``--runs`` runs of ``split_sentences`` made in this one invocation (the machine is noisy).
The table gives seconds per megabyte; the ratio of the largest size's to the smallest's is
about 1 when splitting is linear (quadratic splitting doubles it with every doubling).

Two more rows: ``quote``, the largest size with one quote opened at the start and closed at
the end (every cut inside is tried and joined), and ``line``, a ``--line-mb`` file on one
line (0 leaves it out).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import time
from pathlib import Path

from rutrans.segment import split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "translations" / "ru" / "kz-mvd-central-asia-meeting.ru.txt"
OUT = ROOT / "benchmarks" / "out"


def seed_sentences() -> list[str]:
    text = SEED.read_text(encoding="utf-8").replace("\n", " ")
    return [s for s in re.split(r"(?<=[.!?…»])\s+", text) if s.strip()]


def build_text(megabytes: float, seed: int = 7) -> str:
    """One line of ``megabytes`` of varied Russian news sentences."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    target = int(megabytes * 1_000_000)
    chunks: list[str] = []
    size = 0
    while size < target:
        sentence = re.sub(r"\d+", lambda _: str(rng.randint(1, 999)), rng.choice(sentences))
        if rng.random() < 0.1:
            sentence = f"Он сказал: «{sentence} {rng.choice(sentences)}»."
        chunks.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
    return " ".join(chunks)


def quoted(text: str) -> str:
    """``text`` with its own quotes removed, inside one quote from start to end."""
    return "«" + text.replace("«", "").replace("»", "") + "»"


def median_time(text: str, runs: int) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        sentences = split_sentences(text)
        times.append(time.perf_counter() - began)
    return statistics.median(times), len(sentences)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1, 2, 4])
    parser.add_argument("--line-mb", type=float, default=20.0)
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    cases = [(f"{size:g} MB", build_text(size)) for size in sizes]
    cases.append(("quote", quoted(cases[-1][1])))
    if args.line_mb > 0:
        cases.append(("line", build_text(args.line_mb)))
    rows = []
    print(f"{'case':>10} {'MB':>7} {'sentences':>10} {'median s':>9} {'s/MB':>7}")
    for name, text in cases:
        megabytes = len(text.encode("utf-8")) / 1_000_000
        seconds, count = median_time(text, args.runs)
        rows.append({"case": name, "mb": megabytes, "sentences": count, "seconds": seconds})
        print(f"{name:>10} {megabytes:7.2f} {count:10,} {seconds:9.3f} {seconds / megabytes:7.3f}")
    smallest, largest = rows[0], rows[len(sizes) - 1]
    ratio = (largest["seconds"] / largest["mb"]) / (smallest["seconds"] / smallest["mb"])
    print(f"time per MB, {largest['case']} / {smallest['case']}: {ratio:.2f} (linear ≈ 1)")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "split.json").write_text(json.dumps({"runs": args.runs, "rows": rows, "ratio": ratio}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
