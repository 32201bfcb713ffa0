"""Translate the seed article with the ``argos``-shape stand-in: rutrans vs argostranslate.

    python benchmarks/translate_bench.py [--runs 3] [--model PATH]

Every number is a median over ``--runs`` runs made in this one invocation, and the
comparison is a ratio of medians, because the machine is noisy.  Each run is a fresh
process, measured from outside (wall time, and peak RSS from ``wait4``):

* ``rutrans cold``: ``rutrans translate SEED --model MODEL`` as a user runs it, with the
  project glossary (post-editing, term probes in the same batch) and without;
* ``rutrans warm``: one process, the engine loaded once, the document translated again;
* ``argos cold`` / ``argos warm``: ``argostranslate.translate.translate`` on the same
  text through an installed copy of the same package, with argostranslate's default
  settings and the offline sentencizer patch (``rutrans.testing.offline_argos``).

The stand-in has the real shape (6+6 layers, d_model 512, 8 heads, ffn 2048, 50 000
shared vocabulary, int8) and random weights that stop at ~1.2 × the source length, so
these are the costs of a real model of that shape, not of a translation.  Its
SentencePiece model is trained on dictionary word forms, so it cuts news text into
more pieces per word than the real one: absolute times run high, ratios hold.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "translations" / "ru" / "kz-mvd-central-asia-meeting.ru.txt"
OUT = ROOT / "benchmarks" / "out"

WARM_RUTRANS = """
import json, sys, time
from pathlib import Path
from rutrans.engine import DecodingOptions, factory
from rutrans.engine.package import open_path
from rutrans.formats import read_document
from rutrans.segment import segments_of
model, seed = Path(sys.argv[1]), Path(sys.argv[2])
runs, threads = int(sys.argv[3]), int(sys.argv[4])
began = time.perf_counter()
engine = factory.create(open_path(model, "--model"), DecodingOptions(threads=threads))
load = time.perf_counter() - began
sources = [s.mt_input for s in segments_of(read_document(seed))]
times = []
for _ in range(runs):
    began = time.perf_counter()
    results = engine.translate(sources)
    times.append(time.perf_counter() - began)
tokens_in = sum(len(r.source_tokens) for r in results)
tokens_out = sum(len(r.target_tokens) for r in results)
print(json.dumps({"load": load, "times": times, "segments": len(sources),
                  "tokens_in": tokens_in, "tokens_out": tokens_out,
                  "batch_calls_per_run": engine.batch_calls / runs}))
"""

ARGOS = """
import json, sys, time
began = time.perf_counter()
from rutrans.testing import offline_argos
translate = offline_argos.patch()
imported = time.perf_counter() - began
text = open(sys.argv[2], encoding="utf-8").read()
times = []
for _ in range(int(sys.argv[3])):
    # argostranslate caches translated paragraphs; a warm run must not hit that cache.
    getattr(translate.get_translation_from_codes("ru", "en"), "cache", {}).clear()
    began = time.perf_counter()
    translate.translate(text, "ru", "en")
    times.append(time.perf_counter() - began)
print(json.dumps({"import": imported, "times": times}))
"""


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run *command*; return (wall seconds, peak RSS in MiB, stdout)."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    stdout = process.stdout.read() if process.stdout else b""
    stderr = process.stderr.read() if process.stderr else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - began
    if status != 0:
        raise SystemExit(f"{command[:4]} failed:\n{stderr.decode()}")
    return wall, usage.ru_maxrss / 1024, stdout.decode()


def isolated_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        ARGOS_PACKAGES_DIR=str(home / "packages"),
        RUTRANS_CACHE_DIR=str(home / "rutrans-cache"),
    )
    env.pop("RUTRANS_MODEL", None)
    return env


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model", type=Path, default=OUT / "standin-argos.argosmodel")
    parser.add_argument("--skip-argos", action="store_true", help="only rutrans's path")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    results: dict[str, object] = {}

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
        # Unpack once so that every measured run starts from the same state.
        subprocess.run(
            [python, "-m", "rutrans", "model", "which", "--model", str(args.model)],
            check=True,
            env=env,
            capture_output=True,
        )
        translate = [python, "-m", "rutrans", "translate", str(SEED), "-o", str(home / "out")]
        translate += ["--model", str(args.model)]
        for label, glossary in (
            ("rutrans_cold_no_glossary", ["--no-glossary"]),
            ("rutrans_cold", ["--glossary", str(ROOT / "glossary")]),
        ):
            cold = [run_measured(translate + glossary, env) for _ in range(args.runs)]
            results[f"{label}_s"] = median([c[0] for c in cold])
            results[f"{label}_peak_mib"] = max(c[1] for c in cold)
        report = json.loads((home / "out" / "kz-mvd-central-asia-meeting.report.json").read_text())
        results["signature"] = report["signature"]

        for threads in (1, 0):
            wall, peak, stdout = run_measured(
                [
                    python,
                    "-c",
                    WARM_RUTRANS,
                    str(args.model),
                    str(SEED),
                    str(args.runs),
                    str(threads),
                ],
                env,
            )
            warm = json.loads(stdout)
            results[f"rutrans_warm_threads{threads or 'auto'}_s"] = median(warm["times"])
            results[f"rutrans_warm_threads{threads or 'auto'}_peak_mib"] = peak
            results["rutrans_load_s"] = warm["load"]
            results["document"] = {
                k: warm[k] for k in ("segments", "tokens_in", "tokens_out", "batch_calls_per_run")
            }

        if not args.skip_argos:
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
            argos_cold, argos_warm, argos_peak = [], [], []
            for _ in range(args.runs):
                wall, peak, stdout = run_measured(
                    [python, "-c", ARGOS, str(args.model), str(SEED), "2"], env
                )
                measured = json.loads(stdout)
                argos_cold.append(wall - measured["times"][1])  # process incl. first call
                argos_warm.append(measured["times"][1])
                argos_peak.append(peak)
            results["argos_cold_s"] = median(argos_cold)
            results["argos_warm_s"] = median(argos_warm)
            results["argos_peak_mib"] = max(argos_peak)
            results["ratio_cold_argos_over_rutrans"] = (
                results["argos_cold_s"] / results["rutrans_cold_s"]  # type: ignore[operator]
            )
            results["ratio_warm_argos_over_rutrans"] = (
                results["argos_warm_s"] / results["rutrans_warm_threadsauto_s"]  # type: ignore[operator]
            )

    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "runs": args.runs,
    }
    (OUT / "translate.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"signature: {results['signature']['id']}")  # type: ignore[index]
    for key, value in results.items():
        if isinstance(value, float):
            print(f"{key:40} {value:10.2f}")
    print(f"document: {results['document']}")
    print(f"written: {OUT / 'translate.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
