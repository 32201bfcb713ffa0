"""Argos ru→en model packages: check, unpack, find, install (argostranslate's package API).

Which model a command uses, first match wins:

1. ``--model PATH`` — an ``.argosmodel`` file or an unpacked package directory;
2. the ``RUTRANS_MODEL`` environment variable, same forms;
3. the newest ru→en package installed in argostranslate's package directory
   (``ARGOS_PACKAGES_DIR``, default ``$XDG_DATA_HOME/argos-translate/packages``).

Checks happen before anything is installed or loaded, so that a bad file is reported in
one line naming the file and what to do, never as a traceback from deep inside
CTranslate2 or argostranslate.  :mod:`rutrans.engine.archive` reads archives within caps;
:mod:`rutrans.engine.store` stages, locks and swaps in what is unpacked (into rutrans's
cache for ``--model``, into the package directory for ``model install``) and records a
manifest, so that a damaged cache entry is unpacked again and a damaged install reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rutrans.engine import archive, store
from rutrans.errors import UserError

SOURCE_LANGUAGE, TARGET_LANGUAGE = "ru", "en"
MODEL_ENV = "RUTRANS_MODEL"
CACHE_ENV = "RUTRANS_CACHE_DIR"

INSTALL_HINT = (
    "run `rutrans model install` (needs internet), "
    "or `rutrans model install --from-file PATH.argosmodel`, or pass --model PATH"
)
OFFLINE_HINT = "install from a file instead: rutrans model install --from-file PATH.argosmodel"
CACHE_HINT = f"point {CACHE_ENV} at a folder you can write to"
PACKAGES_ENV = "ARGOS_PACKAGES_DIR"
PACKAGES_HINT = f"point {PACKAGES_ENV} at a folder you can write to"


@dataclass(frozen=True)
class ModelPackage:
    """An unpacked ru→en Argos package that passed :func:`check_directory`."""

    path: Path
    code: str
    version: str
    target_prefix: str
    standin: bool
    origin: str  # where it came from: "--model", "RUTRANS_MODEL", "installed"
    label: str  # what to call it in messages: the file or directory the user named

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def sentencepiece_model(self) -> Path:
        return self.path / "sentencepiece.model"

    def content_hash(self) -> str:
        """SHA-256 of the model files, so a report names exactly which weights made it."""
        digest = hashlib.sha256()
        files = [self.path / "metadata.json", self.sentencepiece_model]
        files += sorted(p for p in self.model_dir.iterdir() if p.is_file())
        for file in files:
            digest.update(file.relative_to(self.path).as_posix().encode() + b"\0")
            with file.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
        return digest.hexdigest()


# ---------------------------------------------------------------------------------------
# Checks


# The metadata.json fields rutrans reads: strings in every Argos package.
_TEXT_FIELDS = ("type", "from_code", "to_code", "code", "package_version", "target_prefix")


def _check_metadata(metadata: Any, label: str) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        raise UserError(f"{label}: metadata.json is not a JSON object; the package is damaged")
    for name in (n for n in _TEXT_FIELDS if not isinstance(metadata.get(n, ""), str)):
        wrong = f"metadata.json has {name} {metadata[name]!r}, not a string"
        raise UserError(f"{label}: {wrong}; the package is damaged: download it again")
    kind = metadata.get("type", "translate")
    if kind != "translate":
        raise UserError(
            f"{label}: is an Argos '{kind}' package, not a translation model; "
            "use the Russian→English package (translate-ru_en)"
        )
    source, target = metadata.get("from_code"), metadata.get("to_code")
    if (source, target) != (SOURCE_LANGUAGE, TARGET_LANGUAGE):
        raise UserError(
            f"{label}: translates {source}→{target}, rutrans needs ru→en; "
            "use the Russian→English package (translate-ru_en)"
        )
    return metadata


def _missing_parts(names: set[str]) -> list[str]:
    """Which required members (relative to the package root) are absent."""
    missing = []
    if "sentencepiece.model" not in names:
        missing.append("sentencepiece.model")
    for required in ("model/model.bin", "model/config.json"):
        if required not in names:
            missing.append(required)
    if not any(n.startswith("model/") and "vocabulary" in n for n in names):
        missing.append("model/ vocabulary file")
    return missing


def _broken(label: str, missing: list[str]) -> UserError:
    return UserError(
        f"{label}: incomplete package, missing {', '.join(missing)}; "
        "download the .argosmodel again (or rebuild it)"
    )


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[tuple[zipfile.ZipFile, archive.Contents, str]]:
    """An ``.argosmodel`` opened and checked (not unpacked), and its SHA-256."""
    label = str(path)
    with archive.open_regular(path, label) as handle:
        if not zipfile.is_zipfile(handle):
            raise UserError(
                f"{label}: not an Argos model package (not a zip archive); "
                "download the .argosmodel again"
            )
        sha256 = archive.file_sha256(handle)
        try:
            with zipfile.ZipFile(handle) as zipped:
                contents = archive.inspect(zipped, label)
                _check_metadata(contents.metadata, label)
                missing = _missing_parts(set(contents.sizes))
                if missing:
                    raise _broken(label, missing)
                yield zipped, contents, sha256
        except zipfile.BadZipFile as error:
            raise archive.damaged(label, error) from None


def check_archive(path: Path) -> tuple[str, dict[str, Any]]:
    """Check an ``.argosmodel`` file without unpacking it; return (root folder, metadata)."""
    with _opened(path) as (_, contents, _):
        return contents.root, contents.metadata


def check_directory(path: Path, origin: str, label: str | None = None) -> ModelPackage:
    """Check an unpacked package directory and describe it."""
    label = label or str(path)
    metadata_file = path / "metadata.json"
    if not metadata_file.is_file():
        raise UserError(
            f"{label}: no metadata.json, so it is not an Argos model package; "
            "pass an .argosmodel file or the folder it unpacks to"
        )
    try:
        metadata = json.loads(archive.read_capped(metadata_file, label).decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        message = f"metadata.json is not valid JSON ({error}); download the .argosmodel again"
        raise UserError(f"{label}: {message}") from None
    _check_metadata(metadata, label)
    names = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()}
    missing = _missing_parts(names)
    if missing:
        raise _broken(label, missing)
    return ModelPackage(
        path=path,
        code=str(metadata.get("code") or "translate-ru_en"),
        version=str(metadata.get("package_version", "")),
        target_prefix=str(metadata.get("target_prefix", "")),
        standin="rutrans_standin" in metadata,
        origin=origin,
        label=label,
    )


# ---------------------------------------------------------------------------------------
# Unpacking .argosmodel files given with --model


def cache_dir() -> Path:
    base = os.environ.get(CACHE_ENV)
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "rutrans"


def unpack(path: Path, origin: str) -> ModelPackage:
    """Unpack an ``.argosmodel`` once into rutrans's cache (keyed by content) and check it.

    A cache entry that no longer matches its manifest (a file truncated, deleted or
    changed) is unpacked again; processes unpacking the same file take turns.
    """
    label = str(path)
    with _opened(path) as (zipped, contents, sha256):
        models = cache_dir() / "models"
        target = models / sha256[:16]
        store.clean(models)
        if store.damage(target / contents.root) is not None:
            store.writable_folder(models, CACHE_HINT)
            with store.locked(target, CACHE_HINT):
                if store.damage(target / contents.root) is not None:
                    _stage_and_swap(zipped, contents, label, target, CACHE_HINT)
    return check_directory(target / contents.root, origin, label=label)


def _stage_and_swap(
    zipped: zipfile.ZipFile,
    contents: archive.Contents,
    label: str,
    target: Path,
    hint: str,
    verify: Callable[[ModelPackage], None] | None = None,
) -> None:
    """Unpack into a staging folder next to *target*, check (and *verify*) what came out,
    and rename it onto *target*.  *target* is the package folder itself when *verify* is
    given (installing), else the cache entry holding it."""
    staging = store.staging_folder(target.parent, hint)
    try:
        archive.extract(zipped, contents, staging, label)
        staged = check_directory(staging / contents.root, "--from-file", label)
        if verify is not None:
            verify(staged)
        store.swap_in(staging / contents.root if verify else staging, target)
    except OSError as error:
        raise UserError(f"{target.parent}: cannot write here ({error.strerror}); {hint}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def open_path(path: Path, origin: str) -> ModelPackage:
    """A package from a path the user gave: an .argosmodel file or an unpacked directory."""
    if path.is_dir():
        return check_directory(path, origin)
    return unpack(path, origin)


# ---------------------------------------------------------------------------------------
# argostranslate's package directory


def _argos_settings() -> Any:
    """argostranslate's settings, whose import creates its folders: one that is a file or
    cannot be created is a one-line error here, not a traceback from the import."""
    configured = os.environ.get(PACKAGES_ENV)
    if configured:
        store.not_a_file(Path(configured), PACKAGES_HINT)
    try:
        from argostranslate import settings
    except OSError as error:
        raise UserError(
            f"{error.filename}: argostranslate cannot create this folder ({error.strerror}); "
            f"point {PACKAGES_ENV}, XDG_DATA_HOME and XDG_CACHE_HOME at folders you can write to"
        ) from None
    return settings


def _argos_package_module() -> Any:
    """Import argostranslate.package with its logging kept out of rutrans's output.

    argostranslate logs download failures through a logger with no handler, so Python's
    last-resort handler would print them as extra lines before our one-line message.
    """
    _argos_settings()
    logging.getLogger("argostranslate").addHandler(logging.NullHandler())
    logging.getLogger("argostranslate.utils").addHandler(logging.NullHandler())
    from argostranslate import package

    return package


def _scan() -> tuple[list[ModelPackage], list[tuple[Path, str]]]:
    """Installed ru→en packages, and damaged ones with what is wrong with them.

    rutrans reads the package folders itself: argostranslate's ``get_installed_packages``
    fails on any folder without metadata.json, such as an install being staged.  What a
    killed install left behind is cleaned up (an old version it moved aside is put back).
    """
    settings = _argos_settings()
    store.clean(Path(settings.package_data_dir))
    good, bad = [], []
    for folder in map(Path, settings.package_dirs):
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir():
                continue
            try:
                found = check_directory(entry, "installed")
            except UserError:
                continue  # not ru→en, or too damaged to read
            problem = store.damage(entry)
            if problem in (None, store.NO_MANIFEST):
                good.append(found)
            else:
                bad.append((entry, problem))
    return good, bad


def installed() -> list[ModelPackage]:
    """Installed ru→en translation packages, newest version first (damaged ones left out)."""
    return sorted(_scan()[0], key=lambda p: _version_key(p.version), reverse=True)


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.replace("+", ".").split("."):
        parts.append(int(part) if part.isdigit() else -1)
    return tuple(parts)


def package_directory() -> Path:
    """Where argostranslate installs packages (``ARGOS_PACKAGES_DIR`` or its default)."""
    return Path(_argos_settings().package_data_dir)


def resolve(model: Path | None) -> ModelPackage:
    """The package a command uses: ``--model`` over ``RUTRANS_MODEL`` over installed."""
    if model is not None:
        return open_path(model, "--model")
    from_env = os.environ.get(MODEL_ENV)
    if from_env:
        return open_path(Path(from_env), MODEL_ENV)
    packages = installed()
    if packages:
        return packages[0]
    damaged = _scan()[1]
    if damaged:
        path, problem = damaged[0]
        raise UserError(
            f"{path}: the installed package is damaged ({problem}); install it again: "
            "rutrans model install --from-file PATH.argosmodel"
        )
    raise UserError(
        f"no Russian→English model is installed in {package_directory()}; {INSTALL_HINT}"
    )


def install_from_file(path: Path, verify: Callable[[ModelPackage], None]) -> ModelPackage:
    """Check an ``.argosmodel`` and install it where argostranslate's ``install_from_path``
    would, but staged, verified and renamed into place under a lock, so that a failed or
    killed install never leaves a broken package (an installed one is replaced whole).

    *verify* loads the unpacked package before it is installed (the engine's job, so the
    factory passes it in): a model.bin that CTranslate2 cannot read is refused here, not
    discovered at the first translation.
    """
    with _opened(path) as (zipped, contents, _):
        packages = store.writable_folder(package_directory(), PACKAGES_HINT)
        target = packages / contents.root
        store.clean(packages)
        with store.locked(target, PACKAGES_HINT):
            _stage_and_swap(zipped, contents, str(path), target, PACKAGES_HINT, verify)
    return check_directory(target, "installed")


def install_from_index(verify: Callable[[ModelPackage], None]) -> ModelPackage:
    """Fetch the newest ru→en package from the Argos index and install it (see
    :func:`install_from_file` for *verify*)."""
    settings = _argos_settings()
    argos = _argos_package_module()
    index = Path(settings.local_package_index)
    before = index.stat().st_mtime if index.exists() else None
    argos.update_package_index()  # logs and returns on failure, so look at the file
    after = index.stat().st_mtime if index.exists() else None
    if after is None or after == before:
        raise UserError(
            f"cannot reach the Argos package index ({settings.remote_package_index}); "
            f"{OFFLINE_HINT}"
        )
    candidates = [
        p
        for p in argos.get_available_packages()
        if (p.type, p.from_code, p.to_code) == ("translate", "ru", "en")
    ]
    if not candidates:
        raise UserError(f"the Argos package index lists no ru→en package; {OFFLINE_HINT}")
    newest = max(candidates, key=lambda p: _version_key(p.package_version))
    try:
        download = Path(newest.download())
    except Exception as error:  # argostranslate raises bare Exception on download failure
        raise UserError(f"download of {newest.code} failed ({error}); {OFFLINE_HINT}") from None
    return install_from_file(download, verify)
