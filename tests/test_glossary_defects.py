"""A glossary defect is reported by lint at its line, and nothing translates with it.

Each defect below once passed lint or was applied anyway: an empty msgstr deleted the
MT's words, ``-`` crashed every run, a newline broke post-editing's line alignment, the
first of two duplicates won silently, and files msgfmt rejects were used as they were.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from rutrans.glossary.lint import lint

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. Collective name for the police and other bodies of an interior ministry.
# rutrans: exact
#, terminology, exact
msgid "ОВД"
msgstr "internal affairs bodies"

#. "ATS" is a calque no English release of the ministries uses.
# rutrans: forbidden
#, forbidden
msgctxt "forbidden"
msgid "ОВД"
msgstr "ATS"

"""
ORGAN = """#. A body of a ministry or agency.
msgid "орган"
msgid_plural "органы"
msgstr[0] "body"
msgstr[1] "bodies"
"""

# name: (entry text appended to HEADER, the rule, the line's text, msgfmt rejects it)
DEFECTS = {
    "empty-msgstr": (
        '#. The SCO.\nmsgid "ШОС"\nmsgstr ""\n',
        "untranslated",
        "#. The SCO.",
        False,
    ),
    "dash-msgstr": ('#. The SCO.\nmsgid "ШОС"\nmsgstr "-"\n', "no-words", "#. The SCO.", False),
    "dash-variant": (
        '#. The SCO.\n# variant: -\nmsgid "ШОС"\nmsgstr "SCO"\n',
        "no-words",
        "#. The SCO.",
        False,
    ),
    "newline-in-msgstr": (
        '#. The SCO.\nmsgid "ШОС"\nmsgstr "Shanghai Cooperation\\nOrganisation"\n',
        "one-line",
        "#. The SCO.",
        False,
    ),
    "duplicate-msgid": (
        '#. The CIS.\nmsgid "СНГ"\nmsgstr "CIS"\n\n#. Again.\nmsgid "СНГ"\nmsgstr "the CIS"\n',
        "duplicate",
        "#. Again.",
        True,
    ),
    "lost-forbidden-marker": (
        '#. Not the SCO.\nmsgctxt "forbidden"\nmsgid "ШОС"\nmsgstr "ShOS"\n',
        "lost-marker",
        "#. Not the SCO.",
        False,
    ),
    "bad-plural-forms": (ORGAN, "plural-header", '"Plural-Forms:', True),
    "invalid-escape": (
        '#. The SCO.\nmsgid "ШОС"\nmsgstr "S\\CO"\n',
        "escape",
        'msgstr "S\\CO"',
        True,
    ),
    "nul-byte": ('#. The SCO.\nmsgid "ШОС"\nmsgstr "SC\x00O"\n', "nul", 'msgstr "SC', False),
    "empty-msgid": ('#. Nothing.\nmsgid ""\nmsgstr "SCO"\n', "empty-msgid", 'msgid ""', True),
    "plural-form-count": (
        ORGAN.replace('msgstr[1] "bodies"\n', ""),
        "plural-index",
        "#. A body",
        True,
    ),
}
SOURCE = "Сотрудники ОВД и представители ШОС обсудили работу органов СНГ.\n"
MT = "ATS officers and SCO representatives discussed the work of the CIS bodies.\n"


def glossary_with(tmp_path: Path, name: str) -> tuple[Path, int]:
    """A glossary folder with the defect, and the 1-based line lint must name."""
    body, _, needle, _ = DEFECTS[name]
    text = HEADER + body
    if name == "bad-plural-forms":
        text = text.replace("plural=(n != 1);", "plural=(n != 1;")
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "terms.po").write_text(text, encoding="utf-8")
    lines = text.split("\n")
    line = max(i for i, line in enumerate(lines, start=1) if line.startswith(needle))
    return folder, line


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_lint_reports_the_defect_at_its_line(name, tmp_path):
    folder, line = glossary_with(tmp_path, name)
    errors = [f for f in lint([folder]) if f.severity == "error"]
    assert (DEFECTS[name][1], line) in [(f.rule, f.line) for f in errors]
    assert all(f.file == folder / "terms.po" for f in errors)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext not installed")
@pytest.mark.parametrize("name", sorted(n for n, d in DEFECTS.items() if d[3]))
def test_msgfmt_rejects_what_lint_rejects_as_a_po_defect(name, tmp_path):
    """The Python checks stand in for msgfmt --check: show they agree with it."""
    folder, _ = glossary_with(tmp_path, name)
    done = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(folder / "terms.po")], capture_output=True
    )
    assert done.returncode != 0


@pytest.mark.parametrize("name", sorted(DEFECTS))
def test_postedit_and_scan_refuse_the_glossary_and_write_nothing(name, rutrans, tmp_path):
    folder, line = glossary_with(tmp_path, name)
    source, mt = tmp_path / "news.ru.txt", tmp_path / "news.mt.txt"
    source.write_text(SOURCE, encoding="utf-8")
    mt.write_text(MT, encoding="utf-8")
    out = tmp_path / "final.txt"
    runs = [
        rutrans("postedit", "--source", source, "--mt", mt, "--glossary", folder, "-o", out),
        rutrans("glossary", "scan", source, "--glossary", folder),
    ]
    for run in runs:
        assert run.code == 1
        [message] = run.stderr.splitlines()
        assert message.startswith(f"rutrans: error: {folder / 'terms.po'}:{line}: ")
        assert f"[{DEFECTS[name][1]}]" in message
        assert run.stdout == ""
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == [
        "news.mt.txt",
        "news.ru.txt",
    ]


@pytest.mark.parametrize("name", ["empty-msgstr", "lost-forbidden-marker", "invalid-escape"])
def test_translate_refuses_the_glossary_and_writes_nothing(name, rutrans, tmp_path, tiny_model):
    folder, line = glossary_with(tmp_path, name)
    source = tmp_path / "news.ru.txt"
    source.write_text(SOURCE, encoding="utf-8")
    outdir = tmp_path / "out"
    run = rutrans("translate", source, "-o", outdir, "--model", tiny_model, "--glossary", folder)
    assert run.code == 1
    [message] = run.stderr.splitlines()
    assert message.startswith(f"rutrans: error: {folder / 'terms.po'}:{line}: ")
    assert not outdir.exists() or not any(outdir.iterdir())
