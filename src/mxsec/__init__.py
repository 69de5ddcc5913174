"""Course package for "Mexico: A Reluctant Regional Security Provider": data, widgets, exporters.

Importing it also makes notebook output safe and reproducible (see mxsec.output): pandas Styler
tables escape the text they show, and tables and widgets get ids that are the same on every run.
"""

from .data import DataError, fact, facts_frame, load, value
from .output import install as _install_output
from .output import md

_install_output()

__all__ = ["DataError", "fact", "facts_frame", "load", "md", "value"]
__version__ = "1.0.0"
