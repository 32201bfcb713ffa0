"""`rutrans glossary lint`: each defect is reported with file:line; errors exit 1."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

from rutrans.glossary.lint import lint

HEADER = """msgid ""
msgstr ""
"Language: en\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""

GOOD_ENTRY = """#. Collective name for the police and other bodies of an interior ministry.
# variant: internal affairs agencies
#, terminology
msgid "орган внутренних дел"
msgid_plural "органы внутренних дел"
msgstr[0] "internal affairs body"
msgstr[1] "internal affairs bodies"
"""


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the entry that contains *needle* (its first comment/flag line)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, line in enumerate(lines) if needle in line)
    while index > 0 and lines[index - 1].strip():
        index -= 1
    return index + 1


def findings(folder: Path, rule: str) -> list:
    return [f for f in lint([folder]) if f.rule == rule]


def test_a_clean_file_has_no_findings(tmp_path):
    write(tmp_path, "a.po", GOOD_ENTRY)
    assert lint([tmp_path]) == []


def test_invalid_po_is_reported_with_its_line(tmp_path):
    path = write(tmp_path, "bad.po", GOOD_ENTRY + '\nmsgid "ШОС"\nmsgstr "SCO\n')
    found = findings(tmp_path, "invalid-po")
    assert len(found) == 1 and found[0].severity == "error" and found[0].file == path
    assert found[0].line >= 13


def test_duplicate_across_files(tmp_path):
    write(tmp_path, "a.po", GOOD_ENTRY)
    second = write(tmp_path, "b.po", GOOD_ENTRY)
    [found] = findings(tmp_path, "duplicate")
    assert (found.file, found.line) == (second, line_of(second, "орган внутренних дел"))
    assert "a.po" in found.message


def test_conflicting_entries_for_the_same_russian(tmp_path):
    write(tmp_path, "a.po", GOOD_ENTRY)
    other = write(
        tmp_path,
        "b.po",
        '#. Plural-only form of the same term.\nmsgid "органы внутренних дел"\nmsgstr "police"\n',
    )
    [found] = findings(tmp_path, "conflict")
    assert (found.file, found.line) == (other, line_of(other, "органы внутренних дел"))
    assert found.severity == "error"


def test_untranslated_approved_entry(tmp_path):
    path = write(tmp_path, "a.po", '#. The SCO.\nmsgid "ШОС"\nmsgstr ""\n')
    [found] = findings(tmp_path, "untranslated")
    assert (found.file, found.line, found.severity) == (path, line_of(path, "ШОС"), "error")


def test_fuzzy_untranslated_entry_is_fine(tmp_path):
    write(tmp_path, "a.po", '#. Proposed.\n#, fuzzy\nmsgid "ШОС"\nmsgstr ""\n')
    assert findings(tmp_path, "untranslated") == []


def test_unknown_flag(tmp_path):
    path = write(
        tmp_path, "a.po", '#. The SCO.\n#, terminology, exakt\nmsgid "ШОС"\nmsgstr "SCO"\n'
    )
    [found] = findings(tmp_path, "unknown-flag")
    assert found.line == line_of(path, "ШОС") and "exakt" in found.message


def test_plural_forms_that_are_not_one_term(tmp_path):
    path = write(
        tmp_path,
        "a.po",
        '#. Border regions.\nmsgid "приграничный регион"\nmsgid_plural "пограничные округа"\n'
        'msgstr[0] "border region"\nmsgstr[1] "border regions"\n',
    )
    [found] = findings(tmp_path, "plural")
    assert (found.line, found.severity) == (line_of(path, "приграничный регион"), "error")


def test_mixed_script_russian_cannot_be_analysed(tmp_path):
    # "oрган" starts with a Latin "o": it looks right and never matches.
    path = write(
        tmp_path, "a.po", '#. Body.\nmsgid "oрган внутренних дел"\nmsgstr "internal affairs body"\n'
    )
    [found] = findings(tmp_path, "morphology")
    assert (found.line, found.severity) == (line_of(path, "oрган"), "error")


def test_unknown_russian_word_is_a_warning(tmp_path):
    write(
        tmp_path, "a.po", '#. Nonsense.\nmsgid "зюзюкальная операция"\nmsgstr "zyuzyuk operation"\n'
    )
    [found] = findings(tmp_path, "morphology")
    assert found.severity == "warning" and "зюзюкальная" in found.message


def test_rendering_both_approved_and_forbidden(tmp_path):
    path = write(
        tmp_path,
        "a.po",
        GOOD_ENTRY
        + '\n#. Wrong.\n#, forbidden\nmsgctxt "forbidden"\nmsgid "орган внутренних дел"\n'
        'msgstr "internal affairs bodies"\n',
    )
    [found] = findings(tmp_path, "forbidden-approved")
    assert found.severity == "error" and found.line == line_of(path, "#, forbidden")


def test_cli_exit_codes_and_file_line_output(tmp_path, rutrans):
    write(tmp_path, "good.po", GOOD_ENTRY)
    ok = rutrans("glossary", "lint", tmp_path)
    assert ok.code == 0 and "0 errors" in ok.stderr
    bad = write(tmp_path, "bad.po", '#. The SCO.\nmsgid "ШОС"\nmsgstr ""\n')
    failed = rutrans("glossary", "lint", tmp_path)
    assert failed.code == 1
    assert f"{bad}:{line_of(bad, 'ШОС')}: error:" in failed.stderr
    assert "Traceback" not in failed.stderr


def test_warnings_alone_exit_zero(tmp_path, rutrans):
    write(tmp_path, "a.po", 'msgid "ШОС"\nmsgstr "SCO"\n')  # no note: a warning
    run = rutrans("glossary", "lint", tmp_path)
    assert run.code == 0 and "warning" in run.stdout + run.stderr


@pytest.mark.skipif(not (ROOT / "glossary" / "ru-en").is_dir(), reason="no project glossary")
def test_the_project_glossary_passes_lint_and_msgfmt():
    errors = [f for f in lint([ROOT / "glossary"]) if f.severity == "error"]
    assert errors == []
    if shutil.which("msgfmt"):
        for po in sorted((ROOT / "glossary").rglob("*.po")):
            done = subprocess.run(
                ["msgfmt", "--check-format", "-o", "/dev/null", str(po)],
                capture_output=True,
                text=True,
            )
            assert done.returncode == 0, (po, done.stderr)
