"""A folder of small documents: the local command against ``--ray local`` with 1 and 2 workers.

    python benchmarks/scale_bench.py [--docs 200] [--runs 3]

``--docs`` short documents (5–10 of the seed article's sentences each, shuffled, their
numbers changed, one in ten quoted, as in ``split_bench.py``) in a few subfolders, are
translated by ``rutrans translate SRC -o OUT`` with the tiny stand-in model, the project
glossary, ``--no-cache --no-tm``: locally, with ``--ray local --workers 1`` and with
``--ray local --workers 2``, each in a new process into an empty OUT.  The variants
alternate (round 1 runs each once, in a rotated order, then round 2, …) and every figure
is a median over ``--runs`` rounds.

The table gives wall time, throughput (segments of all documents per wall second), Ray's
overhead per document (Ray's wall time with 1 worker less the local one, over the number of
documents: starting Ray, its actor and the per-document calls) and two peak memories:

* the driver's, from ``wait4`` (the ``rutrans`` process only: Ray's workers are not
  children it waits for);
* the peak per worker: while a run goes, every 0.5 s, the processes descended from this
  benchmark whose command line (Ray sets it to the task or actor's name) contains
  ``MapBatches(Translator`` — rutrans's actors — have their RSS read from ``/proc/PID/status``; the
  figure is the largest per-process maximum, so a peak shorter than 0.5 s may be missed.

The stand-in's output is noise that decodes to the length limit, so the MT's share of the
time is far above a real model's: the Ray overhead per document, and whether a second
worker helps on this 2-core machine, are what this measures.  Outputs of every Ray run are
checked to be byte-identical to the local run's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from split_bench import seed_sentences
from translate_bench import isolated_env, run_measured

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
FOLDERS = ("2023/весна", "2023/осень", "2024/весна", "2024/осень")
VARIANTS: dict[str, tuple[str, ...]] = {
    "local": (),
    "ray, 1 worker": ("--ray", "local", "--workers", "1"),
    "ray, 2 workers": ("--ray", "local", "--workers", "2"),
}
ACTOR = "MapBatches(Translator"


def build_documents(root: Path, count: int, seed: int = 7) -> None:
    """*count* short Russian news documents, 5–10 sentences each, in a few subfolders."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    for number in range(count):
        chosen = []
        for _ in range(rng.randint(5, 10)):
            sentence = re.sub(r"\d+", lambda _: str(rng.randint(1, 999)), rng.choice(sentences))
            if rng.random() < 0.1:
                sentence = f"Он сказал: «{sentence}»."
            chosen.append(sentence)
        folder = root / FOLDERS[number % len(FOLDERS)]
        folder.mkdir(parents=True, exist_ok=True)
        text = " ".join(chosen[:3]) + "\n\n" + " ".join(chosen[3:]) + "\n"
        (folder / f"сводка-{number:04d}.ru.txt").write_text(text, encoding="utf-8")


