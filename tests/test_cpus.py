"""Threads for CTranslate2: what this process may run on, not the host's core count."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rutrans.engine.cpus import MOST, default_threads, usable_cpus


@pytest.fixture
def no_omp(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)


def cpu_max(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cpu.max"
    path.write_text(text, encoding="ascii")
    return path


def test_a_cgroup_quota_caps_the_threads_below_the_cores_seen(tmp_path, no_omp):
    affinity = len(os.sched_getaffinity(0))
    assert usable_cpus(cpu_max(tmp_path, "100000 100000\n")) == 1
    assert usable_cpus(cpu_max(tmp_path, "150000 100000\n")) == min(2, affinity)
    assert default_threads(cpu_max(tmp_path, "50000 100000\n")) == 1  # half a CPU: one
    assert default_threads(cpu_max(tmp_path, "100000 100000\n")) == 1


def test_no_quota_or_no_cgroup_file_leaves_the_affinity(tmp_path, no_omp):
    affinity = len(os.sched_getaffinity(0))
    assert usable_cpus(cpu_max(tmp_path, "max 100000\n")) == affinity
    assert usable_cpus(tmp_path / "absent") == affinity
    assert usable_cpus(cpu_max(tmp_path, "garbage")) == affinity
    assert default_threads(tmp_path / "absent") == min(MOST, max(1, affinity // 2))


def test_omp_num_threads_wins_where_set(tmp_path, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert default_threads(cpu_max(tmp_path, "100000 100000\n")) == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "many")
    assert default_threads(cpu_max(tmp_path, "100000 100000\n")) == 1


def test_half_the_cpus_go_to_one_translator_up_to_four(tmp_path, no_omp, monkeypatch):
    for cpus, threads in ((1, 1), (2, 1), (3, 1), (4, 2), (8, 4), (64, MOST)):
        monkeypatch.setattr(os, "sched_getaffinity", lambda _pid, n=cpus: set(range(n)))
        assert default_threads(tmp_path / "absent") == threads


def test_a_process_pinned_to_one_core_uses_one_thread():
    first = min(os.sched_getaffinity(0))
    code = (
        f"import os; os.sched_setaffinity(0, {{{first}}}); "
        "from rutrans.engine.cpus import default_threads; print(default_threads())"
    )
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "1"
