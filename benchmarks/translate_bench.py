"""Translate with the ``argos``-shape stand-in: rutrans against argostranslate and raw CTranslate2.

    python benchmarks/translate_bench.py [--runs 5] [--scale 100] [--edit-runs 3] [--quick]

One invocation (~17 minutes on 2 cores; ``--quick``: 1 round, 3 × the seed, ~4 minutes)
measures everything the translation-speed issue asks for and prints a markdown table of
every number against its target (also written to ``benchmarks/out/translate-table.md``; the
JSON, with the machine, goes to ``benchmarks/out/translate.json``).  The machine is noisy,
so every number is a median (with min and max) over ``--runs`` rounds made in this one
invocation, and the variants alternate: round 1 runs every variant once, then round 2, and
so on.  Before each measured process the benchmark waits until no other benchmark
(``scan_bench``, ``split_bench``, ``term_eval``) runs, and it records the load average.

1. The seed article, beam 4, int8, the same installed copy of the stand-in package:

   * ``argos defaults``: ``argostranslate.translate.translate`` with its default settings
     (offline sentencizer patch, ``rutrans.testing.offline_argos``), *cold* (a new process:
     imports, model load, the first call) and *warm* (a second call in that process, its
     paragraph cache cleared);
   * ``argos best``: the same with the settings argostranslate offers for speed
     (``ARGOS_BATCH_SIZE=4096 ARGOS_COMPUTE_TYPE=int8 ARGOS_INTRA_THREADS=1``);
   * ``raw CTranslate2``, the limit: SentencePiece + one ``translate_batch`` of the same
     segments with rutrans's options (its batch size, the threads it chooses here), in a
     bare process that imports nothing else; *cold* is that process up to its first call,
     *warm* a second call;
   * ``rutrans cold``: ``rutrans translate SEED --no-cache --no-tm --force`` in a new
     process, with the project glossary and with ``--no-glossary``;
   * ``rutrans warm``: ``pipeline.translate`` on the seed as a second document of a process
     whose engine is loaded (no segment cache), with and without the glossary; the MT part
     (time inside ``engine.translate``) is reported apart.

2. ``--scale`` × the seed: a document of *different* sentences of the seed's length, built
   deterministically (fixed seed) from clauses of the project's Russian sentences (the
   seed's and ``source`` of ``tests/data/term_{dev,test}``), numbers redrawn, in paragraphs
   sized like the seed's.  Measured ``--big-runs`` times (default 1: ~10 minutes) after the
   rounds, as ``rutrans cold --no-cache --no-glossary`` (``--big-glossary`` adds the
   glossary, for whoever has the time: post-editing the stand-in's noise is slow): time per
   segment, start-up apart, against the seed's, and peak RSS against the seed's.

3. Re-run after a glossary edit, in the first ``--edit-runs`` rounds (default 3): ``rutrans
   translate SEED --glossary COPY`` with a fresh segment cache, then one entry's note edited
   in the copy (nothing that changes the suppressed forbidden renderings), then the same
   with ``--force`` in a new process.  The second run's ``cache: N of N MT inputs from the
   cache`` line proves that no MT ran (the engine loads the model only on a miss).

The stand-in has the real shape (6+6 layers, d_model 512, 8 heads, ffn 2048, 50 000 shared
vocabulary, int8) and random weights that stop at ~1.2 × the source length, so these are
the costs of a real model of that shape, not of a translation: its output is noise and is
never printed.  Its SentencePiece model cuts news text into more pieces per word than the
real one, and post-editing meets only "missing" terms in noise (its slowest path), so
absolute times run high; the MT ratios hold.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rutrans.engine import DecodingOptions
from rutrans.engine.cpus import default_threads

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "translations" / "ru" / "kz-mvd-central-asia-meeting.ru.txt"
SENTENCE_SOURCES = (
    ROOT / "tests" / "data" / "term_dev" / "dev.jsonl",
    ROOT / "tests" / "data" / "term_test" / "test.jsonl",
)
OUT = ROOT / "benchmarks" / "out"
OTHER_BENCHMARKS = "scan_bench|split_bench|term_eval"
# argostranslate's fastest settings here: one intra-op thread suits its small per-paragraph
# batches (0, its default, was ~1.4x slower on 2 cores and 2 no better), 4096-token batches.
ARGOS_BEST = {"ARGOS_BATCH_SIZE": "4096", "ARGOS_COMPUTE_TYPE": "int8", "ARGOS_INTRA_THREADS": "1"}
CACHE_LINE = re.compile(r"cache: (\d+) of (\d+) MT inputs from the cache")

# argostranslate's own path, counting what reaches CTranslate2 (segments, target tokens).
ARGOS = """
import json, sys, time
began = time.perf_counter()
from rutrans.testing import offline_argos
translate = offline_argos.patch()
import ctranslate2
imported = time.perf_counter() - began
counts = {"calls": 0, "segments": 0, "tokens_out": 0}

