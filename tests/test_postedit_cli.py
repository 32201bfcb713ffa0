"""`rutrans postedit`: MT from any system, line-aligned with its Russian source."""

from __future__ import annotations

import json

from conftest import GLOSSARY

SOURCE = (
    "Сотрудники органов внутренних дел задержали троих.\n"
    "\n"
    "Операция «Паутина» прошла в рамках ШОС.\n"
)
MT = (
    "Officers of the internal affairs agencies detained three.\n"
    "\n"
    "The Cobweb operation took place within the Shanghai Organization.\n"
)


def write(tmp_path, source=SOURCE, mt=MT, encoding="utf-8"):
    src, hyp = tmp_path / "news.ru.txt", tmp_path / "news.deepl.txt"
    src.write_text(source, encoding="utf-8")
    hyp.write_bytes(mt.encode(encoding))
    return src, hyp


def test_postedits_line_aligned_files_and_writes_a_report(rutrans, tmp_path):
    src, hyp = write(tmp_path)
    report = tmp_path / "r.json"
    run = rutrans(
        "postedit", "--source", src, "--mt", hyp, "--glossary", GLOSSARY, "--report", report
    )
    assert run.code == 0, run.stderr
    out = tmp_path / "news.deepl.postedited.txt"
    lines = out.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "Officers of the internal affairs bodies detained three."
    assert lines[1] == ""
    assert "within the SCO" in lines[2]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["signature"]["engine"] == "external"
    assert [s["line"] for s in data["segments"]] == [1, 2, 3]
    assert data["summary"]["occurrences"] == 3
    assert "terms: 3 occurrences" in run.stdout


def test_output_path_and_crlf_are_kept(rutrans, tmp_path):
    src, hyp = write(tmp_path, mt=MT.replace("\n", "\r\n"))
    out = tmp_path / "final.txt"
    run = rutrans("postedit", "--source", src, "--mt", hyp, "--glossary", GLOSSARY, "-o", out)
    assert run.code == 0, run.stderr
    assert out.read_bytes().count(b"\r\n") == 3


def test_mismatched_line_counts_is_a_one_line_error(rutrans, tmp_path):
    src, hyp = write(tmp_path, mt="Only one line.\n")
    run = rutrans("postedit", "--source", src, "--mt", hyp, "--glossary", GLOSSARY)
    assert run.code == 1
    assert "has 1 lines but" in run.stderr and "line-aligned" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "news.deepl.postedited.txt").exists()


def test_missing_files_and_glossary(rutrans, tmp_path):
    src, hyp = write(tmp_path)
    no_mt = rutrans("postedit", "--source", src, "--mt", tmp_path / "x.txt", "--glossary", GLOSSARY)
    assert no_mt.code == 1 and "x.txt: no such file" in no_mt.stderr
    no_glossary = rutrans("postedit", "--source", src, "--mt", hyp)  # cwd has no glossary/
    assert no_glossary.code == 1 and "--glossary" in no_glossary.stderr
    assert not any(p.name.endswith("postedited.txt") for p in tmp_path.iterdir())


def test_postedit_with_a_model_runs_end_to_end(rutrans, tiny_model, tmp_path):
    """The tiny stand-in's attention is noise; this shows the whole path runs: probes,
    forced alignment with the given MT as target prefix, and a signed report."""
    src, hyp = write(tmp_path)
    report = tmp_path / "r.json"
    run = rutrans(
        "postedit", "--source", src, "--mt", hyp, "--glossary", GLOSSARY,
        "--report", report, "--model", tiny_model,
    )  # fmt: skip
    assert run.code == 0, run.stderr
    assert "stand-in model" in run.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    signature = data["signature"]
    assert signature["engine"] == "argos-ctranslate2" and signature["model"]["standin"]
    assert "|aligner:translate-ru_en@" in signature["id"] and "STANDIN-NOISE" in signature["id"]
    assert signature["mt"]["path"] == str(hyp)
    lines = (tmp_path / "news.deepl.postedited.txt").read_text(encoding="utf-8").split("\n")
    assert lines[0] == "Officers of the internal affairs bodies detained three."


def test_forced_alignment_gives_postedit_the_engines_attention(tmp_path):
    """With an engine, a rendering no locator of words can find is found by where the
    engine's attention puts the term — over the MT it was given, not its own."""
    from scripted import ScriptedEngine

    from rutrans import pipeline
    from rutrans.terminology import Terminology

    russian = "Совещание приграничных регионов началось в Оше."
    english = "The meeting of the frontline districts began in Osh."
    src, hyp = write(tmp_path, source=russian + "\n", mt=english + "\n")
    # Target words 4-5 ("frontline districts") attend to source words 1-2.
    engine = ScriptedEngine({}, alignments={russian: {4: 1, 5: 2}})
    terminology = Terminology.load([GLOSSARY])
    without = pipeline.postedit(src, hyp, terminology)
    assert without.lines[0].final == english  # nothing lexical ties the words to the term
    result = pipeline.postedit(src, hyp, terminology, engine)
    [line] = result.lines
    assert line.final == "The meeting of the border regions began in Osh."
    fixed = [t for t in line.terms if t.status == "fixed"]
    assert [(t.target, str(t.method)) for t in fixed] == [("border regions", "attention")]
    assert any(call == [russian] for call in engine.calls)  # one aligned line, one call
