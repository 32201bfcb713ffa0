"""Faults: ``kill -9`` at seeded random points, and a full disk, for every command that writes.

After a kill, every output is byte for byte the old one or the complete new one (a report
present always describes the files beside it), the SQLite files open, nothing is left
behind once the command has run again, and that re-run gives what an uninterrupted run
gives.  A full disk is one ``rutrans: error:`` line, exit status 1, and the old outputs
as they were.  How the kill points are chosen: :mod:`faults`.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from conftest import GLOSSARY, SEED, Run
from faults import (
    count_steps,
    file_size_limit,
    fill,
    kill_at,
    kill_points,
    restore,
    rutrans,
    snapshot,
    temporaries,
    tmpfs,
)

from rutrans.memory import TranslationMemory

OLD = {
    "svodka.ru.txt": "Сотрудники органов внутренних дел задержали троих подозреваемых.\n"
    "В ходе операции «Канал» изъято более двух тонн наркотиков.\n",
    "itogi.txt": "Совместные мероприятия проводились в рамках Содружества Независимых "
    "Государств.\n",
    "sub/vstrecha.md": "# Совещание министров внутренних дел\n\n"
    "Министры обсудили противодействие незаконной миграции и торговле людьми.\n",
    "sub/rozysk.txt": "По запросам правоохранительных органов разыскано почти семьдесят "
    "преступников.\n",
}
# The documents as edited since the old outputs were made: every output changes.
ADDED = "Работа по розыску преступников будет продолжена.\n"
NEW = {name: text + ADDED for name, text in OLD.items()}
OUTPUTS = (".en{ext}", ".report.json", ".review.po", ".review.html")
NO_EXTRAS = ("--no-glossary", "--no-tm")


def outputs_of(name: str) -> list[str]:
    """The outputs of document *name* (relative to OUTDIR), the translation first and the
    report second."""
    path = Path(name)
    stem = path.stem.removesuffix(".ru")
    return [(path.parent / (stem + o.format(ext=path.suffix))).as_posix() for o in OUTPUTS]


def write_documents(src: Path, texts: dict[str, str]) -> None:
    for name, text in texts.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")


def one_error(run: Run, *fragments: str) -> str:
    """The run failed with exactly one ``rutrans: error:`` line holding *fragments*."""
    assert run.code == 1, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("rutrans: error: ")]
    assert len(errors) == 1, run.stderr
    assert all(f in errors[0] for f in fragments), (fragments, errors[0])
    return errors[0]


def assert_report_describes(out: Path, src: Path, name: str) -> None:
    """The report of *name* is of its source text, and its review files and translation
    are of that report: the same input hash and signature, the same final English."""
    translation, report_path, po_path, html_path = (out / o for o in outputs_of(name))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    signature = report["signature"]
    assert signature["input"]["sha256"] == hashlib.sha256((src / name).read_bytes()).hexdigest()
    po = polib.pofile(str(po_path))
    assert po.metadata["X-Rutrans-Source-SHA256"] == signature["input"]["sha256"]
    assert po.metadata["X-Rutrans-Signature"] == signature["id"]
    assert [e.msgstr for e in po] == [s["final"] for s in report["segments"]]
    assert html.escape(signature["id"]) in html_path.read_text(encoding="utf-8")
    text = translation.read_text(encoding="utf-8")
    assert all(s["final"] in text for s in report["segments"])


def assert_old_or_new(
    out: Path, old: dict[str, bytes], new: dict[str, bytes], names: list[str], point: object
) -> int:
    """Every file under *out* is its old or its new version (or a temporary), and a
    document with a report has all its files from that report's run (one killed between
    its renames has none, so the re-run translates it again).  How many reports are new."""
    now = snapshot(out)
    extra = sorted(set(now) - set(old) - set(temporaries(out)))
    assert not extra, (str(point), extra)
    new_reports = 0
    for name in names:
        versions = {}
        for output in outputs_of(name):
            if output not in now:
                versions[output] = "missing"
            elif now[output] == new[output]:
                versions[output] = "new"
            elif now[output] == old[output]:
                versions[output] = "old"
            else:
                pytest.fail(f"{point}: {output} is neither the old output nor the new one")
        report = versions[outputs_of(name)[1]]
        if report != "missing":
            assert set(versions.values()) == {report}, (str(point), versions)
        new_reports += report == "new"
    return new_reports


@dataclass
class Folder:
    """A folder of documents translated once before (the old outputs), then edited."""

    env: dict[str, str]
    cwd: Path
    src: Path
    out: Path
    old: dict[str, bytes]


@pytest.fixture
def folder(isolated_env, tmp_path, tiny_model) -> Folder:
    cwd, src, out = tmp_path / "cwd", tmp_path / "src", tmp_path / "out"
    cwd.mkdir()
    write_documents(src, OLD)
    first = rutrans(isolated_env, cwd, "translate", src, "-o", out, "--model", tiny_model)
    assert first.code == 0, first.stderr
    write_documents(src, NEW)
    return Folder(isolated_env, cwd, src, out, snapshot(out))


def translate_args(folder: Folder, tiny_model: Path, *extra: str) -> list[str | Path]:
    return ["translate", folder.src, "-o", folder.out, "--model", tiny_model, *extra]


# --- kill -9 ----------------------------------------------------------------------------


def test_killed_folder_translation_leaves_old_or_new_outputs(folder, tiny_model):
    args = translate_args(folder, tiny_model, "--no-cache")
    steps = count_steps(folder.env, folder.cwd, [folder.out], *args)
    new = snapshot(folder.out)
    assert set(new) == set(folder.old)
    assert all(new[name] != folder.old[name] for name in new)  # old ≠ new: a kill can tell
    for name in NEW:
        assert_report_describes(folder.out, folder.src, name)

    for point in kill_points("translate", steps, 5, max_delay=0.01):
        restore(folder.out, folder.old)
        kill_at(folder.env, folder.cwd, [folder.out], point, *args)
        done = assert_old_or_new(folder.out, folder.old, new, list(NEW), point)
        rerun = rutrans(folder.env, folder.cwd, *args)
        assert rerun.code == 0, (str(point), rerun.stderr)
        assert rerun.stdout.splitlines()[-1] == (
            f"{len(NEW) - done} translated, {done} up to date, 0 failed of {len(NEW)} documents"
        ), str(point)
        assert snapshot(folder.out) == new, str(point)  # no temporary left, nothing else


def test_killed_cached_translation_keeps_a_sound_cache(folder, tiny_model):
    cache = Path(folder.env["RUTRANS_CACHE_DIR"])
    old_cache = {p.name: p.read_bytes() for p in cache.glob("segments.sqlite*")}
    args = translate_args(folder, tiny_model)
    watched = [cache, folder.out]
    old_count = cache_count(folder)
    steps = count_steps(folder.env, folder.cwd, watched, *args)
    new, new_count = snapshot(folder.out), cache_count(folder)
    assert new_count > old_count

    for point in kill_points("cache", steps, 5, max_delay=0.05):
        restore(folder.out, folder.old)
        for leftover in cache.glob("segments.sqlite*"):
            leftover.unlink()
        for name, data in old_cache.items():
            (cache / name).write_bytes(data)
        kill_at(folder.env, folder.cwd, watched, point, *args)
        done = assert_old_or_new(folder.out, folder.old, new, list(NEW), point)
        with sqlite3.connect(cache / "segments.sqlite") as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert old_count <= cache_count(folder) <= new_count, str(point)
        rerun = rutrans(folder.env, folder.cwd, *args)
        assert rerun.code == 0, (str(point), rerun.stderr)
        assert rerun.stdout.splitlines()[-1].startswith(f"{len(NEW) - done} translated")
        assert snapshot(folder.out) == new, str(point)
        assert cache_count(folder) == new_count, str(point)
        assert not list(cache.glob("*.corrupt-*")), str(point)  # a kill is not damage
        assert temporaries(cache) == [], str(point)


def cache_count(folder: Folder) -> int:
    """Segments ``rutrans cache stats`` counts (it must work)."""
    stats = rutrans(folder.env, folder.cwd, "cache", "stats")
    assert stats.code == 0, stats.stderr
    return int(stats.stdout.splitlines()[1].split()[0])


REVIEWED = [
    "Internal affairs officers detained three suspects.",
    "During Operation Channel, more than two tonnes of drugs were seized.",
    "The search for criminals will continue.",
]


def test_killed_apply_leaves_old_or_new_translation_and_a_whole_tm(folder, tiny_model, tmp_path):
    translation, report, review, _ = outputs_of("svodka.ru.txt")
    # The translation of the edited document, and its review PO as a reviewer edited it.
    assert rutrans(folder.env, folder.cwd, *translate_args(folder, tiny_model)).code == 0
    po = polib.pofile(str(folder.out / review))
    assert len(po) == len(REVIEWED)
    for entry, english in zip(po, REVIEWED, strict=True):
        entry.msgstr = english
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save(str(folder.out / review))
    reviewed = dict(zip([e.msgid for e in po], REVIEWED, strict=True))
    tm = folder.cwd.parent / "tm" / "tm.sqlite"
    args = ["apply", folder.out / review, "--tm", tm]
    old = snapshot(folder.out)
    watched = [folder.out, tm.parent]
    steps = count_steps(folder.env, folder.cwd, watched, *args)
    new = snapshot(folder.out)
    assert sorted(k for k in new if new[k] != old[k]) == sorted([translation, report])
    assert TranslationMemory(tm).lookup(reviewed) == reviewed

    for point in kill_points("apply", steps, 5, max_delay=0.02):
        restore(folder.out, old)
        shutil.rmtree(tm.parent, ignore_errors=True)
        kill_at(folder.env, folder.cwd, watched, point, *args)
        now = snapshot(folder.out)
        assert now[translation] in (old[translation], new[translation]), str(point)
        if report in now:  # a report is the report of the translation beside it
            pair = (now[translation], now[report])
            assert pair in ((old[translation], old[report]), (new[translation], new[report]))
        assert all(now[k] == old[k] for k in old if k not in (translation, report))
        assert set(now) - set(old) <= set(temporaries(folder.out)), str(point)
        if tm.exists():  # the reviewed segments are stored all together or not at all
            assert TranslationMemory(tm).lookup(reviewed) in ({}, reviewed), str(point)
        rerun = rutrans(folder.env, folder.cwd, *args)
        assert rerun.code == 0, (str(point), rerun.stderr)
        assert snapshot(folder.out) == new, str(point)
        assert TranslationMemory(tm).lookup(reviewed) == reviewed, str(point)


PACKAGE = "translate-ru_en-standin_tiny"


@pytest.fixture(scope="module")
def older_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Another version of the stand-in package: the same folder name, other weights."""
    from rutrans.testing import standin

    return standin.build(tmp_path_factory.mktemp("older") / "older.argosmodel", "tiny", seed=2)