class Counting:
    def __init__(self, *args, **kwargs):
        self._translator = ctranslate2.Translator(*args, **kwargs)
    def translate_batch(self, batch, *args, **kwargs):
        results = self._translator.translate_batch(batch, *args, **kwargs)
        prefix = kwargs.get("target_prefix")
        counts["calls"] += 1
        counts["segments"] += len(batch)
        counts["tokens_out"] += sum(len(r.hypotheses[0]) for r in results)
        counts["tokens_out"] -= sum(len(p) for p in prefix) if prefix else 0
        return results

class Module:
    Translator = Counting

translate.ctranslate2 = Module
text = open(sys.argv[1], encoding="utf-8").read()
times, per_call = [], []
for _ in range(int(sys.argv[2])):
    # argostranslate caches translated paragraphs; a warm run must not hit that cache.
    getattr(translate.get_translation_from_codes("ru", "en"), "cache", {}).clear()
    counts.update(calls=0, segments=0, tokens_out=0)
    began = time.perf_counter()
    translate.translate(text, "ru", "en")
    times.append(time.perf_counter() - began)
    per_call.append(dict(counts))
print(json.dumps({"import": imported, "times": times, "counts": per_call[-1]}))
"""

# The limit: SentencePiece and one translate_batch, in a process that imports nothing else.
RAW = """
import json, sys, time
import ctranslate2, sentencepiece
model_dir, spm, inputs, prefix = sys.argv[1:5]
sources = json.load(open(inputs, encoding="utf-8"))
began = time.perf_counter()
tokenizer = sentencepiece.SentencePieceProcessor(model_file=spm)
translator = ctranslate2.Translator(model_dir, device="cpu", compute_type="int8",
                                    inter_threads=1, intra_threads=int(sys.argv[6]))
load = time.perf_counter() - began
times, batch_times = [], []
for _ in range(int(sys.argv[5])):
    began = time.perf_counter()
    batch = [tokenizer.encode(s, out_type=str) for s in sources]
    started = time.perf_counter()
    results = translator.translate_batch(
        batch, target_prefix=[[prefix]] * len(batch) if prefix else None,
        max_batch_size=int(sys.argv[7]), batch_type="tokens", beam_size=4, num_hypotheses=1,
        length_penalty=0.2, max_decoding_length=256, replace_unknowns=True, return_scores=True)
    batch_times.append(time.perf_counter() - started)
    skip = 1 if prefix else 0
    texts = [tokenizer.decode_pieces(list(r.hypotheses[0][skip:])) for r in results]
    times.append(time.perf_counter() - began)
print(json.dumps({"load": load, "times": times, "batch_times": batch_times,
                  "segments": len(batch), "tokens_in": sum(map(len, batch)),
                  "tokens_out": sum(len(r.hypotheses[0]) - skip for r in results)}))
"""

# rutrans warm: the seed as a second document of a process whose engine is loaded.
WARM = """
import json, sys, time
from pathlib import Path
from rutrans import pipeline
from rutrans.engine import DecodingOptions, factory
from rutrans.formats import read_document
from rutrans.segment import segments_of
from rutrans.terminology import Terminology

class Timed:
    \"\"\"The engine, with the time spent in translate() and what it produced.\"\"\"
    def __init__(self, engine):
        self.engine, self.seconds, self.inputs, self.tokens_out = engine, 0.0, 0, 0
    def translate(self, sources, *args, **kwargs):
        began = time.perf_counter()
        results = self.engine.translate(sources, *args, **kwargs)
        self.seconds += time.perf_counter() - began
        self.inputs += len(sources)
        self.tokens_out += sum(len(r.target_tokens) for r in results)
        return results
    def signature(self):
        return self.engine.signature()

