"""The essays' model answers and rubrics as a page for graders, written beside the exports whose
platform has no text that only graders see (Canvas quizzes, GIFT)."""

from __future__ import annotations

from pathlib import Path

from .. import chapters as registry
from ._bank import BANK_LABELS, Chapter, grader_html, points_text
from ._markup import html_text, paragraph

FILENAMES = {"practice": "mxsec-essay-keys.html", "summative": "mxsec-summative-essay-keys.html"}


def write(chapters: list[Chapter], outdir: Path) -> Path | None:
    """Write the page if the chapters have essays; return its path, or None."""
    essays = [(c, item) for c in chapters for item in c.items if item.type == "essay"]
    if not essays:
        return None
    bank = chapters[0].bank
    title = f"{registry.course_title()}: essay keys ({BANK_LABELS[bank].lower()})"
    body = [
        f"<h1>{html_text(title)}</h1>",
        paragraph(
            "For graders only: keep this page from students. Each essay's prompt, model answer "
            "and rubric, in the order of the quiz file written beside it."
        ),
    ]
    for chapter, item in essays:
        body.append(
            f"<h2>{html_text(f'{chapter.number}. {chapter.title}')}: {html_text(item.id)} "
            f"({html_text(points_text(item.points))})</h2>"
        )
        body.append("<p><strong>Prompt</strong></p>" + paragraph(item.prompt) + grader_html(item))
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html_text(title)}</title>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
    path = outdir / FILENAMES[bank]
    path.write_text(page, encoding="utf-8")
    return path
