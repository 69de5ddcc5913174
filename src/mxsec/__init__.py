"""Course package for "Mexico: A Reluctant Regional Security Provider": data, widgets, exporters.

Importing it also makes notebook output safe and reproducible (see mxsec.output): pandas Styler
tables escape the text they show, and tables and widgets get ids that are the same on every run.
"""

from importlib import metadata as _metadata

from .data import DataError, fact, facts_frame, load, value
from .output import install as _install_output
from .output import md

_install_output()

__all__ = ["DataError", "fact", "facts_frame", "load", "md", "value"]
try:  # the version lives in pyproject.toml only; the installed package's metadata carries it
    __version__ = _metadata.version("mxsec")
except _metadata.PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
