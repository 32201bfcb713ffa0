"""How many CPU threads one CTranslate2 translator should use here.

CTranslate2's own default (``intra_threads=0``) is ``OMP_NUM_THREADS`` if set, else
``min(4, std::thread::hardware_concurrency())`` — the host's cores, even where this process
may use fewer: a container with a 2-CPU quota on a 64-core host gets 4 threads fighting
over 2 CPUs' worth of time, and a process pinned to one core (``taskset``) gets 4 threads
on it.  rutrans counts what it may actually run on, and gives one translator half of it:
CPUs are often hardware threads of shared cores (SMT, virtual machines), where a second
intra-op thread costs more in synchronisation than it computes, and a host busy with
other guests slows two threads far more than one.  Measured on this project's 2-CPU
machine (``rutrans translate`` of the seed article, the real model's shape, beam 4,
alternating): one thread took 7.0 s, two 10.3 s.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

MOST = 4  # CTranslate2's own cap: more intra-op threads rarely pay for one translator
CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2: "QUOTA PERIOD" or "max PERIOD"


def usable_cpus(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """The CPUs this process may run on: its affinity, within its cgroup's quota."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        cpus = os.cpu_count() or 1
    try:
        quota, period = cpu_max.read_text(encoding="ascii").split()[:2]
        if quota != "max":
            cpus = min(cpus, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):  # no cgroup v2 limit to read
        pass
    return max(1, cpus)


def default_threads(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """``OMP_NUM_THREADS`` where the user (or Ray, for its workers) set it, else half the
    usable CPUs (at least one, at most :data:`MOST`)."""
    try:
        chosen = int(os.environ.get("OMP_NUM_THREADS", ""))
    except ValueError:
        chosen = 0
    return chosen if chosen > 0 else min(MOST, max(1, usable_cpus(cpu_max) // 2))
