"""`rutrans translate` end to end on the tiny stand-in model (random weights).

The stand-in's output is noise, so these tests check what a user can rely on whatever the
model says: which files appear, that the document's structure survives, that the report
has one entry per segment with a signature, and that the model really ran.
"""

from __future__ import annotations

import json

from conftest import SEED

SEED_PARAGRAPHS = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_seed_translates_to_one_paragraph_per_source_paragraph(tiny_model, rutrans, tmp_path):
    out = tmp_path / "out"
    run = rutrans("translate", SEED, "-o", out, "--model", tiny_model)
    assert run.code == 0, run.stderr
    translation = out / "kz-mvd-central-asia-meeting.en.txt"
    report_path = out / "kz-mvd-central-asia-meeting.report.json"
    reviews = ["kz-mvd-central-asia-meeting.review.po", "kz-mvd-central-asia-meeting.review.html"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [translation.name, report_path.name, *reviews]
    )

    source_lines = SEED.read_text(encoding="utf-8").split("\n")
    target_lines = translation.read_text(encoding="utf-8").split("\n")
    # Same number of lines, blank lines in the same places, every paragraph translated.
    assert len(target_lines) == len(source_lines)
    assert [not s.strip() for s in source_lines] == [not t.strip() for t in target_lines]
    assert len([t for t in target_lines if t.strip()]) == len(SEED_PARAGRAPHS)
    assert all(s != t for s, t in zip(source_lines, target_lines, strict=True) if s.strip())

    report = json.loads(report_path.read_text(encoding="utf-8"))
    segments = report["segments"]
    assert len(segments) >= 20
    assert [s["id"] for s in segments] == list(range(1, len(segments) + 1))
    assert {s["paragraph"] for s in segments} == set(range(1, len(SEED_PARAGRAPHS) + 1))
    for segment in segments:
        paragraph = SEED_PARAGRAPHS[segment["paragraph"] - 1]
        assert paragraph[segment["start"] : segment["end"]] == segment["source"]
        assert segment["mt"] and segment["final"] == segment["mt"]
    # Every character of every paragraph is in a segment or is whitespace between them.
    for number, paragraph in enumerate(SEED_PARAGRAPHS, start=1):
        covered = "".join(s["source"] for s in segments if s["paragraph"] == number)
        assert "".join(covered.split()) == "".join(paragraph.split())

    signature = report["signature"]
    assert signature["rutrans"]
    assert signature["model"]["code"] == "translate-ru_en"
    assert signature["model"]["version"] == "0.0.0+standin.tiny"
    assert len(signature["model"]["sha256"]) == 64
    assert signature["model"]["standin"] is True
    assert signature["decoding"]["beam_size"] == 4
    assert signature["decoding"]["compute_type"] == "int8"
    assert "beam:4" in signature["id"] and "STANDIN-NOISE" in signature["id"]
    assert "stand-in" in run.stderr and "noise" in run.stderr


def test_beam_and_threads_reach_the_signature(tiny_model, rutrans, tmp_path):
    run = rutrans("translate", SEED, "-o", tmp_path, "--model", tiny_model, "--beam", "2")
    assert run.code == 0, run.stderr
    report = json.loads((tmp_path / "kz-mvd-central-asia-meeting.report.json").read_text())
    assert report["signature"]["decoding"]["beam_size"] == 2
    assert "beam:2" in report["signature"]["id"]


def test_outputs_go_next_to_the_input_without_outdir(tiny_model, rutrans, tmp_path):
    source = tmp_path / "встреча.txt"
    source.write_text("Глава МВД РК провел встречу.\n\nОперация «Паутина» завершена.\n")
    run = rutrans("translate", source, "--model", tiny_model)
    assert run.code == 0, run.stderr
    assert (tmp_path / "встреча.en.txt").exists()
    assert (tmp_path / "встреча.report.json").exists()
    assert "встреча.en.txt" in run.stdout


def test_a_directory_translates_its_documents_but_not_earlier_outputs(
    tiny_model, rutrans, tmp_path
):
    (tmp_path / "a.ru.txt").write_text("Сотрудники органов внутренних дел задержали преступника.\n")
    (tmp_path / "b.md").write_text("# В рамках ШОС\n\nПроведена операция «Паутина».\n")
    (tmp_path / "old.en.txt").write_text("An earlier output.\n")
    out = tmp_path / "out"
    run = rutrans("translate", tmp_path, "-o", out, "--model", tiny_model)
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "a.en.txt",
        "a.report.json",
        "a.review.html",
        "a.review.po",
        "b.en.md",
        "b.report.json",
        "b.review.html",
        "b.review.po",
    ]


def test_markdown_structure_survives(tiny_model, rutrans, tmp_path):
    source = tmp_path / "brief.md"
    source.write_text(
        "## Встреча министров внутренних дел\n"
        "\n"
        "- Сотрудничество органов внутренних дел.\n"
        "- Операция **«Паутина»** в рамках [ШОС](https://example.org/sco_news).\n"
        "\n"
        "```\n"
        "код не переводится\n"
        "```\n",
        encoding="utf-8",
    )
    run = rutrans("translate", source, "--model", tiny_model)
    assert run.code == 0, run.stderr
    lines = (tmp_path / "brief.en.md").read_text(encoding="utf-8").split("\n")
    assert lines[0].startswith("## ") and lines[0] != "## Встреча министров внутренних дел"
    assert lines[1] == ""
    assert lines[2].startswith("- ")
    assert lines[3].startswith("- ") and "**" in lines[3]
    assert "](https://example.org/sco_news)." in lines[3]
    assert lines[5:9] == ["```", "код не переводится", "```", ""]
    report = json.loads((tmp_path / "brief.report.json").read_text(encoding="utf-8"))
    sources = [s["source"] for s in report["segments"]]
    assert not any("код не переводится" in s or "https://" in s or "**" in s for s in sources)


def test_cp1251_input_is_written_back_in_cp1251(tiny_model, rutrans, tmp_path):
    source = tmp_path / "cp.txt"
    source.write_bytes("Министр внутренних дел РК провел встречу.\r\n".encode("cp1251"))
    run = rutrans("translate", source, "--model", tiny_model)
    assert run.code == 0, run.stderr
    data = (tmp_path / "cp.en.txt").read_bytes()
    assert data.endswith(b"\r\n")
    data.decode("cp1251")  # written in the input's encoding
    report = json.loads((tmp_path / "cp.report.json").read_text(encoding="utf-8"))
    assert report["signature"]["input"]["encoding"] == "cp1251"
