"""Text helpers shared by the exporters: HTML escaping, numbers as plain decimals, XML building."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from decimal import Decimal


def html_text(text: str) -> str:
    """Plain text as HTML that shows exactly that text; line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def paragraph(text: str) -> str:
    return f"<p>{html_text(text)}</p>"


def decimal(x: float) -> Decimal:
    """A number as the decimal it stands for, for exact sums and differences."""
    # 15 significant digits drop the noise of binary floats (35.800000000000004 is 35.8).
    return Decimal(f"{float(x):.15g}")


def number_text(x: float | Decimal) -> str:
    """A number as a plain decimal (no exponent, no trailing zeros): 60000, 0.54, 2.33333333333333."""
    text = format(x if isinstance(x, Decimal) else decimal(x), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """Append a child element with optional text and attributes; return it."""
    child = ET.SubElement(parent, tag, attrs)
    child.text = text
    return child


def xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode(
        "utf-8"
    )