def package_files(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as zipped:
        return {
            info.filename.removeprefix(f"{PACKAGE}/"): zipped.read(info)
            for info in zipped.infolist()
            if not info.is_dir()
        }


def installed_files(packages: Path) -> dict[str, bytes]:
    files = snapshot(packages / PACKAGE)
    files.pop(".rutrans-manifest.json", None)  # its mtimes differ from install to install
    return files


@pytest.mark.parametrize("before", ["fresh", "over an older version"])
def test_killed_model_install_never_leaves_a_broken_model(
    before, isolated_env, tmp_path, tiny_model, older_model
):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    packages = Path(isolated_env["ARGOS_PACKAGES_DIR"])
    if before == "fresh":
        old_files: dict[str, bytes] | None = None
    else:
        installed = rutrans(isolated_env, cwd, "model", "install", "--from-file", older_model)
        assert installed.code == 0, installed.stderr
        old_files = package_files(older_model)
    old = snapshot(packages)
    restore(packages, old)  # an empty folder where there is none, as for every kill
    new_files = package_files(tiny_model)
    assert new_files != old_files
    args = ["model", "install", "--from-file", tiny_model]
    steps = count_steps(isolated_env, cwd, [packages], *args)
    assert installed_files(packages) == new_files
    source = tmp_path / "brief.ru.txt"
    source.write_text(OLD["svodka.ru.txt"], encoding="utf-8")

    for point in kill_points(f"install {before}", steps, 3, max_delay=0.01):
        restore(packages, old)
        kill_at(isolated_env, cwd, [packages], point, *args)
        listed = rutrans(isolated_env, cwd, "model", "list")
        which = rutrans(isolated_env, cwd, "model", "which")
        assert listed.code == 0, (str(point), listed.stderr)
        if listed.stdout.startswith("no ru→en package installed"):
            assert old_files is None, str(point)  # only a fresh install may not be there yet
            one_error(which, "no Russian→English model is installed")
        else:
            assert listed.stdout.split("\t")[2].split()[0] == str(packages / PACKAGE)
            assert installed_files(packages) in (old_files, new_files), str(point)
            assert which.code == 0, (str(point), which.stderr)
            run = rutrans(
                isolated_env, cwd, "translate", source, "-o", tmp_path / "out", *NO_EXTRAS,
                "--no-cache", "--force",
            )  # fmt: skip
            assert run.code == 0, (str(point), run.stderr)
        again = rutrans(isolated_env, cwd, *args)
        assert again.code == 0, (str(point), again.stderr)
        assert installed_files(packages) == new_files
        assert temporaries(packages) == [], str(point)
        assert sorted(p.name for p in packages.iterdir()) == [PACKAGE], str(point)


# --- a full disk ------------------------------------------------------------------------


@dataclass
class Disk:
    """A folder on a disk that can be made full: *room* bytes left for what follows."""

    kind: str  # "tmpfs" or "file-size limit"
    folder: Path

    def filled(self, room: int) -> Callable[[], None] | None:
        """Leave *room* bytes: on the tmpfs, for all new files together (a preexec_fn of
        None); with a file-size limit, for each file (the preexec_fn that sets it)."""
        if self.kind == "tmpfs":
            fill(self.folder, room)
            return None
        return file_size_limit(room)

    def emptied(self) -> None:
        (self.folder / "filler").unlink(missing_ok=True)


@pytest.fixture(params=["tmpfs", "file-size limit"])
def disk(request, tmp_path) -> Iterator[Disk]:
    if request.param == "tmpfs":
        with tmpfs(tmp_path / "disk") as mounted:
            yield Disk("tmpfs", mounted)
    else:
        (tmp_path / "disk").mkdir()
        yield Disk("file-size limit", tmp_path / "disk")


def room_before(disk: Disk, sizes: list[int], index: int) -> int | None:
    """Room in which the files of *sizes*, written in order, fail at the *index*-th; None
    where no room does (with a limit per file, an earlier file is as large)."""
    if disk.kind == "tmpfs":
        block = 4096
        return sum(-(-size // block) * block for size in sizes[:index])
    room = max(sizes[:index], default=0)
    return room if room < sizes[index] else None


FULL = "free some space"


def test_full_disk_during_translate_names_the_file_and_keeps_the_old_outputs(
    disk, isolated_env, tmp_path, tiny_model
):
    cwd, source, out = tmp_path / "cwd", tmp_path / "meeting.ru.txt", disk.folder / "out"
    cwd.mkdir()
    # Long enough (5 long segments) for its report to be its largest file, which a limit per
    # file can then reach although it is written last.
    text = "\n".join(SEED.read_text(encoding="utf-8").strip().splitlines()[:3]) + "\n"
    source.write_text(text, encoding="utf-8")
    args = ["translate", source, "-o", out, "--model", tiny_model, *NO_EXTRAS, "--no-cache"]
    assert rutrans(isolated_env, cwd, *args).code == 0
    old = snapshot(out)
    source.write_text(text + ADDED, encoding="utf-8")
    assert rutrans(isolated_env, cwd, *args).code == 0
    translation, report, review_po, review_html = outputs_of(source.name)
    written = [translation, review_po, review_html, report]  # in this order
    sizes = [len(snapshot(out)[name]) for name in written]

    failed = []
    for index, name in enumerate(written):
        room = room_before(disk, sizes, index)
        if room is None:
            continue
        restore(out, old)
        run = rutrans(isolated_env, cwd, *args, preexec_fn=disk.filled(room))
        disk.emptied()
        one_error(run, f"{out / name}: cannot be written", FULL)
        assert snapshot(out) == old, name  # the old outputs, and no temporary
        failed.append(name)
    assert written[-1] in failed  # the report, written last, is always reachable


@pytest.mark.parametrize("full", ["outputs", "translation memory"])
def test_full_disk_during_apply_keeps_the_old_translation(
    full, disk, isolated_env, tmp_path, tiny_model
):
    cwd, source = tmp_path / "cwd", tmp_path / "svodka.ru.txt"
    out = disk.folder / "out" if full == "outputs" else tmp_path / "out"
    # The translation memory comes first: with a limit per file it would fail first.
    tm = ["--no-tm"] if full == "outputs" else ["--tm", disk.folder / "tm.sqlite"]
    cwd.mkdir()
    source.write_text(OLD["svodka.ru.txt"], encoding="utf-8")
    translated = rutrans(isolated_env, cwd, "translate", source, "-o", out, "--model", tiny_model)
    assert translated.code == 0, translated.stderr
    review = out / outputs_of("svodka.ru.txt")[2]
    po = polib.pofile(str(review))
    po[0].msgstr = REVIEWED[0]
    po.save(str(review))
    old = snapshot(out)
    run = rutrans(isolated_env, cwd, "apply", review, *tm, preexec_fn=disk.filled(1024))
    disk.emptied()
    if full == "outputs":
        one_error(run, f"{out}/", "cannot be written", FULL)
    else:
        one_error(run, f"{tm[1]}: cannot open the translation memory", FULL, "--no-tm")
    assert snapshot(out) == old


def test_full_disk_during_glossary_export_keeps_the_old_export(disk, isolated_env, tmp_path):
    cwd, export = tmp_path / "cwd", disk.folder / "terms.csv"
    cwd.mkdir()
    earlier = "ОВД,internal affairs bodies\n".encode()
    export.write_bytes(earlier)
    run = rutrans(
        isolated_env, cwd, "glossary", "export", "--format", "csv", "-o", export,
        "--glossary", GLOSSARY, preexec_fn=disk.filled(1024),
    )  # fmt: skip
    disk.emptied()
    one_error(run, f"{export}: cannot be written", FULL)
    assert snapshot(disk.folder) == {"terms.csv": earlier}


def test_full_disk_during_model_install_keeps_the_installed_model(
    disk, isolated_env, tmp_path, tiny_model, older_model
):
    cwd, packages = tmp_path / "cwd", disk.folder / "packages"
    cwd.mkdir()
    env = {**isolated_env, "ARGOS_PACKAGES_DIR": str(packages)}
    assert rutrans(env, cwd, "model", "install", "--from-file", older_model).code == 0
    old = snapshot(packages)
    args = ["model", "install", "--from-file", tiny_model]
    run = rutrans(env, cwd, *args, preexec_fn=disk.filled(64 * 1024))
    disk.emptied()
    one_error(run, str(packages), FULL)
    assert snapshot(packages) == old  # the old version whole; no staging folder, no lock
    listed = rutrans(env, cwd, "model", "which")
    assert listed.code == 0 and str(packages / PACKAGE) in listed.stdout, listed


def test_full_cache_disk_is_one_line_before_any_work(disk, isolated_env, tmp_path, tiny_model):
    cwd, src, out = tmp_path / "cwd", tmp_path / "src", tmp_path / "out"
    cwd.mkdir()
    cache = disk.folder / "cache"
    env = {**isolated_env, "RUTRANS_CACHE_DIR": str(cache)}
    write_documents(src, OLD)
    args = ["translate", src, "-o", out, "--model", tiny_model, *NO_EXTRAS]
    if disk.kind == "tmpfs":  # a full disk under a cache that holds segments
        assert rutrans(env, cwd, *args).code == 0
    else:  # a limit too small for a new cache's first page (the model unpacked already)
        assert rutrans(env, cwd, *args, "--no-cache").code == 0
    old = snapshot(out)
    database = cache / "segments.sqlite"
    before = database.read_bytes() if database.exists() else None
    write_documents(src, NEW)
    run = rutrans(env, cwd, *args, preexec_fn=disk.filled(0 if disk.kind == "tmpfs" else 1024))
    disk.emptied()
    one_error(run, str(database), "--no-cache")  # once, not once for each document
    assert snapshot(out) == old
    if before is not None:  # not taken for damage and moved aside
        assert database.read_bytes() == before
    assert not list(cache.glob("*.corrupt-*"))
    stats = rutrans(env, cwd, "cache", "stats")
    assert stats.code == 0, stats.stderr


# Fill a cache whose disk fills as a run goes on: reads still work, writes fail.
FILLING = """
import os, sys
from pathlib import Path
from rutrans.engine.cache import SegmentCache, entry_key
from rutrans.results import MTResult
cache = SegmentCache(Path(sys.argv[1]))
kept = entry_key("m", "Встреча состоялась.", None, ())
found = cache.get([kept], attention=False)
print(found[kept].text)
for i in range(3):  # incompressible text, so that each entry outgrows the limit
    noise = os.urandom(60_000).hex()
    cache.put({entry_key("m", f"сегмент {i}", None, ()): MTResult(noise, (), (), 0.0)})
print(len(cache.get([kept], attention=False)))
"""


def test_a_cache_whose_disk_fills_during_a_run_keeps_its_hits_and_warns_once(disk):
    """A full disk is not damage: the cache is neither moved aside nor rebuilt, its hits
    are still used, and the run is told once that new segments are not cached."""
    from rutrans.engine.cache import SegmentCache, entry_key
    from rutrans.results import MTResult

    database = disk.folder / "segments.sqlite"
    kept = entry_key("m", "Встреча состоялась.", None, ())
    SegmentCache(database).put({kept: MTResult("The meeting took place.", (), (), 0.0)})
    before = database.read_bytes()
    # Room for SQLite's 32 KiB shared-memory file and, with a limit per file, for the
    # write of a hit's recency too; none for a new entry of 120 KB.
    room = 32 * 1024 if disk.kind == "tmpfs" else 48 * 1024
    done = subprocess.run(
        [sys.executable, "-c", FILLING, str(database)],
        capture_output=True, text=True, preexec_fn=disk.filled(room), timeout=120,
    )  # fmt: skip
    disk.emptied()
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["The meeting took place.", "1"]
    [warning] = done.stderr.splitlines()  # one, though every write failed
    assert warning.startswith(f"rutrans: warning: {database}: not cached (")
    assert sorted(p.name for p in disk.folder.iterdir() if ".corrupt-" in p.name) == []
    assert SegmentCache(database).stats().entries == 1
    assert database.read_bytes()[:100] == before[:100]  # the same database, not a new one


def test_a_folder_run_stops_at_a_full_disk_instead_of_failing_every_document(
    isolated_env, tmp_path, tiny_model
):
    """The first document that cannot be written says so in one line; the others are not
    attempted (they would fail the same way), and the count says how many."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a", "b", "c"):
        (src / f"{name}.txt").write_text(
            "Сотрудники органов внутренних дел задержали курьера с партией наркотиков.\n",
            encoding="utf-8",
        )
    out = tmp_path / "out"
    args = ["translate", src, "-o", out, "--model", tiny_model, *NO_EXTRAS, "--no-cache"]
    assert rutrans(isolated_env, tmp_path, *args).code == 0  # the model unpacked, once
    shutil.rmtree(out)
    run = rutrans(isolated_env, tmp_path, *args, preexec_fn=file_size_limit(64))
    assert run.code == 1
    errors = [line for line in run.stderr.splitlines() if line.startswith("rutrans: error:")]
    assert len(errors) == 1 and FULL in errors[0], run.stderr
    last = run.stdout.splitlines()[-1]
    assert last == "0 translated, 0 up to date, 1 failed, 2 not attempted of 3 documents"
    assert not out.exists() or temporaries(out) == []
