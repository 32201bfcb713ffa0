"""The hostile inputs of ``badcorpus.py``: every kind of file rutrans reads, made bad in
every way a user (or an attacker) could, and what each command should do with each.

Each :class:`Case` knows how to write its input (``make``) from valid ones (:class:`Goods`)
and which outcome a user should get from each command that reads it (``expect``; default
``error``).  Model packages are derived from the tiny stand-in, reports and review POs
from a real ``rutrans translate`` run.
"""

from __future__ import annotations

import json
import os
import random
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rutrans.engine.archive import MAX_UNPACKED_BYTES
from rutrans.files import MAX_INPUT_BYTES
from rutrans.pofile import MAX_BYTES as MAX_PO_BYTES

if TYPE_CHECKING:
    from badcorpus import Use

GOOD_TEXT = (
    "Сотрудники органов внутренних дел Казахстана задержали членов преступной группы.\n"
    "В совместной операции участвовали представители ШОС.\n"
)
GOOD_MT = (
    "Officers of the internal affairs bodies of Kazakhstan detained members of a criminal "
    "group.\nRepresentatives of the SCO took part in the joint operation.\n"
)
GOOD_PO = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#. Collective name for the police and other bodies of an interior ministry.
#, terminology
msgid "орган внутренних дел"
msgid_plural "органы внутренних дел"
msgstr[0] "internal affairs body"
msgstr[1] "internal affairs bodies"

#. The Shanghai Cooperation Organisation.
# rutrans: exact
#, terminology, exact
msgid "ШОС"
msgstr "SCO"
"""
GOOD_CSV = "ШОС,SCO\nорганы внутренних дел,internal affairs bodies\n"
# «Приказ» in cp1251: a name an old Windows archive unpacks to, not valid UTF-8.
NOT_UTF8_NAME = b"\xcf\xf0\xe8\xea\xe0\xe7"
SUFFIX = {
    "document": ".txt",
    "glossary": ".po",
    "model": ".argosmodel",
    "report": ".report.json",
    "review": ".review.po",
    "import": ".csv",
}
CAP = {  # the size caps rutrans documents; "huge" is one byte over
    "document": MAX_INPUT_BYTES,
    "glossary": MAX_PO_BYTES,
    "model": MAX_UNPACKED_BYTES,
    "report": MAX_INPUT_BYTES,
    "review": MAX_PO_BYTES,
    "import": MAX_INPUT_BYTES,
}
TEXT_KINDS = ("document", "glossary", "report", "review", "import")


@dataclass(frozen=True)
class Goods:
    """Valid inputs: what a command needs besides the bad file."""

    document: Path
    mt: Path
    glossary: Path
    report: Path
    review: Path
    model: Path
    csv: Path

    def of(self, kind: str) -> Path:
        return {
            "document": self.document,
            "glossary": self.glossary,
            "model": self.model,
            "report": self.report,
            "review": self.review,
            "import": self.csv,
        }[kind]


Make = Callable[[Path, Goods], Path]
"""Write one bad input at the path given (or beside it) and return the path to pass."""


@dataclass(frozen=True)
class Case:
    """One bad input and what each command that reads its kind should do with it."""

    kind: str
    name: str
    what: str
    make: Make = field(repr=False)
    expect: Mapping[str, str] = field(default_factory=dict)  # use key or command → outcome
    isolate: bool = False  # a subprocess: a wrong read would hang or eat memory
    unprivileged: bool = False  # chmod 000: only binds where root's override is dropped
    names: str | None = None  # what the error must name, when not the bad path
    path: Path | None = None  # set by build()
    companion: Path | None = None  # for documents: a review PO that names this one

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.name}"

    def outcome(self, use: Use) -> str:
        for key in (use.key, use.command):
            if key in self.expect:
                return self.expect[key]
        return use.default


def write(path: Path, data: bytes | str) -> Path:
    """Write *data* (text as UTF-8) to *path*, making its folder; *path*."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --- generic cases: every kind -----------------------------------------------------------


def _text(goods: Goods, kind: str) -> str:
    return goods.of(kind).read_text(encoding="utf-8")


def _mixed(text: str) -> bytes:
    """*text* in UTF-8 but for its last line with Cyrillic, in cp1251 (a paste)."""
    lines = text.splitlines(keepends=True)
    last = max(i for i, line in enumerate(lines) if re.search("[а-яА-Я]", line))
    return b"".join(
        line.encode("cp1251", "replace") if i == last else line.encode()
        for i, line in enumerate(lines)
    )


