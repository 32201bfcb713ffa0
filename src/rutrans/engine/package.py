"""Argos ru→en model packages: check, unpack, find, install (argostranslate's package API).

Which model a command uses, first match wins:

1. ``--model PATH`` — an ``.argosmodel`` file or an unpacked package directory;
2. the ``RUTRANS_MODEL`` environment variable, same forms;
3. the newest ru→en package installed in argostranslate's package directory
   (``ARGOS_PACKAGES_DIR``, default ``$XDG_DATA_HOME/argos-translate/packages``).

Checks happen before anything is installed or loaded, so that a bad file is reported in
one line naming the file and what to do, never as a traceback from deep inside
CTranslate2 or argostranslate.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from rutrans.errors import UserError

SOURCE_LANGUAGE, TARGET_LANGUAGE = "ru", "en"
MODEL_ENV = "RUTRANS_MODEL"
CACHE_ENV = "RUTRANS_CACHE_DIR"

INSTALL_HINT = (
    "run `rutrans model install` (needs internet), "
    "or `rutrans model install --from-file PATH.argosmodel`, or pass --model PATH"
)
OFFLINE_HINT = "install from a file instead: rutrans model install --from-file PATH.argosmodel"


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


def _check_metadata(metadata: Any, label: str) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        raise UserError(f"{label}: metadata.json is not a JSON object; the package is damaged")
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


def check_archive(path: Path) -> tuple[str, dict[str, Any]]:
    """Check an ``.argosmodel`` file without unpacking it; return (root folder, metadata)."""
    label = str(path)
    if not path.exists():
        raise UserError(f"{label}: no such file; check the path")
    if path.is_dir():
        raise UserError(f"{label}: is a directory, not an .argosmodel file; pass it as --model")
    if not zipfile.is_zipfile(path):
        raise UserError(
            f"{label}: not an Argos model package (not a zip archive); "
            "download the .argosmodel again"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            names = [PurePosixPath(n) for n in archive.namelist()]
            roots = {n.parts[0] for n in names if n.parts}
            if len(roots) != 1:
                raise UserError(
                    f"{label}: an Argos package holds exactly one top folder, this has "
                    f"{len(roots)}; download the .argosmodel again"
                )
            root = roots.pop()
            inner = {PurePosixPath(*n.parts[1:]).as_posix() for n in names if len(n.parts) > 1}
            if "metadata.json" not in inner:
                raise UserError(
                    f"{label}: no metadata.json in the package, so it is not an Argos model; "
                    "download the .argosmodel again"
                )
            try:
                metadata = json.loads(archive.read(f"{root}/metadata.json"))
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise UserError(f"{label}: metadata.json is not valid JSON ({error})") from None
    except zipfile.BadZipFile as error:
        raise UserError(f"{label}: damaged zip archive ({error}); download it again") from None
    _check_metadata(metadata, label)
    missing = _missing_parts(inner)
    if missing:
        raise _broken(label, missing)
    return root, metadata


def check_directory(path: Path, origin: str, label: str | None = None) -> ModelPackage:
    """Check an unpacked package directory and describe it."""
    label = label or str(path)
    metadata_file = path / "metadata.json"
    if not metadata_file.is_file():
        raise UserError(f"{label}: no metadata.json, so it is not an Argos model package")
    try:
        metadata = json.loads(metadata_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UserError(f"{label}: metadata.json is not valid JSON ({error})") from None
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


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def unpack(path: Path, origin: str) -> ModelPackage:
    """Unpack an ``.argosmodel`` once into rutrans's cache (keyed by content) and check it."""
    root, _ = check_archive(path)
    target = cache_dir() / "models" / _file_sha256(path)[:16]
    if not (target / root / "metadata.json").is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
        try:
            with zipfile.ZipFile(path) as archive:
                archive.extractall(staging)
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return check_directory(target / root, origin, label=str(path))


def open_path(path: Path, origin: str) -> ModelPackage:
    """A package from a path the user gave: an .argosmodel file or an unpacked directory."""
    if path.is_dir():
        return check_directory(path, origin)
    return unpack(path, origin)


# ---------------------------------------------------------------------------------------
# argostranslate's package directory


def _argos_package_module() -> Any:
    """Import argostranslate.package with its logging kept out of rutrans's output.

    argostranslate logs download failures through a logger with no handler, so Python's
    last-resort handler would print them as extra lines before our one-line message.
    """
    logging.getLogger("argostranslate").addHandler(logging.NullHandler())
    logging.getLogger("argostranslate.utils").addHandler(logging.NullHandler())
    from argostranslate import package

    return package


def installed() -> list[ModelPackage]:
    """Installed ru→en translation packages, newest version first."""
    argos = _argos_package_module()
    found = []
    for pkg in argos.get_installed_packages():
        if (pkg.type, pkg.from_code, pkg.to_code) != ("translate", "ru", "en"):
            continue
        try:
            found.append(check_directory(Path(pkg.package_path), "installed"))
        except UserError:
            continue  # a damaged install is not a candidate (reinstall it to use it)
    return sorted(found, key=lambda p: _version_key(p.version), reverse=True)


def _version_key(version: str) -> tuple[int, ...]:
    parts = []
    for part in version.replace("+", ".").split("."):
        parts.append(int(part) if part.isdigit() else -1)
    return tuple(parts)


def package_directory() -> Path:
    """Where argostranslate installs packages (``ARGOS_PACKAGES_DIR`` or its default)."""
    from argostranslate import settings

    return Path(settings.package_data_dir)


def resolve(model: Path | None) -> ModelPackage:
    """The package a command uses: ``--model`` over ``RUTRANS_MODEL`` over installed."""
    if model is not None:
        return open_path(model, "--model")
    from_env = os.environ.get(MODEL_ENV)
    if from_env:
        return open_path(Path(from_env), MODEL_ENV)
    packages = installed()
    if not packages:
        raise UserError(
            f"no Russian→English model is installed in {package_directory()}; {INSTALL_HINT}"
        )
    return packages[0]


def install_from_file(path: Path, verify: Callable[[ModelPackage], None]) -> ModelPackage:
    """Check an ``.argosmodel`` and install it with argostranslate's ``install_from_path``.

    *verify* loads the unpacked package before it is installed (the engine's job, so the
    factory passes it in): a model.bin that CTranslate2 cannot read is refused here, not
    discovered at the first translation.
    """
    root, _ = check_archive(path)
    verify(unpack(path, "--from-file"))
    argos = _argos_package_module()
    argos.install_from_path(path)
    return check_directory(package_directory() / root, "installed")


def install_from_index(verify: Callable[[ModelPackage], None]) -> ModelPackage:
    """Fetch the newest ru→en package from the Argos index and install it (see
    :func:`install_from_file` for *verify*)."""
    from argostranslate import settings

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
