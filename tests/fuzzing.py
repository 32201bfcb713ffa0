"""The example budget of the fuzz tests (tests/test_fuzz_io.py, tests/test_fuzz_text.py).

Each fuzz test says how many examples it may try, ``@fuzz(N)``; the numbers are chosen so
that both modules together run in about a minute on two cores.  In CI (``CI=true``) the
examples are derandomized and the example database is off, so a CI run tries the same
examples every time and a failure there reproduces; locally they are random, and the
database replays earlier failures first.  ``RUTRANS_FUZZ_SCALE=10`` tries ten times as
many, for a deeper run by hand.

``python tests/fuzzing.py`` prints each test's budget and the total (the number
docs/reliability.md quotes); ``pytest --hypothesis-show-statistics`` shows what a run
actually tried.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings

CI = os.environ.get("CI", "").lower() == "true"
SCALE = float(os.environ.get("RUTRANS_FUZZ_SCALE", "1"))

# No deadline: the first example of a test pays for pymorphy3's dictionaries and the
# glossary's patterns, which says nothing about the code under test.
settings.register_profile(
    "rutrans-fuzz",
    deadline=None,
    derandomize=CI,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
    **({"database": None} if CI else {}),
)
PROFILE = settings.get_profile("rutrans-fuzz")

#: test name → max_examples, filled in as the test modules are imported.
BUDGETS: dict[str, int] = {}

F = TypeVar("F", bound=Callable[..., Any])


def fuzz(max_examples: int) -> Callable[[F], F]:
    """``@settings`` from the fuzz profile with this test's budget (record it, too)."""

    def decorate(test: F) -> F:
        BUDGETS[f"{test.__module__}::{test.__name__}"] = max_examples
        budget = max(1, round(max_examples * SCALE))
        return settings(PROFILE, max_examples=budget)(test)  # type: ignore[no-any-return]

    return decorate


if __name__ == "__main__":
    import importlib
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    for module in ("test_fuzz_io", "test_fuzz_text"):
        importlib.import_module(module)
    recorded = importlib.import_module("fuzzing").BUDGETS  # what the tests' import filled in
    for name, budget in recorded.items():
        print(f"{budget:6d}  {name}")
    print(f"{sum(recorded.values()):6d}  in all")
