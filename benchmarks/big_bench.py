"""Very large documents: time and peak memory of ``rutrans translate`` against size.

    python benchmarks/big_bench.py [--sizes 1 50] [--line-mb 20] [--beam 4]
                                   [--engine standin|transliterate]

Each document is made of the seed article's sentences shuffled, with their numbers
changed and one in ten quoted (as in ``split_bench.py``): ``--sizes`` megabytes in
paragraphs of five sentences, and one ``--line-mb`` megabyte document on a single line (0
leaves it out).  Each is translated once by ``rutrans translate`` in a new process with the
tiny stand-in model, the glossary on, no segment cache and no translation memory, and the
table gives wall time, peak RSS, seconds per megabyte and the peak's growth per megabyte
over the smallest document.

The stand-in's output is noise that never ends a sentence, so every segment decodes to
the limit (256 subwords, several times a real translation): the MT's share of the time is
far above a real model's, and post-editing works on long noise.  The memory figures, and
whether time per megabyte stays flat, are what this measures.  One run per size (the
50 MB document takes over an hour here); never run it beside another benchmark.

``--engine transliterate`` measures everything but the decoder: a new process reads the
document, segments it, matches terms, "translates" each segment by transliterating it
(iuliia: Latin text of the source's length, in which post-editing finds transliterated
terms to fix), post-edits, checks and writes the same files as ``rutrans translate``,
through the same calls (``pipeline.translate``, ``outputs.write_translation``).  The
decoder's own memory is bounded by the pipeline's chunks, and measured with the stand-in.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from split_bench import build_text
from translate_bench import isolated_env, run_measured

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SENTENCE_END = re.compile(r"(?<=[.!?…»])\s+")


def paragraphs(text: str, per_paragraph: int = 5) -> str:
    """*text* (one line) as paragraphs of *per_paragraph* sentences, a blank line apart."""
    sentences = SENTENCE_END.split(text)
    chunks = (
        " ".join(sentences[i : i + per_paragraph]) for i in range(0, len(sentences), per_paragraph)
    )
    return "\n\n".join(chunks) + "\n"


class TransliteratingEngine:
    """An engine whose "translation" is the source transliterated: no decoder."""

    def translate(self, sources: Any, progress: Any = None, **_: Any) -> list[Any]:
        from iuliia import WIKIPEDIA

        from rutrans.results import MTResult

        results = []
        for source in sources:
            text = WIKIPEDIA.translate(source)
            words = tuple((m.start(), m.end()) for m in re.finditer(r"\S+", text))
            results.append(
                MTResult(
                    text=text,
                    source_tokens=tuple(source.split()),
                    target_tokens=tuple(text.split()),
                    score=0.0,
                    source_offsets=tuple((m.start(), m.end()) for m in re.finditer(r"\S+", source)),
                    target_offsets=words,
                )
            )
        if progress:
            progress(len(sources))
        return results

    def signature(self) -> Any:
        from rutrans.signature import EngineSignature, ModelIdentity

        return EngineSignature(
            name="transliterate",
            model=ModelIdentity(code="translit", version="0", sha256="0" * 64),
            decoding={},
        )


def worker(document: Path, outdir: Path) -> int:
    """What ``rutrans translate DOCUMENT -o OUTDIR`` does, with the transliterating engine."""
    from rutrans import outputs, pipeline
    from rutrans.formats import read_document
    from rutrans.glossary.model import DEFAULT_GLOSSARY
    from rutrans.segment import segments_of
    from rutrans.terminology import Terminology

    read = read_document(document)
    segments = segments_of(read)
    terminology = Terminology.load([ROOT / DEFAULT_GLOSSARY])
    result = pipeline.translate(read, TransliteratingEngine(), terminology, segments=segments)
    outputs.write_translation(result, outputs.paths_for(document, outdir))
    return 0


def measure(
    name: str, document: Path, model: Path, home: Path, beam: int, outdir: Path, engine: str
) -> dict[str, Any]:
    if engine == "transliterate":
        command = [sys.executable, __file__, "--worker", str(document), str(outdir)]
        wall, peak, _ = run_measured(command, isolated_env(home), home / "logs" / name)
        return _row(name, document, outdir, wall, peak)
    command = [
        str(Path(sys.executable).with_name("rutrans")),
        "translate",
        str(document),
        "-o",
        str(outdir),
        "--model",
        str(model),
        "--beam",
        str(beam),
        "--no-cache",
        "--no-tm",
        "--force",
    ]
    wall, peak, _ = run_measured(command, isolated_env(home), home / "logs" / name)
    return _row(name, document, outdir, wall, peak)


def _row(name: str, document: Path, outdir: Path, wall: float, peak: float) -> dict[str, Any]:
    report = json.loads((outdir / f"{document.stem}.report.json").read_text(encoding="utf-8"))
    megabytes = document.stat().st_size / 1_000_000
    return {
        "case": name,
        "mb": round(megabytes, 2),
        "segments": len(report["segments"]),
        "seconds": round(wall, 1),
        "s_per_mb": round(wall / megabytes, 1),
        "peak_rss_mib": round(peak),
    }


def table(rows: list[dict[str, Any]]) -> str:
    smallest = min((r for r in rows if r["case"].endswith("paragraphs")), key=lambda r: r["mb"])
    lines = [
        "| document | MB | segments | wall s | s/MB | peak RSS MiB | MiB per MB more |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        extra = r["mb"] - smallest["mb"]
        growth = (r["peak_rss_mib"] - smallest["peak_rss_mib"]) / extra if extra > 0 else 0.0
        lines.append(
            f"| {r['case']} | {r['mb']} | {r['segments']:,} | {r['seconds']} | "
            f"{r['s_per_mb']} | {r['peak_rss_mib']} | {growth:.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0, 50.0])
    parser.add_argument("--line-mb", type=float, default=20.0)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--engine", choices=("standin", "transliterate"), default="standin")
    parser.add_argument("--worker", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(*args.worker)
    OUT.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="rutrans-big-") as scratch:
        work = Path(scratch)
        model = work / "standin-tiny.argosmodel"
        subprocess.run(
            [sys.executable, "-m", "rutrans.testing.standin", str(model), "--shape", "tiny"],
            check=True,
            capture_output=True,
        )
        # The smallest first (the table's base), then the single line, then the rest: a
        # run cut short still has the one-line figure.
        sizes = sorted(args.sizes)
        cases = [(f"{sizes[0]:g} MB, paragraphs", sizes[0], True)]
        if args.line_mb > 0:
            cases.append((f"{args.line_mb:g} MB, one line", args.line_mb, False))
        cases += [(f"{size:g} MB, paragraphs", size, True) for size in sizes[1:]]
        for index, (name, size, split) in enumerate(cases):
            text = build_text(size)
            document = work / f"big{index}.txt"
            document.write_text(paragraphs(text) if split else text + "\n", encoding="utf-8")
            del text
            row = measure(
                name, document, model, work / "home", args.beam, work / "out", args.engine
            )
            rows.append(row)
            print(json.dumps(row), flush=True)
            document.unlink()
            engine = "tiny stand-in" if args.engine == "standin" else "transliteration"
            result = {"beam": args.beam, "engine": engine, "rows": rows}
            stem = "big" if args.engine == "standin" else "big-no-decoder"
            (OUT / f"{stem}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
            (OUT / f"{stem}-table.md").write_text(table(rows) + "\n", encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