seed, glossary = Path(sys.argv[1]), Path(sys.argv[2])
began = time.perf_counter()
engine = Timed(factory.create(factory.choose_model(None), DecodingOptions()))
load = time.perf_counter() - began
terminology = Terminology.load([glossary])
document = read_document(seed)
first = document.text.strip().split("\\n")[0]
# The first document: MT warmed on the seed, the glossary's lazy parts on one paragraph.
pipeline.translate(document, engine, Terminology.empty())
warmup_path = Path(sys.argv[3])
warmup_path.write_text(first, encoding="utf-8")
pipeline.translate(read_document(warmup_path), engine, terminology)
measured = {}
for name, terms in (("no_glossary", Terminology.empty()), ("glossary", terminology)):
    engine.seconds, engine.inputs, engine.tokens_out = 0.0, 0, 0
    began = time.perf_counter()
    result = pipeline.translate(document, engine, terms)
    measured[name] = {"time": time.perf_counter() - began, "mt": engine.seconds,
                      "mt_inputs": engine.inputs, "tokens_out": engine.tokens_out,
                      "segments": len(result.segments)}
print(json.dumps({"load": load, "measured": measured}))
"""


# ---------------------------------------------------------------------------------------
# Processes


def wait_for_quiet(waited: list[float]) -> None:
    """Poll (every 20 s) until no other benchmark runs: two at once on 2 cores measure noise."""
    if shutil.which("pgrep") is None:
        return
    began = time.perf_counter()
    while subprocess.run(["pgrep", "-f", OTHER_BENCHMARKS], capture_output=True).returncode == 0:
        print("  (another benchmark is running; waiting 20 s)", file=sys.stderr)
        time.sleep(20)
    waited.append(time.perf_counter() - began)


def run_measured(command: list[str], env: dict[str, str], logs: Path) -> tuple[float, float, str]:
    """Run *command* as a new process; return (wall seconds, peak RSS in MiB, stdout)."""
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / "stdout").open("w+b") as out, (logs / "stderr").open("w+b") as err:
        began = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:5])} … failed:\n{stderr[-3000:]}")
    return wall, usage.ru_maxrss / 1024, stdout


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        ARGOS_PACKAGES_DIR=str(home / "packages"),
        RUTRANS_CACHE_DIR=str(home / "rutrans-cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    # argostranslate's defaults are measured: no ARGOS_* setting from outside.
    unset = [k for k in env if k.startswith("ARGOS_") and k != "ARGOS_PACKAGES_DIR"]
    for name in ("RUTRANS_MODEL", "RUTRANS_TM", *unset):
        env.pop(name, None)
    return env


# ---------------------------------------------------------------------------------------
# Inputs


def sentences_of(text: str) -> list[str]:
    from rutrans.segment import split_sentences

    return [s.text for line in text.splitlines() for s in split_sentences(line) if s.text]


def build_big(seed_text: str, scale: float, seed: int = 7) -> tuple[str, dict[str, Any]]:
    """``scale`` × the seed's size of different sentences with the seed's lengths.

    Sentences are spliced from clauses (split at commas and dashes) of the project's
    Russian sentences, each new sentence as long as a seed sentence drawn at random, its
    numbers redrawn; paragraphs have as many sentences as a seed paragraph drawn at random.
    Clauses with an unbalanced quote or bracket are left out (an open quote would join the
    rest of the paragraph into one segment).
    """
    rng = random.Random(seed)
    sources = sentences_of(seed_text)
    for path in SENTENCE_SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sources += sentences_of(json.loads(line)["source"])
    clauses = []
    for sentence in sources:
        for clause in re.split(r",\s+|\s+[–—]\s+", sentence.rstrip(".!?… ")):
            balanced = clause.count("«") == clause.count("»") and clause.count("(") == clause.count(
                ")"
            )
            if balanced and '"' not in clause and len(clause) > 3:
                clauses.append(clause)
    clauses.sort(key=len)
    sizes = [len(c) for c in clauses]
    lengths = [len(s) for s in sentences_of(seed_text)]
    shape = [len(sentences_of(p)) for p in seed_text.split("\n") if p.strip()]
    target = int(len(seed_text.encode("utf-8")) * scale)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        sentences = []
        for _ in range(rng.choice(shape)):
            # Clauses that fit what is left of a seed sentence's length, until none fits.
            left = rng.choice(lengths) - 1
            parts: list[str] = []
            while (fits := bisect.bisect_right(sizes, left - 2 * bool(parts))) or not parts:
                clause = clauses[rng.randrange(max(fits, 1))]
                parts.append(re.sub(r"\d+", lambda _: str(rng.randint(2, 999)), clause))
                left -= len(clause) + 2 * (len(parts) > 1)
            sentence = ", ".join(parts)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1].encode("utf-8")) + 1
    return "\n".join(paragraphs) + "\n", {"base_sentences": len(sources), "clauses": len(clauses)}


def document_facts(path: Path, tokenize: Callable[[str], list[str]]) -> dict[str, Any]:
    from rutrans.formats import read_document
    from rutrans.segment import segments_of

    inputs = [s.mt_input for s in segments_of(read_document(path))]
    return {
        "bytes": path.stat().st_size,
        "segments": len(inputs),
        "unique_segments": len(set(inputs)),
        "chars_per_segment": sum(map(len, inputs)) / max(1, len(inputs)),
        "tokens_in": sum(len(tokenize(s)) for s in inputs),
        "inputs": inputs,
    }


def edit_glossary(folder: Path) -> str:
    """Append words to the first note (``#.``) of the first entry: no rendering changes."""
    for po in sorted(folder.rglob("*.po")):
        lines = po.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if line.startswith("#. "):
                lines[i] = line + " (Note edited by the benchmark.)"
                po.write_text("\n".join(lines), encoding="utf-8")
                return f"{po.name}:{i + 1}: note edited"
    raise SystemExit(f"{folder}: no entry with a note to edit")


# ---------------------------------------------------------------------------------------
# Statistics and the table


def source_state() -> tuple[str, str]:
    """The commit, and a hash of rutrans's sources (to see them change during a run)."""
    import hashlib

    done = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "rutrans").rglob("*.py")):
        digest.update(path.read_bytes())
    return done.stdout.strip(), digest.hexdigest()[:16]


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def verdict(value: float | None, target: float | None, at_least: bool) -> str:
    if value is None or target is None:
        return "(diagnostic)"
    return "met" if (value >= target if at_least else value <= target) else "**missed**"


