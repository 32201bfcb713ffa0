"""The glossary keeps its meaning when translators' tools save it.

Poedit and Weblate save PO files the way GNU gettext's own tools do; those drop every
``#,`` flag but ``fuzzy``.  Each test here passes the real ``glossary/`` through one of
them and checks what a user relies on: the same lint result, the same terms found in
Russian text, the same post-edited English.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import GLOSSARY, ROOT, SEED

from rutrans.glossary.lint import checked_glossary, lint
from rutrans.glossary.matcher import Matcher
from rutrans.pipeline import postedit
from rutrans.terminology import Terminology

pytestmark = pytest.mark.skipif(
    shutil.which("msgcat") is None, reason="GNU gettext is not installed (CI installs it)"
)

TOOLS = {
    "msgcat": lambda po, out: ["msgcat", str(po), "-o", str(out)],
    "msgmerge": lambda po, out: ["msgmerge", "--quiet", str(po), str(po), "-o", str(out)],
    "msgattrib": lambda po, out: ["msgattrib", str(po), "-o", str(out)],
    "msguniq": lambda po, out: ["msguniq", str(po), "-o", str(out)],
    "msgconv": lambda po, out: ["msgconv", "-t", "UTF-8", str(po), "-o", str(out)],
}
DEV = ROOT / "tests" / "data" / "term_dev" / "dev.jsonl"


def through(tool: str, folder: Path, names: tuple[str, ...] = ()) -> Path:
    """A copy of the glossary (or of the files *names*), every file saved by *tool*."""
    for po in sorted(GLOSSARY.rglob("*.po")):
        if names and po.name not in names:
            continue
        out = folder / po.relative_to(GLOSSARY)
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(TOOLS[tool](po, out), check=True, capture_output=True)
    return folder


def lint_result(folder: Path) -> list[tuple[str, str, str, str]]:
    """Findings without line numbers (the tools move comment lines about)."""
    return sorted(
        (f.severity, f.rule, f.file.name, re.sub(r":\d+", "", str(f.message)))
        for f in lint([folder])
    )


def scan_result(folder: Path) -> list[tuple[object, ...]]:
    matcher = Matcher(checked_glossary([folder]))
    texts = [SEED.read_text(encoding="utf-8")]
    texts += [json.loads(line)["source"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    return [
        (
            m.start,
            m.end,
            m.entry.msgid,
            m.entry.msgctxt,
            m.entry.status,
            m.entry.target_for(m.number),
        )
        for text in texts
        for m in matcher.find(text)
    ]


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The dev set's sources and first drafts as a line-aligned pair of files."""
    folder = tmp_path_factory.mktemp("drafts")
    items = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    source, mt = folder / "source.txt", folder / "mt.txt"
    source.write_text("".join(item["source"] + "\n" for item in items), encoding="utf-8")
    mt.write_text("".join(item["drafts"][0] + "\n" for item in items), encoding="utf-8")
    return source, mt


def postedit_result(folder: Path, drafts: tuple[Path, Path]) -> list[tuple[object, ...]]:
    result = postedit(*drafts, Terminology.load([folder]))
    return [
        (line.final, tuple((t.msgid, t.status, t.method) for t in line.terms))
        for line in result.lines
    ]


@pytest.fixture(scope="module")
def before(drafts: tuple[Path, Path]) -> dict[str, object]:
    return {
        "lint": lint_result(GLOSSARY),
        "scan": scan_result(GLOSSARY),
        "postedit": postedit_result(GLOSSARY, drafts),
    }


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_a_glossary_saved_by_gettext_tools_means_the_same(tool, tmp_path, drafts, before):
    saved = through(tool, tmp_path / "glossary")
    assert "#, forbidden" not in "".join(
        p.read_text(encoding="utf-8") for p in saved.rglob("*.po")
    ), "the tool kept the flag: this test no longer shows what it should"
    assert lint_result(saved) == before["lint"]
    assert scan_result(saved) == before["scan"]
    assert postedit_result(saved, drafts) == before["postedit"]


def test_a_glossary_declared_cp1251_is_read_in_cp1251(tmp_path):
    """msgconv re-encodes a file and says so in its header; rutrans follows the header.
    (Uzbek names in geography-titles.po have letters CP1251 lacks.)"""
    names = ("crime.po", "law-enforcement.po", "operations.po", "organizations.po")
    utf8 = through("msgconv", tmp_path / "utf8", names)
    cp1251 = tmp_path / "cp1251"
    for po in sorted(utf8.rglob("*.po")):
        out = cp1251 / po.relative_to(utf8)
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["msgconv", "-t", "CP1251", str(po), "-o", str(out)], check=True)
        assert b"charset=CP1251" in out.read_bytes()
    assert lint_result(cp1251) == lint_result(utf8)
    assert scan_result(cp1251) == scan_result(utf8)


FORBIDDEN_WITHOUT_MARKER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. Collective name for the police and other bodies of an interior ministry.
#, terminology
msgid "ОВД"
msgstr "internal affairs bodies"

#. "ATS" is a calque that English releases of the ministries do not use.
#, forbidden
msgctxt "forbidden"
msgid "ОВД"
msgstr "ATS"
"""


def test_a_forbidden_flag_lost_without_its_marker_is_a_lint_error(tmp_path):
    """An old-style entry (flag only): msgcat drops the flag, lint must notice."""
    po = tmp_path / "old.po"
    po.write_text(FORBIDDEN_WITHOUT_MARKER, encoding="utf-8")
    assert [f.rule for f in lint([po])] == ["fragile-flag"]
    saved = tmp_path / "saved" / "old.po"
    saved.parent.mkdir()
    subprocess.run(["msgcat", str(po), "-o", str(saved)], check=True)
    errors = [f for f in lint([saved]) if f.severity == "error"]
    assert [f.rule for f in errors] == ["lost-marker"]
    entry = saved.read_text(encoding="utf-8").split("\n\n")
    lines = saved.read_text(encoding="utf-8").split("\n")[errors[0].line - 1 :]
    assert 'msgctxt "forbidden"' in "\n".join(lines[: lines.index("")] if "" in lines else lines)
    assert entry


def test_sticky_flags_are_read(tmp_path):
    """GNU gettext's announced ``#=`` sticky flags, as written and as msgcat 0.21 keeps them."""
    for name, line in (("sticky.po", "#= forbidden"), ("rewritten.po", "# = forbidden")):
        po = tmp_path / name
        po.write_text(FORBIDDEN_WITHOUT_MARKER.replace("#, forbidden", line), encoding="utf-8")
        [forbidden] = [e for e in checked_glossary([po]).entries if e.msgctxt]
        assert forbidden.status == "forbidden"