class WorkerSampler:
    """The peak RSS of each Ray actor process descended from this one, sampled every 0.5 s."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}  # pid → max VmRSS in kB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WorkerSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    # The parent pid is the 2nd field after the ")" closing the name.
                    stat = (entry / "stat").read_text()
                    parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
        me = os.getpid()
        for pid in parents:
            if not self._descends(pid, me, parents):
                continue
            try:
                cmdline = (Path("/proc") / str(pid) / "cmdline").read_bytes()
                if ACTOR.encode() not in cmdline:
                    continue
                status = (Path("/proc") / str(pid) / "status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                self.peaks[pid] = max(self.peaks.get(pid, 0), int(match.group(1)))

    @staticmethod
    def _descends(pid: int, ancestor: int, parents: dict[int, int]) -> bool:
        for _ in range(64):
            pid = parents.get(pid, 0)
            if pid == ancestor:
                return True
            if pid <= 1:
                return False
        return False


def contents(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def segments_in(outdir: Path) -> int:
    return sum(
        len(json.loads(report.read_text(encoding="utf-8"))["segments"])
        for report in outdir.rglob("*.report.json")
    )


def measure(variant: str, src: Path, model: Path, work: Path, index: int) -> dict[str, Any]:
    outdir = work / "out"
    shutil.rmtree(outdir, ignore_errors=True)
    command = [
        str(Path(sys.executable).with_name("rutrans")),
        "translate", str(src), "-o", str(outdir), "--model", str(model),
        "--no-cache", "--no-tm", *VARIANTS[variant],
    ]  # fmt: skip
    logs = work / "logs" / f"{index}-{variant.replace(' ', '').replace(',', '-')}"
    with WorkerSampler() as sampler:
        wall, driver_peak, _ = run_measured(command, isolated_env(work / "home"), logs)
    peaks = sampler.peaks.values()
    return {
        "wall": wall,
        "driver_peak_rss_mib": driver_peak,
        "worker_peak_rss_mib": max(peaks) / 1024 if peaks else None,
        "worker_processes": len(sampler.peaks),
        "outputs": contents(outdir),
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        "| variant | wall s | segments/s | Ray overhead s/doc | driver peak MiB "
        "| peak per worker MiB | identical |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, row in result["variants"].items():
        overhead = result["ray_overhead_s_per_doc"] if name == "ray, 1 worker" else None
        worker = row["worker_peak_rss_mib"]
        lines.append(
            f"| {name} | {row['wall_s']:.1f} | {row['segments_per_s']:.1f} | "
            f"{'' if overhead is None else f'{overhead:.3f}'} | {row['driver_peak_rss_mib']:.0f} | "
            f"{'' if worker is None else f'{worker:.0f}'} | {row['identical_to_local']} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="rutrans-scale-") as scratch:
        work = Path(scratch)
        src = work / "src"
        build_documents(src, args.docs)
        model = work / "standin-tiny.argosmodel"
        subprocess.run(
            [sys.executable, "-m", "rutrans.testing.standin", str(model), "--shape", "tiny"],
            check=True,
            capture_output=True,
        )
        names = list(VARIANTS)
        expected: dict[str, bytes] = {}
        segments = 0
        for round_ in range(args.runs):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                row = measure(name, src, model, work, round_)
                outputs = row.pop("outputs")
                if name == "local" and not expected:
                    expected = outputs
                    segments = segments_in(work / "out")
                # Round 1 begins with the local run, so *expected* is there for every other.
                row["outputs_identical"] = outputs == expected
                samples[name].append(row)
                print(f"round {round_ + 1}, {name}: {row['wall']:.1f} s", flush=True)
    variants: dict[str, dict[str, Any]] = {}
    for name, rows in samples.items():
        wall = statistics.median(r["wall"] for r in rows)
        workers = [r["worker_peak_rss_mib"] for r in rows if r["worker_peak_rss_mib"]]
        variants[name] = {
            "wall_s": wall,
            "walls_s": [round(r["wall"], 2) for r in rows],
            "segments_per_s": segments / wall,
            "driver_peak_rss_mib": statistics.median(r["driver_peak_rss_mib"] for r in rows),
            "worker_peak_rss_mib": statistics.median(workers) if workers else None,
            "worker_processes": max(r["worker_processes"] for r in rows),
            "identical_to_local": all(r["outputs_identical"] for r in rows),
        }
    local = variants["local"]["wall_s"]
    result = {
        "documents": args.docs,
        "segments": segments,
        "runs": args.runs,
        "model": "tiny stand-in (random weights)",
        "options": "project glossary, --no-cache --no-tm",
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "ray_overhead_s_per_doc": (variants["ray, 1 worker"]["wall_s"] - local) / args.docs,
        "worker_memory": "max VmRSS per process whose cmdline contains MapBatches(Translator, "
        "sampled from /proc every 0.5 s; median over runs of the largest",
        "variants": variants,
    }
    (OUT / "scale.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    (OUT / "scale-table.md").write_text(table(result) + "\n", encoding="utf-8")
    print(table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
