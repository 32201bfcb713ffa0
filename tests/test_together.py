"""Small documents of a folder run share MT batches: each comes out as it would alone,
documents that suppress different renderings never share a call, and a failure names
its own document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import GLOSSARY
from scripted import ScriptedEngine

from rutrans import cli_local, folders, pipeline
from rutrans.errors import UserError
from rutrans.formats import read_document
from rutrans.segment import segments_of
from rutrans.terminology import Terminology

TEXTS = {
    "a.ru.txt": ("Сотрудники органов внутренних дел задержали троих.\nВстреча прошла в Бишкеке.\n"),
    # ОВД: its forbidden rendering "ATS" is suppressed in this document's MT.
    "b.ru.txt": "Сотрудники ОВД провели рейд.\n",
    "c.ru.txt": "Министры обсудили незаконную миграцию в рамках ШОС.\n",
}
HYPOTHESES = {
    "Сотрудники органов внутренних дел задержали троих.": (
        "Law enforcement officers detained three."
    ),
    "Встреча прошла в Бишкеке.": "The meeting was held in Bishkek.",
    "Сотрудники ОВД провели рейд.": "Police officers carried out a raid.",
    "Министры обсудили незаконную миграцию в рамках ШОС.": (
        "The ministers discussed illegal migration within the Shanghai Organization."
    ),
}


@pytest.fixture(scope="module")
def terminology() -> Terminology:
    return Terminology.load([GLOSSARY])


def documents(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in TEXTS]


def test_together_each_document_is_what_it_would_be_alone(terminology, tmp_path):
    read = [read_document(p) for p in documents(tmp_path)]
    alone_engine = ScriptedEngine(dict(HYPOTHESES))
    alone = [pipeline.translate(d, alone_engine, terminology) for d in read]
    engine = ScriptedEngine(dict(HYPOTHESES))
    together = pipeline.translate_together([(d, segments_of(d)) for d in read], engine, terminology)
    assert together == alone
    assert together[1].signature.glossary.suppressed  # b's "ATS", signed as alone
    # a and c suppress nothing: their segments share calls; b's go in calls of their own.
    segment_calls = [c for c, beam in zip(engine.calls, engine.beams, strict=True) if not beam]
    a_and_c = {*segments_of(read[0]), *segments_of(read[2])}
    shared = [c for c in segment_calls if set(c) & {s.mt_input for s in a_and_c}]
    assert {s.mt_input for s in a_and_c} == {text for c in shared for text in c}
    assert len(shared) < 3  # fewer calls than one per document and kind
    b_sources = {s.mt_input for s in segments_of(read[1])}
    assert all(not set(c) & b_sources for c in shared)
    assert len(segment_calls) < len([c for c in alone_engine.calls if c]) - 1


def test_a_document_over_a_chunk_is_refused(terminology, tmp_path):
    path = tmp_path / "long.ru.txt"
    path.write_text("Задержаны трое.\n" * (pipeline.CHUNK + 1), encoding="utf-8")
    document = read_document(path)
    with pytest.raises(ValueError, match="at most"):
        pipeline.translate_together(
            [(document, segments_of(document))], ScriptedEngine({}), terminology
        )


class FailsOn(ScriptedEngine):
    """An engine that cannot translate one sentence (a device error, say)."""

    def translate(self, sources, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any("Бишкеке" in s for s in sources):
            raise UserError("the engine failed on this batch; try --device cpu")
        return super().translate(sources, *args, **kwargs)


def test_a_failing_group_is_retried_one_by_one_and_the_error_names_its_document(
    terminology, tmp_path, capsys
):
    paths = documents(tmp_path / "src")
    out = tmp_path / "out"
    planned = folders.plan([tmp_path / "src"], out)
    engine = FailsOn(dict(HYPOTHESES))
    settings = cli_local.Settings(
        engine, terminology, None, None, None, "id", fluent=False, force=True, show_cache=False
    )
    counts = cli_local.run(planned, settings)
    assert counts == {"translated": 2, "up to date": 0, "failed": 1}
    printed = capsys.readouterr()
    assert printed.err.count("rutrans: error:") == 1
    assert sorted(p.name for p in out.glob("*.en.txt")) == ["b.en.txt", "c.en.txt"]
    assert not list(out.glob("a.*"))  # nothing of the failed document
    assert [line.split(" → ")[0] for line in printed.out.splitlines() if " → " in line] == [
        str(paths[1]),
        str(paths[2]),
    ]


def test_a_folder_run_gives_each_document_what_a_run_of_it_alone_gives(
    rutrans, tmp_path, tiny_model
):
    paths = documents(tmp_path / "src")
    big = tmp_path / "src" / "d.ru.txt"  # over a chunk: translated on its own, in order
    big.write_text(
        "".join(f"Сотрудники ОВД задержали {i} человек.\n" for i in range(pipeline.CHUNK + 5)),
        encoding="utf-8",
    )
    paths.append(big)
    folder = rutrans(
        "translate", tmp_path / "src", "-o", tmp_path / "out", "--model", tiny_model,
        "--glossary", GLOSSARY,
    )  # fmt: skip
    assert folder.code == 0, folder.stderr
    assert "from the cache, for the 3 documents above (translated together)" in folder.stdout
    done = [line.split(" → ")[0] for line in folder.stdout.splitlines() if " → " in line]
    assert done == [str(p) for p in paths]  # in the folder's order
    for path in paths:  # alone, and not from the folder run's segment cache
        alone_out = tmp_path / "alone" / path.stem
        alone = rutrans(
            "translate", path, "-o", alone_out, "--model", tiny_model,
            "--glossary", GLOSSARY, "--no-cache",
        )  # fmt: skip
        assert alone.code == 0, alone.stderr
        name = path.name.replace(".ru.txt", "")
        assert (tmp_path / "out" / f"{name}.en.txt").read_bytes() == (
            alone_out / f"{name}.en.txt"
        ).read_bytes()
        together_report = json.loads((tmp_path / "out" / f"{name}.report.json").read_text())
        alone_report = json.loads((alone_out / f"{name}.report.json").read_text())
        assert together_report["segments"] == alone_report["segments"]
        assert together_report["signature"]["id"] == alone_report["signature"]["id"]
