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

import html
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


# ---------------------------------------------------------------------------------------------------
# The render path: no stylesheet blocks the first paint.
#
# `render_path` rewrites the head of every built page: its render-blocking stylesheets (the theme's,
# Sphinx's, the extensions' and the course's, in their order; print sheets wrapped in @media print)
# become one bundle in _static/styles, loaded without blocking rendering (media="print", switched
# to "all" once loaded, with a <noscript> link for readers without JavaScript), and before it the
# page's critical CSS is inlined: every rule of the bundle whose selector matches an element of
# that page, with interaction states (:hover, :focus ...), pseudo-elements and the colour-mode
# attributes set by scripts disregarded, so both colour modes and every focus and hover state of
# what the page shows are styled from the first paint. The critical rules are a subset of the
# bundle in the bundle's order, and the bundle comes after them, so once it has loaded the cascade
# is exactly the original one. The tiny documentation_options.js, the one script left blocking, is
# inlined too.

BUNDLE_DIR = "_static/styles"
CRITICAL_ID = "mxsec-critical"
_LINK = re.compile(r"[ \t]*<link\b[^>]*\brel=\"stylesheet\"[^>]*>\n?")
_SCRIPT_OPTIONS = re.compile(r"<script src=\"([^\"]*documentation_options\.js)(?:\?[^\"]*)?\"></script>")
_ATTR = re.compile(r"\s([a-z-]+)=\"([^\"]*)\"")
_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
# What a static page cannot show but a reader or a script turns on: disregarded when matching.
_PSEUDO_ELEMENT = re.compile(
    r"::?(?:before|after|marker|placeholder|selection|backdrop|file-selector-button|first-letter|"
    r"first-line|-webkit-[\w-]+|-moz-[\w-]+|-ms-[\w-]+)\b"
)
_STATE = re.compile(
    r":(?:hover|focus-visible|focus-within|focus|active|visited|link|any-link|checked|target|"
    r"placeholder-shown|indeterminate|popover-open|modal|open|autofill|invalid|valid|user-invalid|"
    r"user-valid|enabled|disabled|read-only|read-write|default|required|optional|-webkit-[\w-]+|"
    r"-moz-[\w-]+)\b(?!\()"
)
_RUNTIME_ATTR = re.compile(r"\[data-[^\]]*\]")


def matching_form(selector: str) -> str:
    """`selector` as a static page can match it: without pseudo-elements, interaction states and
    data- attribute conditions (the colour mode and the flags scripts set on the page)."""
    out = _RUNTIME_ATTR.sub("", _STATE.sub("", _PSEUDO_ELEMENT.sub("", selector)))
    # what is left empty: `:not(:focus)` excludes nothing, `:has(:focus)` asks for nothing
    while True:
        shorter = re.sub(r":(?:not|has|is|where)\(\s*\)", "", out)
        if shorter == out:
            break
        out = shorter
    out = out.strip()
    # a compound left empty (".a > :hover" -> ".a >") matches anything there
    out = re.sub(r"([>+~])\s*$", r"\1 *", out)
    return out or "*"


def rebase_urls(css: str, source_dir: str, target_dir: str) -> str:
    """`css` with its relative url()s, written for a sheet in `source_dir`, pointing from `target_dir`
    (both folders relative to the site's root)."""
    import posixpath

    def rebase(match: re.Match) -> str:
        url = match.group(2).strip()
        if re.match(r"^(?:[a-z]+:|/|#)", url, re.I):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(source_dir or ".", url))
        return f"url({posixpath.relpath(target, target_dir or '.')})"

    return _URL.sub(rebase, css)