def _cp1251_in_utf8_file(goods: Goods, kind: str) -> bytes:
    if kind == "document":  # cp1251 is a document encoding; French in Latin-1 is not
        return "Le café de la rue Montorgueil a été fermé l'été dernier.\n".encode("latin-1")
    return _text(goods, kind).encode("cp1251", "replace")  # a file that declares UTF-8


def _fifo(path: Path, goods: Goods) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    return path


def _link(path: Path, target: str | Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def _loop(path: Path, goods: Goods) -> Path:
    other = path.with_name(f"{path.name}-loop")
    _link(path, other.name)
    _link(other, path.name)
    return path


def _directory(path: Path, goods: Goods) -> Path:
    path.mkdir(parents=True)
    return path


def _sparse(path: Path, size: int) -> Path:
    """A file of *size* bytes that takes no disk: a hole, as ``truncate -s`` makes."""
    write(path, b"")
    os.truncate(path, size)
    return path


def _valid(path: Path, goods: Goods, kind: str) -> bytes:
    """A valid input of *kind* to write at *path* (a review PO must name its document)."""
    if kind == "review":
        return review_text(goods, path.parent).encode("utf-8")
    return goods.of(kind).read_bytes()


def _unreadable(path: Path, goods: Goods, kind: str) -> Path:
    write(path, _valid(path, goods, kind))
    path.chmod(0)
    return path


def _badly_named(path: Path, goods: Goods, kind: str) -> Path:
    named = path.with_name(os.fsdecode(NOT_UTF8_NAME + SUFFIX[kind].encode()))
    return write(named, _valid(named, goods, kind))


def _generic(kind: str) -> list[Case]:
    """What any file a user names can be: missing, empty, not a file, endless, junk…"""
    at_cap = CAP[kind] + 1
    lint = {"glossary lint": "error"}  # lint cannot even start: no file to report on
    cases = [
        Case(kind, "missing", "no such file", lambda p, g: p, lint),
        Case(kind, "empty", "0 bytes", lambda p, g: write(p, b""),
             {"glossary extract": "ok"} if kind == "glossary" else {}),
        Case(kind, "directory", "an empty folder with the file's name", _directory, lint),
        Case(kind, "fifo", "a named pipe nobody writes to", _fifo, isolate=True),
        Case(kind, "dev-zero", "a symlink to /dev/zero",
             lambda p, g: _link(p, "/dev/zero"), isolate=True),
        Case(kind, "symlink-loop", "a symlink to a symlink to it", _loop, lint),
        Case(kind, "binary", "4 KiB of random bytes",
             lambda p, g: write(p, b"\0" + random.Random(13).randbytes(4096))),
        Case(kind, "huge", f"{at_cap} bytes, over the {CAP[kind]}-byte cap (sparse)",
             lambda p, g: _sparse(p, at_cap), isolate=True),
        Case(kind, "unreadable", "chmod 000",
             lambda p, g: _unreadable(p, g, kind), unprivileged=True),
        Case(kind, "not-utf8-name", "valid content, a file name in cp1251 bytes",
             lambda p, g: _badly_named(p, g, kind),
             {"apply": "n/a"} if kind == "document" else {}),
    ]  # fmt: skip
    if kind in TEXT_KINDS:
        cases += [
            Case(kind, "invalid-utf8", "not UTF-8, nor Russian in cp1251 or koi8-r"
                 if kind == "document" else "cp1251 bytes in a file that declares UTF-8",
                 lambda p, g: write(p, _cp1251_in_utf8_file(g, kind))),
            Case(kind, "mixed-encodings", "UTF-8 lines and a cp1251 line",
                 lambda p, g: write(p, _mixed(_text(g, kind)))),
        ]  # fmt: skip
    return cases


# --- documents -----------------------------------------------------------------------------


DOCUMENT_CASES = [
    Case("document", "utf-16", "UTF-16 with BOM (Notepad's 'Unicode')",
         lambda p, g: write(p, GOOD_TEXT.encode("utf-16"))),
    Case("document", "nul-in-text", "Russian text with one NUL byte",
         lambda p, g: write(p, GOOD_TEXT[:30] + "\0" + GOOD_TEXT[30:])),
    Case("document", "cp1251", "valid Russian in cp1251 (a supported encoding)",
         lambda p, g: write(p, GOOD_TEXT.encode("cp1251")),
         {"translate": "ok", "postedit": "ok", "glossary scan": "ok",
          "glossary extract": "ok", "apply": "n/a"}),
    Case("document", "markdown-code-only", "Markdown with no prose, only a code block",
         lambda p, g: write(p.with_suffix(".md"), "```\nrutrans --help\n```\n"),
         {"translate": "ok", "glossary scan": "ok", "glossary extract": "ok",
          "apply": "n/a"}),
]  # fmt: skip


# --- glossaries ----------------------------------------------------------------------------


def _folder_with(path: Path, goods: Goods, name: str, make: Make) -> Path:
    folder = path.with_suffix("")
    write(folder / "good.po", goods.glossary.read_bytes())
    make(folder / name, goods)
    return folder


GLOSSARY_CASES = [
    Case("glossary", "not-po", "a plain-text note",
         lambda p, g: write(p, "Термины: ОВД — internal affairs bodies.\n")),
    Case("glossary", "truncated", "a PO file cut inside a string",
         lambda p, g: write(p, GOOD_PO[: GOOD_PO.index("internal affairs bodies") + 8])),
    Case("glossary", "unknown-charset", "a header declaring charset=KOI8-XYZ",
         lambda p, g: write(p, GOOD_PO.replace("UTF-8", "KOI8-XYZ"))),
    Case("glossary", "header-only", "a valid PO file with a header and no entries",
         lambda p, g: write(p, GOOD_PO[: GOOD_PO.index("#.")]), {"glossary extract": "ok"}),
    Case("glossary", "folder-binary-member", "a glossary folder with a binary .po in it",
         lambda p, g: _folder_with(p, g, "junk.po", lambda q, _: write(q, bytes(range(256))))),
    Case("glossary", "folder-fifo-member", "a glossary folder with a FIFO named .po",
         lambda p, g: _folder_with(p, g, "pipe.po", _fifo), isolate=True),
]  # fmt: skip


# --- model packages ------------------------------------------------------------------------


def _rezip(edit: Callable[[str, bytes], bytes | None]) -> Make:
    def make(path: Path, goods: Goods) -> Path:
        from test_bad_input import rezip

        path.parent.mkdir(parents=True, exist_ok=True)
        return rezip(goods.model, path, edit)

    return make


def _metadata(value: object) -> Make:
    def edit(name: str, data: bytes) -> bytes:
        if not name.endswith("/metadata.json"):
            return data
        return value if isinstance(value, bytes) else json.dumps(value).encode()

    return _rezip(edit)


def _patched(member: str, offset: int, value: int, *more: str) -> Make:
    """A copy with one central-directory field of *member* (and *more*) changed."""

    def make(path: Path, goods: Goods) -> Path:
        from test_packages import patch_central

        write(path, goods.model.read_bytes())
        for name in (member, *more):
            patch_central(path, name, offset, "<I" if offset >= 16 else "<H", value)
        return path

    return make


def _extra_member(name: str) -> Make:
    def make(path: Path, goods: Goods) -> Path:
        from test_packages import ROOT, copy_with

        path.parent.mkdir(parents=True, exist_ok=True)
        return copy_with(goods.model, path, {name.format(root=ROOT): b"gotcha"})

    return make


def _standin_metadata(goods: Goods) -> dict[str, object]:
    with zipfile.ZipFile(goods.model) as zipped:
        name = next(n for n in zipped.namelist() if n.endswith("/metadata.json"))
        return json.loads(zipped.read(name))


def _wrong_types(path: Path, goods: Goods) -> Path:
    meta = {**_standin_metadata(goods), "package_version": [1, 9], "target_prefix": 7}
    return _metadata(meta)(path, goods)


MODEL_CASES = [
    Case("model", "html-page", "the 404 page a failed download saved",
         lambda p, g: write(p, "<!DOCTYPE html><title>404 Not Found</title>\n")),
    Case("model", "truncated", "the first half of the stand-in",
         lambda p, g: write(p, g.model.read_bytes()[: g.model.stat().st_size // 2])),
    Case("model", "bad-crc", "model.bin with a wrong CRC-32",
         _patched("model/model.bin", 16, 0x12345678)),
    Case("model", "encrypted-flag", "metadata.json flagged as encrypted",
         _patched("/metadata.json", 8, 0x0001)),
    Case("model", "dotdot-member", "a member named ../../escaped.txt",
         _extra_member("{root}/../../escaped.txt")),
    Case("model", "absolute-member", "a member named /tmp/…/absolute.txt",
         _extra_member("/tmp/{root}/absolute.txt")),
    Case("model", "declared-bomb", "members declaring 7.5 GiB in a 1 MB file",
         _patched("model/model.bin", 24, 0xF0000000, "sentencepiece.model"), isolate=True),
    Case("model", "no-metadata", "metadata.json left out",
         _rezip(lambda n, d: None if n.endswith("/metadata.json") else d)),
    Case("model", "metadata-not-json", "metadata.json cut short",
         _metadata(b'{"from_code": "ru", "to_')),
    Case("model", "metadata-not-object", "metadata.json is a JSON list",
         _metadata(["ru", "en"])),
    Case("model", "metadata-wrong-codes", "from_code a list, to_code an object",
         _metadata({"type": "translate", "from_code": ["ru"], "to_code": {"en": True}})),
    Case("model", "metadata-wrong-types", "ru→en, but package_version a list and "
         "target_prefix a number", _wrong_types),
    Case("model", "no-model-folder", "model/ left out",
         _rezip(lambda n, d: None if "/model/" in n else d)),
    Case("model", "empty-zip", "a zip archive with no members",
         lambda p, g: zipfile.ZipFile(p, "w").close() or p),
]  # fmt: skip


# --- reports -------------------------------------------------------------------------------


def _report(edit: Callable[[dict[str, object]], object]) -> Make:
    def make(path: Path, goods: Goods) -> Path:
        report = json.loads(goods.report.read_text(encoding="utf-8"))
        return write(path, json.dumps(edit(report), ensure_ascii=False))

    return make


def _strip_segment(report: dict[str, object]) -> object:
    segments = report["segments"]
    assert isinstance(segments, list)
    for key in ("final", "qa"):
        del segments[0][key]
    return report


REPORT_CASES = [
    Case("report", "not-json", "a text file",
         lambda p, g: write(p, "segments: 2, flagged: 1\n")),
    Case("report", "truncated", "the first half of a real report",
         lambda p, g: write(p, g.report.read_bytes()[: g.report.stat().st_size // 2])),
    Case("report", "json-list", "valid JSON, a list", lambda p, g: write(p, "[]")),
    Case("report", "other-json", "a JSON object of another program",
         lambda p, g: write(p, '{"name": "rutrans", "version": "0.1.0"}')),
    Case("report", "wrong-types", "signature, segments and qa of the wrong types",
         lambda p, g: write(p, '{"signature": "x", "segments": "none", "qa": 7}')),
    Case("report", "segment-missing-fields", "a real report whose first segment lost "
         "final and qa", _report(_strip_segment)),
    Case("report", "deep-nesting", "100 000 nested JSON arrays",
         lambda p, g: write(p, "[" * 100_000 + "]" * 100_000)),
]  # fmt: skip


# --- review POs ----------------------------------------------------------------------------


def review_text(goods: Goods, folder: Path, document: str | None = None) -> str:
    """The real review PO, its header pointing at *document* (default: the good one) from
    *folder*."""
    document = document or os.path.relpath(goods.document, folder)
    text = goods.review.read_text(encoding="utf-8")
    return re.sub(r'(?m)^"X-Rutrans-Document: .*\\n"$',
                  lambda _: f'"X-Rutrans-Document: {document}\\n"', text)  # fmt: skip


def _review(edit: Callable[[str], str], document: str | None = None) -> Make:
    def make(path: Path, goods: Goods) -> Path:
        return write(path, edit(review_text(goods, path.parent, document)))

    return make


def _in_msgids(old: str, new: str) -> Callable[[str], str]:
    return lambda text: re.sub(r'(?m)^msgid ".*$', lambda m: m.group(0).replace(old, new), text)


def _duplicate_first(text: str) -> str:
    first = re.search(r'(?ms)^#\. MT:.*?^msgstr ".*?"$', text)
    assert first is not None
    return text + "\n" + first.group(0).replace('msgstr "', 'msgstr "A second version: ') + "\n"


REVIEW_CASES = [
    Case("review", "not-po", "a text file",
         lambda p, g: write(p, "Segment 1: fine. Segment 2: fix the term.\n")),
    Case("review", "truncated", "the first half of a real review PO",
         _review(lambda t: t[: len(t) // 2])),
    Case("review", "glossary-po", "a glossary PO, not a review",
         lambda p, g: write(p, g.glossary.read_bytes())),
    Case("review", "no-header", "the review's entries without its header",
         _review(lambda t: t[t.index("\n\n") + 2 :])),
    Case("review", "non-numeric-id", "msgctxt 'первый' instead of a segment id",
         _review(lambda t: t.replace('msgctxt "1"', 'msgctxt "первый"'))),
    Case("review", "unknown-id", "msgctxt 99 in a two-segment document",
         _review(lambda t: t.replace('msgctxt "2"', 'msgctxt "99"'))),
    Case("review", "duplicate-id", "segment 1 twice, with two different translations",
         _review(_duplicate_first)),
    Case("review", "mismatched-source", "a msgid edited (Казахстана → Киргизии)",
         _review(_in_msgids("Казахстана", "Киргизии"))),
    Case("review", "changed-document", "the header's source SHA-256 of another text",
         _review(lambda t: re.sub(r"(X-Rutrans-Source-SHA256: )\w+", r"\g<1>" + "0" * 64, t))),
    Case("review", "missing-document", "the header names a document that is not there",
         _review(lambda t: t, "gone.txt"), names="gone.txt"),
    Case("review", "document-is-dev-zero", "the header names ../…/dev/zero",
         _review(lambda t: t, "../" * 40 + "dev/zero"), isolate=True, names="dev/zero"),
]  # fmt: skip


# --- CSV, TSV and TBX to import ------------------------------------------------------------

_LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i else "lol"}">' for i in range(10))
BILLION_LAUGHS = f"""<?xml version="1.0"?>
<!DOCTYPE martif [{_LAUGHS}]>
<martif type="TBX"><text><body><termEntry id="t1">
<langSet xml:lang="ru"><tig><term>ШОС</term></tig></langSet>
<langSet xml:lang="en"><tig><term>&lol9;</term></tig></langSet>
</termEntry></body></text></martif>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE martif [<!ENTITY secret SYSTEM "file:///dev/zero">]>
<martif type="TBX"><text><body><termEntry id="t1">
<langSet xml:lang="ru"><tig><term>ШОС</term></tig></langSet>
<langSet xml:lang="en"><tig><term>SCO &secret;</term></tig></langSet>
</termEntry></body></text></martif>
"""

IMPORT_CASES = [
    Case("import", "unclosed-quote", "a CSV cell whose quote never closes",
         lambda p, g: write(p, 'ШОС,"SCO\nСНГ,CIS\n')),
    Case("import", "huge-field", "a CSV cell of 200 000 characters",
         lambda p, g: write(p, '"' + "Ш" * 200_000 + '",SCO\n')),
    Case("import", "header-only", "only Amazon's ru,en header row",
         lambda p, g: write(p, "ru,en\n")),
    Case("import", "tsv-binary", "random bytes named .tsv",
         lambda p, g: write(p.with_suffix(".tsv"), random.Random(7).randbytes(2048))),
    Case("import", "tbx-not-xml", "plain text named .tbx",
         lambda p, g: write(p.with_suffix(".tbx"), "ШОС = SCO\n")),
    Case("import", "tbx-no-entries", "a TBX with no termEntry",
         lambda p, g: write(p.with_suffix(".tbx"), "<martif><text><body/></text></martif>")),
    Case("import", "tbx-billion-laughs", "entities expanding to 10^9 'lol's",
         lambda p, g: write(p.with_suffix(".tbx"), BILLION_LAUGHS), isolate=True),
    Case("import", "tbx-external-entity", "an entity that reads file:///dev/zero",
         lambda p, g: write(p.with_suffix(".tbx"), EXTERNAL_ENTITY), isolate=True),
]  # fmt: skip


CASES: tuple[Case, ...] = (
    *_generic("document"), *DOCUMENT_CASES,
    *_generic("glossary"), *GLOSSARY_CASES,
    *_generic("model"), *MODEL_CASES,
    *_generic("report"), *REPORT_CASES,
    *_generic("review"), *REVIEW_CASES,
    *_generic("import"), *IMPORT_CASES,
)  # fmt: skip
"""Every case but the office formats' (badoffice.py), not yet built."""
