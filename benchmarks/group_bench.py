"""Small documents translated one by one against together, in one process.

    python benchmarks/group_bench.py [--docs 30] [--runs 3] [--no-glossary]

``--docs`` short documents (5–10 of the seed article's sentences each, as in
``scale_bench.py``) with the ``argos``-shape stand-in, beam 4, no segment cache: each
document through ``pipeline.translate`` on its own, against the local command's groups
(consecutive documents up to ``pipeline.CHUNK`` segments) through
``pipeline.translate_together``.  The two alternate, every figure is a median over
``--runs`` rounds; the MT of every segment must be the same both ways (exit 1 if not),
and the segments whose post-edited text differs are counted: attention weights move in
their last bits with what shares a batch, and where they tie (the stand-in's attention
is flat noise) post-editing may take another span.  JSON to ``benchmarks/out/group.json``.
The stand-in's output is noise (timings only).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from scale_bench import build_documents

from rutrans import __version__, pipeline
from rutrans.engine import DecodingOptions, factory
from rutrans.formats import read_document
from rutrans.segment import segments_of
from rutrans.terminology import Terminology

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"


def groups(sizes: list[int]) -> list[list[int]]:
    """Consecutive documents up to pipeline.CHUNK segments in all (as cli_local groups)."""
    found: list[list[int]] = []
    total = 0
    for index, size in enumerate(sizes):
        if not found or total + size > pipeline.CHUNK:
            found.append([])
            total = 0
        found[-1].append(index)
        total += size
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-glossary", action="store_true")
    parser.add_argument("--model", type=Path, default=ROOT / "build" / "standin-argos.argosmodel")
    args = parser.parse_args()
    terminology = Terminology.empty() if args.no_glossary else Terminology.load([ROOT / "glossary"])
    engine = factory.create(factory.choose_model(args.model), DecodingOptions())
    with tempfile.TemporaryDirectory(prefix="rutrans-group-") as tmp:
        build_documents(Path(tmp), args.docs)
        paths = sorted(p for p in Path(tmp).rglob("*") if p.is_file())
        documents = [read_document(p) for p in paths]
        split = [segments_of(d) for d in documents]
        planned = groups([len(s) for s in split])
        pipeline.translate(documents[0], engine, terminology, segments=split[0])  # warm-up
        times: dict[str, list[float]] = {"alone": [], "together": []}
        texts: dict[str, list[tuple[str, str]]] = {}
        for _ in range(args.runs):
            began = time.perf_counter()
            alone = [
                pipeline.translate(d, engine, terminology, segments=s)
                for d, s in zip(documents, split, strict=True)
            ]
            times["alone"].append(time.perf_counter() - began)
            began = time.perf_counter()
            together = [
                result
                for group in planned
                for result in pipeline.translate_together(
                    [(documents[i], split[i]) for i in group], engine, terminology
                )
            ]
            times["together"].append(time.perf_counter() - began)
            texts = {
                name: [(s.mt.text, s.final) for r in results for s in r.segments]
                for name, results in (("alone", alone), ("together", together))
            }
    segments = sum(len(s) for s in split)
    medians = {name: statistics.median(values) for name, values in times.items()}
    result: dict[str, Any] = {
        "rutrans": __version__,
        "documents": len(documents),
        "segments": segments,
        "groups": len(planned),
        "glossary": not args.no_glossary,
        "runs": args.runs,
        "times": times,
        "median_s": medians,
        "segments_per_s": {name: segments / value for name, value in medians.items()},
        "speed-up": medians["alone"] / medians["together"],
        "mt_differs": sum(a[0] != b[0] for a, b in zip(*texts.values(), strict=True)),
        "final_differs": sum(a[1] != b[1] for a, b in zip(*texts.values(), strict=True)),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "group.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"{len(documents)} documents, {segments} segments, {len(planned)} groups, "
        f"glossary: {not args.no_glossary}, medians of {args.runs}:\n"
        f"  one by one: {medians['alone']:.2f} s ({result['segments_per_s']['alone']:.2f} seg/s)\n"
        f"  together:   {medians['together']:.2f} s "
        f"({result['segments_per_s']['together']:.2f} seg/s), {result['speed-up']:.2f}× faster\n"
        f"  segments whose MT differs: {result['mt_differs']}; whose post-edited text "
        f"differs: {result['final_differs']}"
    )
    return 1 if result["mt_differs"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