def _rules(css: str):
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def critical_css(bundle: str, matches) -> str:
    """The rules of `bundle` whose selectors `matches(selector)`, in the bundle's order, with
    print-only @media blocks left out and the custom properties no kept rule uses (even through
    another custom property) dropped from their rules."""

    def keep(rules) -> list[tuple]:
        # ("rule", selectors, [(name, declaration)]), ("block", "@media ...", [...]) or ("raw", text)
        out = []
        for rule in rules:
            if rule.type == "qualified-rule":
                kept = [s for s in _split_selectors(tinycss2.serialize(rule.prelude)) if matches(s)]
                if kept:
                    out.append(("rule", ",".join(kept), _declarations(rule.content)))
            elif rule.type == "at-rule":
                name, prelude = rule.lower_at_keyword, tinycss2.serialize(rule.prelude).strip()
                if name == "charset" or (name == "media" and prelude.lower() == "print"):
                    continue
                if name in ("media", "supports", "layer", "container") and rule.content is not None:
                    inner = keep(
                        tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
                    )
                    if inner:
                        out.append(("block", f"@{rule.at_keyword} {prelude}", inner))
                else:
                    out.append(("raw", rule.serialize()))
        return out

    tree = keep(_rules(bundle))
    used = _used_properties(tree)
    animations = _animations(tree)

    def write(items) -> list[str]:
        out = []
        for kind, head, *rest in items:
            if kind == "raw":
                keyframes = re.match(r"@(?:-webkit-)?keyframes\s+([\w-]+)", head)
                if not keyframes or keyframes.group(1) in animations:
                    out.append(head)
            elif kind == "block":
                inner = write(rest[0])
                if inner:
                    out.append(head + "{" + "".join(inner) + "}")
            else:
                decls = [text for name, text in rest[0] if not name.startswith("--") or name in used]
                if decls:
                    out.append(head + "{" + ";".join(decls) + "}")
        return out

    return "\n".join(write(tree))


def _declarations(content) -> list[tuple[str, str]]:
    """A rule's declarations as (name, text) pairs (custom properties keep the case of their name)."""
    out = []
    for decl in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if decl.type == "declaration":
            name = decl.name if decl.name.startswith("--") else decl.lower_name
            if name.startswith("transition") and any(token.type == "string" for token in decl.value):
                # A time written as a string, as the theme has once: invalid, so every browser drops
                # the declaration; left out here, where the HTML checker reads the CSS.
                continue
            value = tinycss2.serialize(decl.value).strip()
            out.append((name, f"{decl.name}:{value}{'!important' if decl.important else ''}"))
    return out


_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_WORDS = re.compile(r"[\w-]+")


def _animations(tree) -> set[str]:
    """The words of the animation declarations in `tree` (among them the names of its keyframes)."""
    words: set[str] = set()
    for kind, _head, *rest in tree:
        if kind == "block":
            words |= _animations(rest[0])
        elif kind == "rule":
            for name, text in rest[0]:
                if name.startswith("animation") or name.startswith("--"):
                    words.update(_WORDS.findall(text.split(":", 1)[1]))
    return words


def _used_properties(tree) -> set[str]:
    """The custom properties the declarations in `tree` use, directly or through one another."""
    uses: set[str] = set()
    defines: dict[str, set[str]] = {}

    def walk(items) -> None:
        for kind, head, *rest in items:
            if kind == "raw":
                uses.update(_VAR.findall(head))
            elif kind == "block":
                walk(rest[0])
            else:
                for name, text in rest[0]:
                    found = set(_VAR.findall(text.split(":", 1)[1]))
                    if name.startswith("--"):
                        defines.setdefault(name, set()).update(found)
                    else:
                        uses.update(found)

    walk(tree)
    todo = list(uses)
    while todo:
        for name in defines.get(todo.pop(), ()):
            if name not in uses:
                uses.add(name)
                todo.append(name)
    return uses


# The first screen of a page, for the critical rules: the whole page but the article, which is cut
# once this much of its text has come (a desktop screenful and more); what comes later in the
# article is styled when the bundle has loaded, a moment after the first paint, below the fold.
FIRST_SCREEN_TEXT = 3000
_ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)


def _cut(article: str) -> int | None:
    """Where the first screen of an article's HTML ends: after FIRST_SCREEN_TEXT characters of text,
    at the end of a tag (None when it is shorter)."""
    seen = 0
    for piece in re.finditer(r">([^<]*)<", article):
        seen += len(" ".join(piece.group(1).split()))
        if seen > FIRST_SCREEN_TEXT:
            return piece.start() + 1
    return None


