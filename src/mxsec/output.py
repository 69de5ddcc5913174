"""What the course's notebooks show, made safe and reproducible: text from data/ stays text in every
HTML and Markdown output, and the ids in a page are the same on every build.

Importing `mxsec` sets this up for pandas and ipywidgets (now, or when they are first imported):

- pandas Styler tables escape HTML in their cells, index and column labels and caption (pandas does
  not by default: a period named `<img src=x onerror=...>` would run in the page), and `.format()`
  keeps escaping unless given `escape=False`;
- a Styler's table id and a widget's model id are derived from its content and its place among the
  tables or widgets of the same content, instead of being random, so that two builds of a page are
  byte for byte the same.

For Markdown output, `md()` escapes a data string so that it shows exactly as written:
`display(Markdown(f"**Prompt.** {md(q['prompt'])}"))`.
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.abc
import importlib.machinery
import inspect
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from typing import Any

__all__ = ["html_text", "install", "md"]

# Every ASCII punctuation character: CommonMark (and so MyST and JupyterLab) shows any of them
# literally after a backslash.
_MD_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")


def md(text: Any) -> str:
    """Text as Markdown that shows exactly that text: every ASCII punctuation character escaped,
    so no `*`, `<`, `[`, `$` or `{` in data can start emphasis, HTML, a link, math or a role, and
    each run of white space (line breaks included) as one space, so no line can start a block."""
    return _MD_PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def html_text(text: Any) -> str:
    """Text as HTML that shows exactly that text (quotes escaped too, for attributes)."""
    return html.escape(str(text), quote=True)


def _stable_id(kind: str, content: str, seen: Counter) -> str:
    """32 hex digits from `content` and how many times the same content has had an id before."""
    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
    n = seen[(kind, digest)]
    seen[(kind, digest)] += 1
    return hashlib.sha256(f"{kind}:{digest}:{n}".encode()).hexdigest()[:32]


_SEEN: Counter = Counter()


# --------------------------------------------------------------------------- pandas Styler
def _patch_styler(module) -> None:
    styler = module.Styler
    if getattr(styler, "_mxsec_patched", False):
        return
    import pandas as pd

    pd.set_option("styler.format.escape", "html")
    init, set_caption = styler.__init__, styler.set_caption
    init_params = inspect.signature(init)

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        bound = init_params.bind(self, *args, **kwargs)
        if bound.arguments.get("caption") is not None:
            bound.arguments["caption"] = _escaped_caption(bound.arguments["caption"])
        init(*bound.args, **bound.kwargs)
        if not bound.arguments.get("uuid"):
            self.uuid = "mxsec" + _stable_id("table", _frame_text(self.data), _SEEN)[:12]
            self.uuid_len = len(self.uuid)
        for axis in (0, 1):
            self.format_index(axis=axis)  # escaped, as below

    @functools.wraps(set_caption)
    def set_caption_escaped(self, caption):
        return set_caption(self, _escaped_caption(caption))

    def escaping(method):
        params = inspect.signature(method)

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            # Escaped as the option says unless escape=False (pandas itself takes None for "no
            # escaping", and its own default for an argument left out is no escaping either).
            bound = params.bind(self, *args, **kwargs)
            escape = bound.arguments.get("escape")
            bound.arguments["escape"] = (
                None if escape is False else (escape or pd.get_option("styler.format.escape"))
            )
            return method(*bound.args, **bound.kwargs)

        return wrapper

    styler.format = escaping(styler.format)
    styler.format_index = escaping(styler.format_index)
    styler.__init__ = __init__
    styler.set_caption = set_caption_escaped
    styler._mxsec_patched = True


def _escaped_caption(caption):
    # pandas writes a caption into the page as it is; the HTML one is the string or the first item.
    if isinstance(caption, str):
        return html_text(caption)
    if isinstance(caption, (tuple, list)) and caption:
        return type(caption)([html_text(caption[0]), *caption[1:]])
    return caption


def _frame_text(frame) -> str:
    try:
        return frame.to_csv()
    except Exception:
        return repr((frame.shape, list(map(str, frame.columns)), list(map(str, frame.index))))


# --------------------------------------------------------------------------- ipywidgets
def _patch_widgets(module) -> None:
    widget = module.Widget
    if getattr(widget, "_mxsec_patched", False):
        return
    open_ = widget.open

    @functools.wraps(open_)
    def open(self):
        if self.comm is None and self._model_id is None:
            self._model_id = _widget_id(self)
        return open_(self)

    widget.open = open
    widget._mxsec_patched = True


def _widget_id(widget) -> str:
    """A model id from the widget's class and state (child widgets appear by their own ids)."""
    kind = f"{type(widget).__module__}.{type(widget).__qualname__}"
    try:
        state = json.dumps(widget.get_state(), sort_keys=True, default=_stable_json)
    except Exception:
        state = ""
    return _stable_id("widget", kind + "\n" + state, _SEEN)


def _stable_json(value: Any) -> str:
    # Binary buffers by their content; anything else JSON cannot write by its type (a repr could
    # hold a memory address, different on every run).
    if isinstance(value, (bytes, bytearray, memoryview)):
        return hashlib.sha256(bytes(value)).hexdigest()
    return type(value).__qualname__


# --------------------------------------------------------------------------- set-up
_PATCHES: dict[str, Callable] = {
    "pandas.io.formats.style": _patch_styler,
    "ipywidgets.widgets.widget": _patch_widgets,
}


class _AfterImport(importlib.abc.MetaPathFinder):
    """Applies a patch right after its module is first imported, so that importing mxsec costs
    no import of pandas or ipywidgets."""

    def find_spec(self, name, path=None, target=None):
        if name not in _PATCHES or name in sys.modules:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return None
        exec_module, patch = spec.loader.exec_module, _PATCHES[name]

        def exec_and_patch(module):
            exec_module(module)
            patch(module)

        spec.loader.exec_module = exec_and_patch
        return spec


def install() -> None:
    """Patch pandas' Styler and ipywidgets' Widget as the module docstring says; idempotent."""
    for name, patch in _PATCHES.items():
        if name in sys.modules:
            patch(sys.modules[name])
    if not any(isinstance(finder, _AfterImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AfterImport())
