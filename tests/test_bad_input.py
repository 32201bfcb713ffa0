"""Every failure a user can cause: one line naming the file and the fix, exit 1, no
traceback, and no output file left behind."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

GOOD_TEXT = "Сотрудники органов внутренних дел задержали преступника.\n"


def assert_user_error(run, *fragments: str) -> None:
    assert run.code == 1, (run.code, run.stdout, run.stderr)
    lines = run.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("rutrans: error: ")]
    assert len(errors) == 1, run.stderr
    assert "Traceback" not in run.stderr
    for fragment in fragments:
        assert fragment in errors[0], (fragment, errors[0])


def no_outputs(folder: Path) -> bool:
    return not folder.exists() or not any(
        p.name.endswith((".en.txt", ".en.md", ".report.json", ".part")) for p in folder.iterdir()
    )


def rezip(model: Path, target: Path, edit) -> Path:
    """Copy an .argosmodel with its members changed by ``edit(name, data) -> data | None``."""
    with zipfile.ZipFile(model) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = edit(item.filename, src.read(item.filename))
            if data is not None:
                dst.writestr(item.filename, data)
    return target


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "doc.txt"
    path.write_text(GOOD_TEXT, encoding="utf-8")
    return path


# --- inputs ------------------------------------------------------------------------------


def test_missing_file(tiny_model, rutrans, tmp_path):
    out = tmp_path / "out"
    run = rutrans("translate", tmp_path / "нет.txt", "-o", out, "--model", tiny_model)
    assert_user_error(run, "нет.txt", "no such file", "check the path")
    assert no_outputs(out)


def test_directory_without_documents(tiny_model, rutrans, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")
    run = rutrans("translate", empty, "--model", tiny_model)
    assert_user_error(run, str(empty), "no .txt, .md, .docx, .odt or .html documents")
    assert no_outputs(empty)


def test_empty_file(tiny_model, rutrans, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n", encoding="utf-8")
    run = rutrans("translate", path, "--model", tiny_model)
    assert_user_error(run, "empty.txt", "empty")
    assert no_outputs(tmp_path)


def test_binary_file(tiny_model, rutrans, tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)))
    run = rutrans("translate", path, "--model", tiny_model)
    assert_user_error(run, "photo.txt", "binary")
    assert no_outputs(tmp_path)


def test_undecodable_bytes_with_forced_encoding(tiny_model, rutrans, tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes("Глава МВД\n".encode() + b"\xd0\xd0\xff\xfe\n")
    run = rutrans("translate", path, "--encoding", "utf-8", "--model", tiny_model)
    assert_user_error(run, "broken.txt:2", "--encoding")
    assert no_outputs(tmp_path)


def test_unsupported_format(tiny_model, rutrans, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    run = rutrans("translate", path, "--model", tiny_model)
    assert_user_error(run, "report.pdf", ".docx, .odt and .html")
    assert no_outputs(tmp_path)


# --- models ------------------------------------------------------------------------------


def test_no_model_installed(rutrans, document):
    run = rutrans("translate", document)
    assert_user_error(run, "no Russian→English model is installed", "--from-file", "--model")
    assert no_outputs(document.parent)


def test_model_that_is_not_a_zip(rutrans, document, tmp_path):
    fake = tmp_path / "fake.argosmodel"
    fake.write_text("not a model")
    run = rutrans("translate", document, "--model", fake)
    assert_user_error(run, "fake.argosmodel", "not a zip", "download")
    assert no_outputs(document.parent)


def test_model_without_metadata(tiny_model, rutrans, document, tmp_path):
    model = rezip(
        tiny_model,
        tmp_path / "nometa.argosmodel",
        lambda name, data: None if name.endswith("metadata.json") else data,
    )
    run = rutrans("translate", document, "--model", model)
    assert_user_error(run, "nometa.argosmodel", "no metadata.json")
    assert no_outputs(document.parent)


def test_model_for_the_wrong_direction(tiny_model, rutrans, document, tmp_path):
    def flip(name: str, data: bytes) -> bytes:
        if name.endswith("metadata.json"):
            meta = json.loads(data)
            meta.update(from_code="en", to_code="ru")
            return json.dumps(meta).encode()
        return data

    model = rezip(tiny_model, tmp_path / "en_ru.argosmodel", flip)
    run = rutrans("translate", document, "--model", model)
    assert_user_error(run, "en_ru.argosmodel", "en→ru", "ru→en")
    assert no_outputs(document.parent)


def test_model_with_model_bin_missing(tiny_model, rutrans, document, tmp_path):
    model = rezip(
        tiny_model,
        tmp_path / "nobin.argosmodel",
        lambda name, data: None if name.endswith("model/model.bin") else data,
    )
    run = rutrans("translate", document, "--model", model)
    assert_user_error(run, "nobin.argosmodel", "model/model.bin", "download")
    assert no_outputs(document.parent)


def test_model_with_damaged_model_bin(tiny_model, rutrans, document, tmp_path):
    model = rezip(
        tiny_model,
        tmp_path / "damaged.argosmodel",
        lambda name, data: data[:1000] if name.endswith("model/model.bin") else data,
    )
    run = rutrans("translate", document, "--model", model)
    assert_user_error(run, "damaged.argosmodel", "CTranslate2 cannot load", "download it again")
    assert no_outputs(document.parent)


def test_install_refuses_a_damaged_model(tiny_model, rutrans, tmp_path):
    model = rezip(
        tiny_model,
        tmp_path / "damaged.argosmodel",
        lambda name, data: data[:1000] if name.endswith("model/model.bin") else data,
    )
    run = rutrans("model", "install", "--from-file", model)
    assert_user_error(run, "damaged.argosmodel", "CTranslate2 cannot load")
    listed = rutrans("model", "list")
    assert "no ru→en package installed" in listed.stdout


def test_unsupported_compute_type_and_device(tiny_model, rutrans, document):
    bad_type = rutrans("translate", document, "--model", tiny_model, "--compute-type", "int3")
    assert_user_error(bad_type, "--compute-type int3", "use one of")
    if not _has_cuda():
        no_gpu = rutrans("translate", document, "--model", tiny_model, "--device", "cuda")
        assert_user_error(no_gpu, "--device cuda", "--device cpu")
    assert no_outputs(document.parent)


def test_unencodable_output_names_the_output_file(tiny_model, rutrans, document):
    run = rutrans(
        "translate", document, "--model", tiny_model, "--no-glossary", "--output-encoding", "ascii"
    )
    out = document.with_name("doc.en.txt")
    # The stand-in's noise is Cyrillic subwords: ASCII cannot hold it.
    assert_user_error(run, f"{out}:1:", "--output-encoding utf-8")
    assert no_outputs(document.parent)


def _has_cuda() -> bool:
    import ctranslate2

    return ctranslate2.get_cuda_device_count() > 0


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


def test_a_fifo_or_a_device_is_refused_without_hanging(rutrans, tmp_path, fifo, tiny_model):
    """Opening a FIFO blocks until someone writes; /dev/zero never ends."""
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    source = tmp_path / "s.txt"
    source.write_text(GOOD_TEXT, encoding="utf-8")
    for path in (fifo, zero):
        run = rutrans("translate", path, "--model", tiny_model, "-o", tmp_path / "out")
        assert_user_error(run, str(path), "not a regular file")
        run = rutrans("postedit", "--source", source, "--mt", path, "--glossary", "x.po")
        assert run.code == 1 and "Traceback" not in run.stderr
    pipe_po = tmp_path / "g.po"
    os.mkfifo(pipe_po)
    run = rutrans("glossary", "lint", pipe_po)
    assert run.code == 1 and "not a regular file" in run.stderr and "Traceback" not in run.stderr
    run = rutrans("glossary", "import", fifo.rename(tmp_path / "pipe.csv"), "-o", tmp_path / "o.po")
    assert_user_error(run, "pipe.csv", "not a regular file")
    run = rutrans("review", zero)
    assert_user_error(run, str(zero), "not a regular file")
    assert no_outputs(tmp_path / "out")
