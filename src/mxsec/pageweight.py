"""What the book's pages need of the theme's stylesheets and icon fonts, and nothing more.

Run by mxsec.sphinxext when an HTML build finishes, on the copies in the output folder (the installed
theme is never touched, and Sphinx copies its files afresh on every build):

- `purge_css` keeps a rule only if every class and id its selector names occurs somewhere in the
  site's HTML or JavaScript (so rules for states the theme's scripts switch on, such as `.show`,
  stay), and drops the Font Awesome faces other than the ones kept;
- `subset_icon_fonts` cuts the theme's Font Awesome fonts down to the glyphs the kept rules still
  name (the header's icons, the admonitions' icons), as WOFF files of a few kilobytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import tinycss2

# Words of the site's HTML and scripts: every class or id a page can ever carry is among them.
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# A class or id in a selector (with CSS escapes, e.g. `.sm\:flex`), outside any parentheses.
_NAME = re.compile(r"([.#])((?:[\w-]|\\.)+)")
# Glyphs of an icon font: Font Awesome's live in Unicode's private use area.
_PRIVATE = re.compile(r"[\ue000-\uf8ff]|\\([eEfF][0-9a-fA-F]{3})\b")


def site_words(files: Iterable[Path]) -> set[str]:
    words: set[str] = set()
    for path in files:
        words.update(_WORD.findall(path.read_text(encoding="utf-8", errors="replace")))
    return words


def _outside_parens(selector: str) -> str:
    depth, out = 0, []
    for char in selector:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(prelude):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def selector_used(selector: str, words: set[str]) -> bool:
    """Whether the classes and ids `selector` requires (those outside :not(), :is() ...) all occur."""
    return all(name.replace("\\", "") in words for _, name in _NAME.findall(_outside_parens(selector)))


def _font_family(rule) -> str:
    for decl in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
        if decl.type == "declaration" and decl.lower_name == "font-family":
            return tinycss2.serialize(decl.value).strip().strip("\"'").replace("\\", "")
    return ""


def _purge_rules(rules, words: set[str], font_face) -> list[str]:
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [s for s in _split_selectors(tinycss2.serialize(rule.prelude)) if selector_used(s, words)]
            if kept:
                out.append(",".join(kept) + "{" + tinycss2.serialize(rule.content).strip() + "}")
        elif rule.type == "at-rule":
            name = rule.lower_at_keyword
            if name in ("media", "supports", "layer", "container", "document") and rule.content is not None:
                inner = _purge_rules(
                    tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                    words,
                    font_face,
                )
                if inner:
                    out.append(
                        f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}{{{''.join(inner)}}}"
                    )
            elif name == "font-face":
                replaced = font_face(rule)
                if replaced:
                    out.append(replaced)
            else:
                out.append(rule.serialize())
    return out


def purge_css(text: str, words: set[str], font_face=None) -> str:
    """`text` without the rules no page can match. `font_face(rule)` returns the text of an
    @font-face rule to keep (or "" to drop it); by default every face is kept as it is."""
    keep_face = font_face or (lambda rule: rule.serialize())
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    charset = [r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "charset"]
    body = _purge_rules([r for r in rules if r not in charset], words, keep_face)
    return "".join(r.serialize() for r in charset) + "\n".join(body) + "\n"


def glyphs(css: str) -> set[int]:
    """The private-use code points a stylesheet names (as characters or as CSS escapes)."""
    return {ord(m.group(0)) if not m.group(1) else int(m.group(1), 16) for m in _PRIVATE.finditer(css)}


def subset_font(source: Path, codepoints: set[int]) -> bytes:
    """`source` (a TrueType font) with only `codepoints`, as WOFF (zlib: no extra codec needed)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # recalcTimestamp=False keeps the source's head.modified (the default stamps the time of the build)
    font = TTFont(str(source), recalcTimestamp=False)
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff"
    font.save(buffer)
    return buffer.getvalue()


# Stylesheets the course writes itself are already lean and are left as they are.
OWN_STATIC = (Path(__file__).parent / "static",)
ICON_SCRIPT = "scripts/fontawesome.js"
_FACE_PLACEHOLDER = "/*mxsec-font-face:{}*/"
# The theme's Bootstrap bundle names every Bootstrap component (carousel, accordion, offcanvas ...);
# its words are left out, and in their place the classes it sets on the two components the pages
# use, dropdowns (the download menu) and tooltips (the header's buttons).
BUNDLES = {"bootstrap.js"}
BOOTSTRAP_STATES = {
    "show",
    "showing",
    "hiding",
    "fade",
    "collapse",
    "collapsing",
    "dropdown-menu-end",
    "dropdown-menu-start",
    "tooltip",
    "tooltip-inner",
    "tooltip-arrow",
    "bs-tooltip-auto",
    "bs-tooltip-top",
    "bs-tooltip-bottom",
    "bs-tooltip-start",
    "bs-tooltip-end",
    "active",
    "disabled",
}


def trim_site(app) -> None:
    """Purge the theme's stylesheets in the build's _static and subset its icon fonts (see above)."""
    outdir = Path(app.outdir)
    static = outdir / "_static"
    own = {
        p.name
        for d in (*OWN_STATIC, *(Path(app.confdir) / e for e in app.config.html_static_path))
        if Path(d).is_dir()
        for p in Path(d).rglob("*.css")
    }
    # The icon script is loaded by no page any more (see templates/layout.html): do not ship it.
    for path in static.glob(ICON_SCRIPT + "*"):
        if not path.name.endswith("LICENSE.txt"):
            path.unlink()
    sources = [*outdir.rglob("*.html"), *(p for p in static.rglob("*.js") if p.name not in BUNDLES)]
    words = site_words(sources) | BOOTSTRAP_STATES
    faces: list = []

    def hold_face(rule) -> str:
        faces.append(rule)
        return _FACE_PLACEHOLDER.format(len(faces) - 1)

    sheets = {}
    for path in sorted(static.rglob("*.css")):
        if path.name in own:
            continue
        sheets[path] = purge_css(path.read_text(encoding="utf-8"), words, hold_face)
    used = set().union(*(glyphs(text) for text in sheets.values())) if sheets else set()
    for path, text in sheets.items():
        for index in range(len(faces)):
            placeholder = _FACE_PLACEHOLDER.format(index)
            if placeholder in text:
                text = text.replace(placeholder, _face(faces[index], path.parent, used))
        path.write_text(text, encoding="utf-8")


def _face(rule, folder: Path, used: set[int]) -> str:
    """An @font-face rule; for an icon font, one that points at its subset (written next to it)."""
    text = rule.serialize()
    if "Font Awesome" not in _font_family(rule):
        return text
    fonts = re.findall(r"url\(([^)]+?\.ttf)\)", text)
    if not fonts:
        return text
    source = (folder / fonts[0].strip("\"'")).resolve()
    subset = source.with_suffix(".subset.woff")
    subset.write_bytes(subset_font(source, used))
    for original in source.parent.glob(source.stem + ".*"):
        if original != subset:
            original.unlink()
    relative = fonts[0].strip("\"'").rsplit("/", 1)[0] + "/" + subset.name
    return re.sub(r"src\s*:[^;}]*", f'src:url({relative}) format("woff")', text, count=1)