def table(results: dict[str, Any]) -> str:
    v = results["variants"]
    lines = [
        "| variant | median s | min s | max s | peak RSS MiB | segments/s | target tokens/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in v.items():
        rss = f"{row['peak_mib']['median']:.0f}" if row.get("peak_mib") else "(in-process)"
        tokens = f"{row['tokens_per_s']:.0f}" if row["tokens_per_s"] is not None else "—"
        lines.append(
            f"| {name} | {row['s']['median']:.2f} | {row['s']['min']:.2f} | {row['s']['max']:.2f}"
            f" | {rss} | {row['segments_per_s']:.2f} | {tokens} |"
        )
    lines += ["", "| ratio | value | target | verdict |", "|---|---:|---|---|"]
    for name, value, target, at_least in results["targets"]:
        shown = "—" if value is None else f"{value:.2f}"
        goal = "—" if target is None else f"{'≥' if at_least else '≤'} {target:g}"
        lines.append(f"| {name} | {shown} | {goal} | {verdict(value, target, at_least)} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds of the seed variants")
    parser.add_argument("--scale", type=float, default=100, help="the big document: × the seed")
    parser.add_argument("--big-runs", type=int, default=1, help="runs on the big document")
    parser.add_argument(
        "--edit-runs", type=int, default=3, help="rounds that also re-run after a glossary edit"
    )
    parser.add_argument("--big-glossary", action="store_true", help="big document with glossary")
    parser.add_argument("--model", type=Path, default=OUT / "standin-argos.argosmodel")
    parser.add_argument("--quick", action="store_true", help="smoke check: 1 run, 3 × the seed")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.scale, args.big_runs, args.edit_runs = 1, 3, 1, 1
    OUT.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    results: dict[str, Any] = {}
    waited: list[float] = []
    began_all = time.perf_counter()
    commit, sources_before = source_state()

    if not args.model.exists():
        began = time.perf_counter()
        subprocess.run(
            [python, "-m", "rutrans.testing.standin", str(args.model), "--shape", "argos"],
            check=True,
        )
        results["standin_build_s"] = time.perf_counter() - began

    with tempfile.TemporaryDirectory(prefix="rutrans-bench-") as tmp:
        home = Path(tmp)
        env = isolated_env(home)
        os.environ.update(env)  # this process's rutrans and argostranslate use the same dirs
        for name in [k for k in os.environ if k not in env]:
            del os.environ[name]
        # One installed copy, used by argostranslate and (as the installed package) rutrans.
        subprocess.run(
            [
                python,
                "-c",
                "import sys, argostranslate.package as p; p.install_from_path(sys.argv[1])",
                str(args.model),
            ],
            check=True,
            env=env,
        )
        from rutrans.engine import factory

        package = factory.choose_model(None)
        import sentencepiece

        tokenizer = sentencepiece.SentencePieceProcessor(
            model_file=str(package.sentencepiece_model)
        )

        def tokenize(text: str) -> list[str]:
            return list(tokenizer.encode(text, out_type=str))

        # The inputs: a frozen copy of the glossary, the seed's segments, the big document.
        glossary = home / "glossary"
        shutil.copytree(ROOT / "glossary", glossary)
        seed_text = SEED.read_text(encoding="utf-8")
        seed = document_facts(SEED, tokenize)
        (home / "seed-inputs.json").write_text(json.dumps(seed.pop("inputs"), ensure_ascii=False))
        big_text, built = build_big(seed_text, args.scale)
        big_path = home / "big" / "big.ru.txt"
        big_path.parent.mkdir()
        big_path.write_text(big_text, encoding="utf-8")
        big = document_facts(big_path, tokenize)
        big.pop("inputs")
        big.update(built, scale=args.scale)
        results["documents"] = {"seed": seed, "big": big}
        print(
            f"seed: {seed['segments']} segments, {seed['tokens_in']} source tokens; "
            f"big: {big['segments']} segments ({big['unique_segments']} different), "
            f"{big['tokens_in']} source tokens",
            file=sys.stderr,
        )

        translate = [python, "-m", "rutrans", "translate", "--no-tm", "--force"]
        argos_best_env = dict(env, **ARGOS_BEST)
        raw_command = [
            python,
            "-c",
            RAW,
            str(package.model_dir),
            str(package.sentencepiece_model),
            str(home / "seed-inputs.json"),
            package.target_prefix,
            "2",
            str(default_threads()),  # the threads rutrans gives CTranslate2 here
            str(DecodingOptions().max_batch_tokens),
        ]
        raw: dict[str, list[Any]] = {}
        loads: dict[str, list[float]] = {}
        load_average: list[float] = []
        measured: dict[str, list[Any]] = {}

        def record(name: str, value: Any) -> None:
            measured.setdefault(name, []).append(value)

        for round_ in range(args.runs):
            print(f"round {round_ + 1}/{args.runs}", file=sys.stderr)
            load_average.append(os.getloadavg()[0])
            logs = home / "logs" / str(round_)
            for name, variant_env in (("argos_defaults", env), ("argos_best", argos_best_env)):
                wait_for_quiet(waited)
                wall, peak, stdout = run_measured(
                    [python, "-c", ARGOS, str(SEED), "2"], variant_env, logs / name
                )
                got = json.loads(stdout)
                record(f"{name}_cold", (wall - got["times"][1], peak))
                record(f"{name}_warm", (got["times"][1], None))
                measured.setdefault(f"{name}_counts", [got["counts"]])
                loads.setdefault(f"{name}_import", []).append(got["import"])

            wait_for_quiet(waited)
            wall, peak, stdout = run_measured(raw_command, env, logs / "raw")
            got = json.loads(stdout)
            record("raw_cold", (wall - got["times"][1], peak))
            record("raw_warm", (got["times"][1], None))
            raw.setdefault("batch_only", []).append(got["batch_times"][1])
            raw.setdefault("facts", [got])
            loads.setdefault("raw_load", []).append(got["load"])

            for name, flags in (
                ("rutrans_cold_no_glossary", ["--no-cache", "--no-glossary"]),
                ("rutrans_cold_glossary", ["--no-cache", "--glossary", str(glossary)]),
            ):
                wait_for_quiet(waited)
                wall, peak, _ = run_measured(
                    [*translate, str(SEED), "-o", str(home / "out" / name), *flags],
                    env,
                    logs / name,
                )
                record(name, (wall, peak))

            wait_for_quiet(waited)
            wall, peak, stdout = run_measured(
                [python, "-c", WARM, str(SEED), str(glossary), str(home / "warmup.ru.txt")],
                env,
                logs / "warm",
            )
            got = json.loads(stdout)
            loads.setdefault("rutrans_warm_load", []).append(got["load"])
            for name in ("no_glossary", "glossary"):
                record(f"rutrans_warm_{name}", (got["measured"][name]["time"], None))
                record(f"rutrans_warm_{name}_mt", (got["measured"][name]["mt"], None))
                measured.setdefault(f"rutrans_warm_{name}_facts", [got["measured"][name]])

            # 3. A re-run after a glossary edit: a fresh cache, run, edit, run --force.
            if round_ >= args.edit_runs:
                continue
            edit_home = home / "edit" / str(round_)
            edit_glossary_dir = edit_home / "glossary"
            shutil.copytree(glossary, edit_glossary_dir)
            edit_env = dict(env, RUTRANS_CACHE_DIR=str(edit_home / "cache"))
            command = [python, "-m", "rutrans", "translate", "--no-tm", str(SEED)]
            command += ["-o", str(edit_home / "out"), "--glossary", str(edit_glossary_dir)]
            wait_for_quiet(waited)
            first, first_peak, first_out = run_measured(command, edit_env, logs / "edit-first")
            edited = edit_glossary(edit_glossary_dir)
            wait_for_quiet(waited)
            second, second_peak, second_out = run_measured(
                [*command, "--force"], edit_env, logs / "edit-second"
            )
            found = CACHE_LINE.search(second_out)
            record("edit_first", (first, first_peak))
            record("edit_second", (second, second_peak))
            measured.setdefault("edit_cache_lines", []).append(
                {
                    "first": (m.group(0) if (m := CACHE_LINE.search(first_out)) else None),
                    "second": found.group(0) if found else None,
                    "no_mt": bool(found and found.group(1) == found.group(2)),
                    "edit": edited,
                }
            )

        # 2. The big document, after the rounds (it is long); its own start-up as the seed's.
        big_flags = ["--no-cache"] + (
            ["--glossary", str(glossary)] if args.big_glossary else ["--no-glossary"]
        )
        for run in range(args.big_runs):
            print(f"big document, run {run + 1}/{args.big_runs}", file=sys.stderr)
            wait_for_quiet(waited)
            wall, peak, _ = run_measured(
                [*translate, str(big_path), "-o", str(home / "out" / "big"), *big_flags],
                env,
                home / "logs" / f"big-{run}",
            )
            record("rutrans_cold_big", (wall, peak))

    # -------------------------------------------------------------------------------
    def times(name: str) -> list[float]:
        return [t for t, _ in measured[name]]

    def peaks(name: str) -> list[float]:
        return [p for _, p in measured[name] if p is not None]

    tokens_out: dict[str, int | None] = {
        "argos_defaults": measured["argos_defaults_counts"][0]["tokens_out"],
        "argos_best": measured["argos_best_counts"][0]["tokens_out"],
        "raw": raw["facts"][0]["tokens_out"],
        "none": None,
        "rutrans_no_glossary": measured["rutrans_warm_no_glossary_facts"][0]["tokens_out"],
        "rutrans_glossary": measured["rutrans_warm_glossary_facts"][0]["tokens_out"],
    }
    variants: dict[str, Any] = {}
    rows = [
        ("argos defaults, cold", "argos_defaults_cold", "argos_defaults"),
        ("argos defaults, warm", "argos_defaults_warm", "argos_defaults"),
        ("argos best, cold", "argos_best_cold", "argos_best"),
        ("argos best, warm", "argos_best_warm", "argos_best"),
        ("raw CTranslate2, cold (bare process)", "raw_cold", "raw"),
        ("raw CTranslate2, warm", "raw_warm", "raw"),
        ("rutrans cold, no glossary", "rutrans_cold_no_glossary", "rutrans_no_glossary"),
        ("rutrans cold, glossary", "rutrans_cold_glossary", "rutrans_glossary"),
        ("rutrans warm, no glossary", "rutrans_warm_no_glossary", "rutrans_no_glossary"),
        (
            "rutrans warm, no glossary: MT part",
            "rutrans_warm_no_glossary_mt",
            "rutrans_no_glossary",
        ),
        ("rutrans warm, glossary", "rutrans_warm_glossary", "rutrans_glossary"),
        ("rutrans warm, glossary: MT part", "rutrans_warm_glossary_mt", "rutrans_glossary"),
        ("re-run: first (cache filled)", "edit_first", "rutrans_glossary"),
        ("re-run: after glossary edit", "edit_second", "none"),
    ]
    for label, key, tokens in rows:
        s = summary(times(key))
        made = tokens_out[tokens]
        variants[label] = {
            "key": key,
            "s": s,
            "peak_mib": summary(peaks(key)) if peaks(key) else None,
            "segments_per_s": seed["segments"] / s["median"],
            "tokens_per_s": made / s["median"] if made is not None else None,
            "tokens_out": made,
        }
    big_s = summary(times("rutrans_cold_big"))
    variants[f"rutrans cold, {args.scale:g}× document"] = {
        "key": "rutrans_cold_big",
        "s": big_s,
        "peak_mib": summary(peaks("rutrans_cold_big")),
        "segments_per_s": big["segments"] / big_s["median"],
        "tokens_per_s": None,
        "tokens_out": None,
    }
    results["variants"] = variants

    def med(key: str) -> float:
        return statistics.median(times(key))

    def med_peak(key: str) -> float:
        return statistics.median(peaks(key))

    # Start-up: what a cold run costs beyond the document (the same for any document).
    startup = med("rutrans_cold_no_glossary") - med("rutrans_warm_no_glossary")
    seed_per_segment = med("rutrans_warm_no_glossary") / seed["segments"]
    big_per_segment = (med("rutrans_cold_big") - startup) / big["segments"]
    seed_per_token = med("rutrans_warm_no_glossary") / seed["tokens_in"]
    big_per_token = (med("rutrans_cold_big") - startup) / big["tokens_in"]
    no_mt = all(line["no_mt"] for line in measured["edit_cache_lines"])
    results["scaling"] = {
        "startup_s": startup,
        "seed_s_per_segment": seed_per_segment,
        "big_s_per_segment": big_per_segment,
        "seed_s_per_segment_incl_startup": med("rutrans_cold_no_glossary") / seed["segments"],
        "big_s_per_segment_incl_startup": med("rutrans_cold_big") / big["segments"],
        "seed_s_per_source_token": seed_per_token,
        "big_s_per_source_token": big_per_token,
        "glossary": args.big_glossary,
    }
    results["edit_rerun"] = measured["edit_cache_lines"]
    results["raw_translate_batch_only_s"] = summary(raw["batch_only"])
    results["imports_and_loads_s"] = {name: summary(values) for name, values in loads.items()}
    results["argos_counts"] = {
        "defaults": measured["argos_defaults_counts"][0],
        "best": measured["argos_best_counts"][0],
    }
    results["argos_best_settings"] = ARGOS_BEST
    targets: list[tuple[str, float, float | None, bool]] = []

    def check(name: str, value: float, target: float | None, at_least: bool = True) -> None:
        targets.append((name, value, target, at_least))

    def ratio(a: str, b: str) -> float:
        return med(a) / med(b)

    wn, wg = "rutrans_warm_no_glossary", "rutrans_warm_glossary"
    cn, cg = "rutrans_cold_no_glossary", "rutrans_cold_glossary"
    check("warm: argos defaults / rutrans, no glossary", ratio("argos_defaults_warm", wn), 5)
    check("warm: argos defaults / rutrans, glossary", ratio("argos_defaults_warm", wg), 5)
    check("warm: argos best / rutrans, no glossary", ratio("argos_best_warm", wn), 1.5)
    check("warm: argos best / rutrans, glossary", ratio("argos_best_warm", wg), 1.5)
    check("warm: rutrans / raw translate_batch, no glossary", ratio(wn, "raw_warm"), 1.1, False)
    check("warm: rutrans / raw translate_batch, glossary", ratio(wg, "raw_warm"), 1.15, False)
    check("warm, MT part only: rutrans / raw, no glossary", ratio(f"{wn}_mt", "raw_warm"), None)
    check("warm, MT part only: rutrans / raw, glossary", ratio(f"{wg}_mt", "raw_warm"), None)
    check("cold: argos defaults / rutrans, no glossary", ratio("argos_defaults_cold", cn), 5)
    check("cold: argos defaults / rutrans, glossary", ratio("argos_defaults_cold", cg), 5)
    check("cold: argos best / rutrans, no glossary", ratio("argos_best_cold", cn), None)
    rss = med_peak("raw_cold")
    check("cold peak RSS: rutrans, no glossary / bare CTranslate2", med_peak(cn) / rss, 1.1, False)
    check("cold peak RSS: rutrans, glossary / bare CTranslate2", med_peak(cg) / rss, 1.1, False)
    check("re-run after glossary edit: first / second", ratio("edit_first", "edit_second"), 5)
    check("re-run after glossary edit: all MT from the cache (1 = yes)", float(no_mt), 1)
    big_label = f"{args.scale:g}× document"
    check(
        f"{big_label}: s per segment / seed's, start-up apart",
        big_per_segment / seed_per_segment,
        1.1,
        False,
    )
    incl = (med("rutrans_cold_big") / big["segments"]) / (med(cn) / seed["segments"])
    check(f"{big_label}: s per segment / seed's, incl. start-up", incl, None)
    check(
        f"{big_label}: s per source token / seed's, start-up apart",
        big_per_token / seed_per_token,
        None,
    )
    check(
        f"{big_label}: peak RSS / seed's", med_peak("rutrans_cold_big") / med_peak(cn), 1.3, False
    )
    results["targets"] = targets
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    import argostranslate
    import ctranslate2

    sources_changed = source_state()[1] != sources_before
    results["machine"] = {
        "commit": commit,
        "sources_sha256": sources_before,
        "sources_changed_during_run": sources_changed,
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "ctranslate2": ctranslate2.__version__,
        "argostranslate": getattr(argostranslate, "__version__", "1.11"),
        "runs": args.runs,
        "big_runs": args.big_runs,
        "edit_runs": min(args.edit_runs, args.runs),
        "waited_for_other_benchmarks_s": sum(waited),
        "load_average_1min_at_each_round": load_average,
        "total_s": time.perf_counter() - began_all,
    }
    (OUT / "translate.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    m = results["machine"]
    sc = results["scaling"]
    loaded = {name: v["median"] for name, v in results["imports_and_loads_s"].items()}
    edits = results["edit_rerun"]
    report = [
        f"translate_bench: medians (min, max) of {m['runs']} alternating rounds "
        f"({m['edit_runs']} with the glossary-edit re-run, {m['big_runs']} on the big document); "
        f"{m['cpus']} × {m['cpu']}, Python {m['python']}, CTranslate2 {m['ctranslate2']}, "
        f"argostranslate {m['argostranslate']}, rutrans at {commit[:10]}; "
        "argos-shape stand-in (random weights: timings only), beam 4, int8.",
        f"seed: {seed['segments']} segments, {seed['tokens_in']} source tokens; "
        f"{big_label}: {big['segments']} segments ({big['unique_segments']} different), "
        f"{big['tokens_in']} source tokens, " + ("with" if args.big_glossary else "--no-glossary"),
        "",
        table(results),
        "",
        f"* rutrans start-up (cold − warm, no glossary): {sc['startup_s']:.2f} s; s per segment: "
        f"seed {sc['seed_s_per_segment']:.3f}, {big_label} {sc['big_s_per_segment']:.3f} "
        "(start-up apart).",
        "* imports and loads (median s): "
        + ", ".join(f"{name} {value:.2f}" for name, value in loaded.items())
        + f"; raw translate_batch alone {results['raw_translate_batch_only_s']['median']:.2f} s.",
        "* argostranslate: "
        + ", ".join(
            f"{name} {c['calls']} translate_batch calls for {c['segments']} segments"
            for name, c in results["argos_counts"].items()
        )
        + "; best = "
        + " ".join(f"{k}={v}" for k, v in ARGOS_BEST.items())
        + ".",
        "* MT part: the time inside engine.translate (with the glossary: the segments, "
        "the term probes, attention where terms are); the rest is matching and post-editing.",
        f"* re-run after a glossary edit ({edits[0]['edit']}): first run "
        f"'{edits[0]['first']}', second run '{edits[0]['second']}'"
        + ("" if no_mt else " — NOT all from the cache")
        + ".",
    ]
    if sources_changed:
        report.append(
            "* WARNING: src/rutrans changed during this run: the rounds mix two versions."
        )
    text = "\n".join(report)
    print(text)
    (OUT / "translate-table.md").write_text(text + "\n", encoding="utf-8")
    print(f"written: {OUT / 'translate.json'}, {OUT / 'translate-table.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
