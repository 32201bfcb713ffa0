"""rutrans: offline Russian→English translation with terminology a specialist can trust."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rutrans")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
