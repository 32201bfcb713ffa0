"""``rutrans cache stats|clear`` and ``--no-cache``: the persistent segment cache."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rutrans.engine.cache import SegmentCache

no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor fill the segment cache (every segment goes to the model).",
)


def cache_for(no_cache: bool) -> SegmentCache | None:
    """The user's cache, opened once now: one that cannot be (a full disk) stops the run
    in one line before any work, not each document of a folder in turn."""
    from rutrans.engine.cache import default_cache

    if no_cache:
        return None
    cache = default_cache()
    cache.check()
    return cache


@click.group()
def cache() -> None:
    """The segment cache: MT of every segment, reused when nothing that decides it changed.

    It lives in $RUTRANS_CACHE_DIR (else $XDG_CACHE_HOME/rutrans), capped at
    $RUTRANS_CACHE_MAX_MB (default 2048); the least recently used segments go first.
    """


@cache.command("stats")
def stats_command() -> None:
    """Where the cache is, how many segments it holds and how big it is."""
    from rutrans.engine.cache import default_cache

    found = default_cache().stats()
    click.echo(f"{found.path}")
    click.echo(
        f"  {found.entries} segments, {found.bytes / 1024**2:.1f} MiB "
        f"of {found.max_bytes / 1024**2:.0f} MiB"
    )


@cache.command("clear")
def clear_command() -> None:
    """Delete every cached segment (the next run translates everything again)."""
    from rutrans.engine.cache import default_cache

    chosen = default_cache()
    removed = chosen.clear()
    click.echo(f"{chosen.path}: {removed} segments removed")
