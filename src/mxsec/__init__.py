"""Course package for "Mexico: A Reluctant Regional Security Provider": data, widgets, exporters."""

from .data import DataError, fact, facts_frame, load, value

__all__ = ["DataError", "fact", "facts_frame", "load", "value"]
__version__ = "1.0.0"