def first_screen(html_text: str) -> str:
    """`html_text` without its scripts' bodies and with its article cut after FIRST_SCREEN_TEXT
    characters of text (at the end of a tag)."""
    text = re.sub(r"(<script\b[^>]*>).*?(</script>)", r"\1\2", html_text, flags=re.S)
    match = _ARTICLE.search(text)
    if not match:
        return text
    article = match.group(1)
    cut = _cut(article)
    if cut is None:
        return text
    return text[: match.start(1)] + article[:cut] + text[match.end(1) :]


def page_matcher(html_text: str):
    """A test of whether a selector (in `matching_form`) matches an element of the page's first
    screen (see `first_screen`)."""
    import soupsieve
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(first_screen(html_text), "html.parser")
    classes, ids, tags = set(), set(), {"html", "body"}
    for element in soup.find_all(True):
        tags.add(element.name)
        classes.update(element.get("class") or [])
        if element.get("id"):
            ids.add(element["id"])
    cache: dict[str, bool] = {}

    def possible(form: str) -> bool:
        # a class, id or element the selector asks for (outside parentheses) that the page lacks
        bare = re.sub(r"\[[^\]]*\]|:[\w-]+", " ", _outside_parens(form))
        for kind, name in _NAME.findall(bare):
            if name.replace("\\", "") not in (classes if kind == "." else ids):
                return False
        for name in re.findall(r"(?:^|[\s>+~,(])([a-zA-Z][\w-]*)", bare):
            if name.lower() not in tags:
                return False
        return True

    def matches(selector: str) -> bool:
        form = matching_form(selector)
        if form not in cache:
            try:
                cache[form] = possible(form) and soupsieve.select_one(form, soup) is not None
            except Exception:  # a selector soupsieve cannot read: kept, to be safe
                cache[form] = True
        return cache[form]

    return matches


def _attributes(tag: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(tag)}


def _bundle(outdir: Path, sheets: list[tuple[str, str]]) -> str:
    """Write (once) the bundle of `sheets` ((site-relative path, media) in cascade order) into
    BUNDLE_DIR; its site-relative path."""
    import hashlib
    import posixpath

    parts = []
    for path, media in sheets:
        text = (outdir / path).read_text(encoding="utf-8")
        text = re.sub(r"^\s*@charset\s+\"[^\"]*\";", "", text)
        text = rebase_urls(text, posixpath.dirname(path), BUNDLE_DIR)
        parts.append(f"/* {path} */\n" + (text if media in ("", "all") else f"@media {media}{{{text}}}"))
    body = '@charset "UTF-8";\n' + "\n".join(parts)
    name = f"{BUNDLE_DIR}/mxsec-{hashlib.sha256(body.encode()).hexdigest()[:12]}.css"
    target = outdir / name
    if not target.exists():
        target.write_text(body, encoding="utf-8")
    return name


# Scripts that can wait for the first paint and the bundle (they wait for the DOM themselves,
# whenever they run): the themes', Sphinx's, the copy button's and the widgets' loader, which lays
# its widgets out by what the whole stylesheet shows and hides.
LATE_SCRIPTS = (
    "bootstrap.js",
    "pydata-sphinx-theme.js",
    "sphinx-book-theme.js",
    "doctools.js",
    "sphinx_highlight.js",
    "clipboard.min.js",
    "copybutton.js",
    "mxsec-embed.js",
)
_DEFERRED = re.compile(r"[ \t]*<script defer(?:=\"defer\")? src=\"([^\"]+)\"></script>\n?")
# Loads the bundle once the page has painted (or at DOMContentLoaded, if that comes first, so that
# all of it still happens before the load event), right after the critical rules so the cascade is
# the original one; then, once the bundle has loaded (or failed to), the late scripts in order.
LATE_LOADER = """<script>
    (() => {
      const sheet = %s, scripts = %s;
      let started = false, ran = false;
      const run = () => {
        if (ran) return;
        ran = true;
        for (const src of scripts)
          document.head.append(Object.assign(document.createElement("script"), { src, async: false }));
      };
      const start = () => {
        if (started) return;
        started = true;
        const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href: sheet });
        link.onload = link.onerror = run;
        document.getElementById("%s").after(link);
      };
      try {
        new PerformanceObserver((_, observer) => {
          observer.disconnect();
          start();
        }).observe({ type: "paint", buffered: true });
      } catch {
        start();
      }
      document.addEventListener("DOMContentLoaded", start);
    })();
  </script>"""
