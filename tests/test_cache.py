"""The persistent segment cache: what hits, what never does, and faults it survives."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from scripted import ScriptedEngine

from rutrans.engine import DecodingOptions
from rutrans.engine.cache import CachedEngine, SegmentCache, entry_key
from rutrans.results import MTResult

SOURCES = [
    "Сотрудники органов внутренних дел задержали троих.",
    "Операция «Паутина» прошла в рамках ШОС.",
]
HYPOTHESES = {
    SOURCES[0]: "Officers of the internal affairs agencies detained three.",
    SOURCES[1]: "Operation Web took place within the SCO.",
}


def cached(path: Path, model: str = "m1", options: DecodingOptions | None = None):
    inner = ScriptedEngine(dict(HYPOTHESES), alignments={s: {0: 0} for s in SOURCES})
    engine = CachedEngine(
        lambda: inner,
        model,
        options or DecodingOptions(),
        inner.signature(),
        SegmentCache(path),
    )
    return engine, inner


def test_the_same_input_hits_and_gives_the_same_result(tmp_path):
    first, _ = cached(tmp_path / "c.sqlite")
    before = first.translate(SOURCES)
    second, inner2 = cached(tmp_path / "c.sqlite")
    after = second.translate(SOURCES)
    assert after == before
    assert inner2.calls == [] and not second.loaded  # no model was even built
    assert (second.hits, second.misses) == (2, 0)


@pytest.mark.parametrize(
    "change",
    [
        {"options": DecodingOptions(beam_size=2)},
        {"options": DecodingOptions(length_penalty=1.0)},
        {"options": DecodingOptions(compute_type="float32")},
        {"model": "m2"},
    ],
    ids=["beam", "length-penalty", "compute-type", "model"],
)
def test_another_beam_or_model_never_hits(tmp_path, change):
    cached(tmp_path / "c.sqlite")[0].translate(SOURCES)
    engine, inner = cached(tmp_path / "c.sqlite", **change)
    engine.translate(SOURCES)
    assert inner.calls == [SOURCES]


def test_a_calls_own_beam_is_keyed_as_that_beam(tmp_path):
    # Term probes are decoded greedily: never the beam-4 entry of the same text, and the
    # same entry as an engine whose options say beam 1.
    cached(tmp_path / "c.sqlite")[0].translate(SOURCES)
    engine, inner = cached(tmp_path / "c.sqlite")
    engine.translate(SOURCES, beam_size=1)
    assert inner.calls == [SOURCES] and inner.beams == [1]
    greedy, inner = cached(tmp_path / "c.sqlite", options=DecodingOptions(beam_size=1))
    greedy.translate(SOURCES)
    assert inner.calls == []


def test_threads_and_batch_size_do_not_change_the_key(tmp_path):
    cached(tmp_path / "c.sqlite")[0].translate(SOURCES)
    engine, inner = cached(
        tmp_path / "c.sqlite", options=DecodingOptions(threads=1, max_batch_tokens=64)
    )
    engine.translate(SOURCES)
    assert inner.calls == []


def test_another_prefix_or_suppressed_sequence_never_hits(tmp_path):
    cached(tmp_path / "c.sqlite")[0].translate(SOURCES, target_prefixes=["Officers of the", None])
    engine, inner = cached(tmp_path / "c.sqlite")
    engine.translate(SOURCES, target_prefixes=["Officers of the internal", None])
    assert inner.calls == [[SOURCES[0]]]  # the second source, with no prefix, hit
    engine.translate(SOURCES, target_prefixes=["Officers of the", None], suppress=["ATS"])
    assert inner.calls[-1] == SOURCES


def test_attention_asked_for_is_a_miss_when_the_entry_has_none(tmp_path):
    cached(tmp_path / "c.sqlite")[0].translate(SOURCES)
    engine, inner = cached(tmp_path / "c.sqlite")
    with_attention = engine.translate(SOURCES, return_attention=True)
    assert inner.calls == [SOURCES] and all(r.attention for r in with_attention)
    again, inner2 = cached(tmp_path / "c.sqlite")
    assert again.translate(SOURCES, return_attention=True) == with_attention
    assert again.translate(SOURCES) == with_attention  # attention does no harm
    assert inner2.calls == []


def _writer(path: str, worker: int) -> None:
    cache = SegmentCache(Path(path))
    for batch in range(20):
        results = {
            entry_key("m", f"{worker}-{batch}-{i}", None, ()): MTResult(f"{i}", (), (), 0.0)
            for i in range(25)
        }
        cache.put(results)
        cache.get(list(results), attention=False)


def test_two_processes_write_at_once(tmp_path):
    path = tmp_path / "c.sqlite"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), w)) for w in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    assert SegmentCache(path).stats().entries == 2 * 20 * 25


def test_a_corrupt_cache_is_moved_aside_and_rebuilt(tmp_path, capsys):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    engine, inner = cached(path)
    assert engine.translate(SOURCES)[1].text == HYPOTHESES[SOURCES[1]]
    assert inner.calls == [SOURCES]
    warning = capsys.readouterr().err
    assert "the segment cache was damaged" in warning and "moved it to" in warning
    assert [p.name for p in tmp_path.iterdir() if ".corrupt-" in p.name]
    again, inner2 = cached(path)
    again.translate(SOURCES)
    assert inner2.calls == []  # the rebuilt cache works


def test_a_damaged_row_is_a_miss_not_a_crash(tmp_path):
    path = tmp_path / "c.sqlite"
    cached(path)[0].translate(SOURCES)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE segments SET value = x'00ff'")
    engine, inner = cached(path)
    assert engine.translate(SOURCES)[0].text == HYPOTHESES[SOURCES[0]]
    assert inner.calls == [SOURCES]


def test_least_recently_used_segments_go_past_the_cap(tmp_path):
    path = tmp_path / "c.sqlite"
    cache = SegmentCache(path, max_bytes=10_000)
    keys = [entry_key("m", f"source {i}", None, ()) for i in range(100)]
    for key in keys:
        cache.put({key: MTResult("x" * 200 + key, (), (), 0.0)})
        cache.get([keys[0]], attention=False)  # the first one stays in use
    stats = cache.stats()
    assert stats.bytes <= 10_000
    kept = cache.get(keys, attention=False)
    assert keys[0] in kept and keys[-1] in kept and keys[1] not in kept


def test_cache_stats_and_clear(rutrans, tmp_path, tiny_model):
    source = tmp_path / "news.ru.txt"
    source.write_text("\n".join(SOURCES) + "\n", encoding="utf-8")
    run = rutrans("translate", source, "--model", tiny_model, "--no-glossary")
    assert run.code == 0, run.stderr
    assert "  cache: 0 of 2 MT inputs from the cache" in run.stdout
    again = rutrans("translate", source, "--model", tiny_model, "--no-glossary", "--force")
    assert "  cache: 2 of 2 MT inputs from the cache" in again.stdout
    assert (tmp_path / "news.en.txt").read_text(encoding="utf-8")
    stats = rutrans("cache", "stats")
    assert stats.code == 0 and "  2 segments," in stats.stdout
    cleared = rutrans("cache", "clear")
    assert cleared.code == 0 and ": 2 segments removed" in cleared.stdout
    none = rutrans(
        "translate", source, "--model", tiny_model, "--no-glossary", "--no-cache", "--force"
    )
    assert "cache:" not in none.stdout
    assert "  0 segments," in rutrans("cache", "stats").stdout
