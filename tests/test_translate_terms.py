"""`rutrans translate` with the glossary: the report's terms and summary, one engine
call per document, and the attention and probe paths on the tiny stand-in."""

from __future__ import annotations

import json

import pytest
from conftest import GLOSSARY, SEED
from scripted import ScriptedEngine

from rutrans import outputs, pipeline
from rutrans.formats import read_document
from rutrans.segment import segments_of
from rutrans.terminology import Terminology


@pytest.fixture(scope="module")
def terminology() -> Terminology:
    return Terminology.load([GLOSSARY])


def test_terms_are_fixed_and_reported_per_segment(terminology, tmp_path):
    source = tmp_path / "brief.ru.txt"
    source.write_text(
        "Сотрудники органов внутренних дел провели операцию «Паутина».\n"
        "\n"
        "Встреча прошла в рамках ШОС.\n",
        encoding="utf-8",
    )
    engine = ScriptedEngine(
        {
            "Сотрудники органов внутренних дел провели операцию «Паутина».": (
                "Officers of the internal affairs agencies conducted Operation Web."
            ),
            "Встреча прошла в рамках ШОС.": "The meeting took place within the SCO.",
        }
    )
    document = read_document(source)
    result = pipeline.translate(document, engine, terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    translation = (tmp_path / "brief.en.txt").read_text(encoding="utf-8")
    assert translation == (
        "Officers of the internal affairs bodies conducted Operation Spider Web.\n"
        "\n"
        "The meeting took place within the SCO.\n"
    )
    # One call for the segments with the document's beam, then the terms probed alone,
    # greedily (a few words each: a beam costs time and finds nothing more).
    assert engine.calls[0] == [s.mt_input for s in segments_of(document)]
    assert set(engine.calls[1]) >= {"ШОС", "операцию «Паутина»", "операция «Паутина»"}
    assert engine.beams == [None, 1]
    report = json.loads((tmp_path / "brief.report.json").read_text(encoding="utf-8"))
    first, second = report["segments"]
    assert [(t["source_text"], t["status"], t["method"]) for t in first["terms"]] == [
        ("органов внутренних дел", "fixed", "variant"),
        ("операцию «Паутина»", "fixed", "variant"),
    ]
    assert first["mt"] != first["final"] and not first["flagged"]
    assert [(t["source_text"], t["status"]) for t in second["terms"]] == [("ШОС", "ok")]
    assert report["summary"] == {
        "occurrences": 3,
        "ok": 1,
        "fixed": 2,
        "missing": 0,
        "forbidden": 0,
        "term_accuracy": 1.0,
    }
    assert report["signature"]["glossary"]["entries"] == len(terminology.glossary.entries)
    assert f"glossary:{len(terminology.glossary.entries)}#" in report["signature"]["id"]
    assert sum(len(s.terms) for s in result.segments) == 3


def test_terms_in_text_copied_from_the_web_are_fixed_and_reported(terminology, tmp_path):
    # A soft hyphen and a stress accent inside words, a Latin O in «ШOС»: the terms are
    # found, reported as written, and post-edited like any other.
    first = "Сотрудники орга\u00adнов вну\u0301тренних дел провели операцию «Паутина»."
    second = "Встреча прошла в рамках ШOС."
    source = tmp_path / "web.ru.txt"
    source.write_text(f"{first}\n\n{second}\n", encoding="utf-8")
    engine = ScriptedEngine(
        {
            first: "Officers of the internal affairs agencies conducted Operation Web.",
            second: "The meeting took place within the SCO.",
        }
    )
    result = pipeline.translate(read_document(source), engine, terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    assert (tmp_path / "web.en.txt").read_text(encoding="utf-8") == (
        "Officers of the internal affairs bodies conducted Operation Spider Web.\n"
        "\n"
        "The meeting took place within the SCO.\n"
    )
    report = json.loads((tmp_path / "web.report.json").read_text(encoding="utf-8"))
    one, two = report["segments"]
    assert [(t["source_text"], t["status"]) for t in one["terms"]] == [
        ("орга\u00adнов вну\u0301тренних дел", "fixed"),
        ("операцию «Паутина»", "fixed"),
    ]
    assert [(t["source_text"], t["msgid"], t["status"]) for t in two["terms"]] == [
        ("ШOС", "ШОС", "ok")
    ]
    assert report["summary"]["occurrences"] == 3 and report["summary"]["term_accuracy"] == 1.0


def test_a_term_the_mt_dropped_is_missing_and_flagged(terminology, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Сотрудники ОВД задержали подозреваемого.\n", encoding="utf-8")
    engine = ScriptedEngine({"Сотрудники ОВД задержали подозреваемого.": "A suspect was detained."})
    result = pipeline.translate(read_document(source), engine, terminology)
    outputs.write_translation(result, outputs.paths_for(source, tmp_path))
    report = json.loads((tmp_path / "a.report.json").read_text(encoding="utf-8"))
    [segment] = report["segments"]
    assert segment["flagged"] and segment["final"] == "A suspect was detained."
    assert report["summary"]["missing"] == 1 and report["summary"]["term_accuracy"] == 0.0


def test_standin_runs_attention_and_probe_paths_end_to_end(tiny_model, rutrans, tmp_path):
    """Noise in, noise out — but every locator runs on real CTranslate2 output."""
    out = tmp_path / "out"
    run = rutrans("translate", SEED, "-o", out, "--model", tiny_model, "--glossary", GLOSSARY)
    assert run.code == 0, run.stderr
    assert "terms:" in run.stdout and "term accuracy" in run.stdout
    report = json.loads((out / "kz-mvd-central-asia-meeting.report.json").read_text())
    terms = [t for s in report["segments"] for t in s["terms"]]
    assert len(terms) >= 50
    methods = {t["method"] for t in terms}
    assert "attention" in methods  # the stand-in's attention gives spans to replace
    counted = [t for t in terms if t["source_text"] and t["status"] != "proposed"]
    assert report["summary"]["occurrences"] == len(counted)
    for segment in report["segments"]:
        for term in segment["terms"]:
            if term["status"] == "fixed":
                start, end = term["final_span"]
                assert segment["final"][start:end].lower() == term["target"].lower()


def test_standin_fluent_redecodes_without_error(tiny_model, rutrans, tmp_path):
    run = rutrans(
        "translate", SEED, "-o", tmp_path, "--model", tiny_model, "--glossary", GLOSSARY, "--fluent"
    )
    assert run.code == 0, run.stderr
    report = json.loads((tmp_path / "kz-mvd-central-asia-meeting.report.json").read_text())
    assert report["signature"]["glossary"]["fluent"] is True
    assert "+fluent" in report["signature"]["id"]


def test_no_glossary_switches_post_editing_off(tiny_model, rutrans, tmp_path):
    run = rutrans("translate", SEED, "-o", tmp_path, "--model", tiny_model, "--no-glossary")
    assert run.code == 0, run.stderr
    report = json.loads((tmp_path / "kz-mvd-central-asia-meeting.report.json").read_text())
    assert report["signature"]["glossary"] is None and "summary" not in report
    assert all(s["final"] == s["mt"] for s in report["segments"])


def test_missing_glossary_path_is_a_one_line_error(tiny_model, rutrans, tmp_path):
    run = rutrans(
        "translate",
        SEED,
        "-o",
        tmp_path / "out",
        "--model",
        tiny_model,
        "--glossary",
        tmp_path / "nope",
    )
    assert run.code == 1 and "nope: no such glossary" in run.stderr
    assert not (tmp_path / "out").exists()