_IMG = re.compile(r"<img\b(?![^>]*\bloading=)")


def lazy_images(body: str, after: int) -> str:
    """`body` with every image that starts after character `after` loaded lazily."""
    return body[:after] + _IMG.sub('<img loading="lazy"', body[after:])


def render_path(outdir: Path) -> None:
    """Rewrite every page as described above (pages without stylesheets are left alone)."""
    import json
    import posixpath

    outdir = Path(outdir)
    options = outdir / "_static" / "documentation_options.js"
    inline_options = options.read_text(encoding="utf-8").strip() if options.is_file() else None
    bundles: dict[tuple, str] = {}
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        end = text.find("</head>")
        head = text[:end]
        links = list(_LINK.finditer(head))
        # (a page an earlier build rewrote, which this one left alone, is left as it is)
        if end < 0 or not links or f'<style id="{CRITICAL_ID}">' in head:
            continue
        folder = posixpath.dirname(page.relative_to(outdir).as_posix())
        sheets = []
        for link in links:
            attrs = _attributes(link.group(0))
            path = posixpath.normpath(posixpath.join(folder, attrs["href"].split("?")[0]))
            sheets.append((path, attrs.get("media", "")))
        key = tuple(sheets)
        if key not in bundles:
            bundles[key] = _bundle(outdir, sheets)
        bundle = bundles[key]
        critical = critical_css((outdir / bundle).read_text(encoding="utf-8"), page_matcher(text))
        critical = rebase_urls(critical, BUNDLE_DIR, folder).replace("</", "<\\/")
        href = posixpath.relpath(bundle, folder or ".")
        # The search page runs Sphinx's search scripts in order, blocking: its scripts stay.
        late = []
        if page.name != "search.html":
            late = [m.group(1) for m in _DEFERRED.finditer(text) if _name(m.group(1)) in LATE_SCRIPTS]
            text = _DEFERRED.sub(lambda m, late=late: "" if m.group(1) in late else m.group(0), text)
            end = text.find("</head>")
            head = text[:end]
            links = list(_LINK.finditer(head))
        block = (
            f'  <style id="{CRITICAL_ID}">{critical}</style>\n'
            f"  {LATE_LOADER % (json.dumps(href), json.dumps(late), CRITICAL_ID)}\n"
            f'  <noscript><link rel="stylesheet" href="{href}" /></noscript>\n'
        )
        new_head = head[: links[0].start()] + block
        position = links[0].end()
        for link in links[1:]:
            new_head += head[position : link.start()]
            position = link.end()
        new_head += head[position:]
        if inline_options:
            new_head = _SCRIPT_OPTIONS.sub(lambda m: f"<script>{inline_options}</script>", new_head)
        rest = text[end:]
        article = _ARTICLE.search(rest)
        if article:
            cut = _cut(article.group(1))
            if cut is not None:
                at = article.start(1) + cut
                rest = rest[:at] + lazy_images(rest[at:], 0)
        page.write_text(new_head + rest, encoding="utf-8")
    # Bundles of earlier builds that no page names any more are not shipped.
    named = {
        m
        for page in outdir.rglob("*.html")
        for m in re.findall(r"mxsec-[0-9a-f]{12}\.css", page.read_text(encoding="utf-8"))
    }
    for old in (outdir / BUNDLE_DIR).glob("mxsec-*.css"):
        if old.name not in named:
            old.unlink()


def _name(url: str) -> str:
    return url.rsplit("/", 1)[-1].split("?")[0]
