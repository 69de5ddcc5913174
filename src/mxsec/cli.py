"""The `mxsec` command, one entry point for the course's tools:

  mxsec check                      validate the course data and say what it holds
  mxsec export --format qti OUT    write the question bank for Canvas (qti) or Moodle (moodle, gift)
  mxsec release [COURSE]           release the exercise notebooks into an nbgrader course folder
  mxsec gradebook COURSE ...       write the course's gradebook as a CSV file for Canvas or Moodle
  mxsec build instructor|fresh-cache ...   the book builds' helpers (the Makefile uses them)
  mxsec publish pdf|offline|epubcheck ...  the PDF, offline and EPUB editions

`mxsec COMMAND --help` tells more. `python -m mxsec` is the same command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from .chapters import ChapterError
from .data import DataError, load
from .export import BANKS, FORMATS, Export, ExportError, export, type_counts

# Commands whose own module parses the rest of the line: name -> (module, the module's words first, help).
DELEGATED = {
    "release": ("assignments", ["release"], "release the exercise notebooks into an nbgrader course folder"),
    "gradebook": (
        "assignments",
        ["gradebook"],
        "write a course's gradebook as a CSV file for Canvas or Moodle",
    ),
    "build": ("build", [], "the book builds' helpers: instructor (the edition's config), fresh-cache"),
    "publish": ("publish", [], "the PDF, offline and EPUB editions: pdf, offline, epubcheck"),
}


def main(argv: list[str] | None = None) -> int:
    """Run the command; return its exit status: 2 for bad data or a bad request, 1 if a file cannot be written."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in DELEGATED:
        import importlib

        module, words, _ = DELEGATED[argv[0]]
        importlib.import_module(f".{module}", __package__).main(
            [*words, *argv[1:]], prog="mxsec" if words else f"mxsec {argv[0]}"
        )
        return 0
    args = _parser().parse_args(argv)
    try:
        args.run(args)
    except (DataError, ExportError, ChapterError) as err:
        print(f"mxsec {args.command}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"mxsec {args.command}: cannot write: {err}", file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mxsec", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, _, text) in DELEGATED.items():
        commands.add_parser(name, help=text, add_help=False)  # parsed by its module (see main)
    check = commands.add_parser("check", help="load and validate every data file, then print what it holds")
    check.set_defaults(run=_check)
    out = commands.add_parser(
        "export",
        help="write the question bank for Canvas (qti) or Moodle (moodle, gift)",
        description="\n".join(f"{name}: {module.DESCRIPTION}" for name, module in FORMATS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    out.add_argument("--format", required=True, choices=list(FORMATS), help="the platform's format")
    out.add_argument("outdir", type=Path, help="folder to write into (made if missing)")
    out.add_argument(
        "--chapter",
        action="append",
        metavar="CH",
        help="export only this chapter (e.g. introduction); repeat for more; default: all",
    )
    out.add_argument(
        "--bank",
        choices=list(BANKS),
        default="practice",
        help="the book's self-checks (practice, the default) or the summative bank, grouped by "
        "chapter and type so that the platform draws alternate forms",
    )
    out.add_argument(
        "--ordering-as-matching",
        action="store_true",
        help="moodle, gift: write ordering questions as matching questions, for Moodle before 4.4 "
        "without the Ordering plugin (qti always does)",
    )
    out.set_defaults(run=_export)
    return parser


def _counts(types: Iterable[str]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in type_counts(types).items())


def _questions(n: int) -> str:
    return f"{n} question{'' if n == 1 else 's'}"


def _check(args: argparse.Namespace) -> None:
    course = load()
    print(f"The data in {course.directory} is valid.")
    held = {
        "facts": course.facts,
        "survey threats": course.threats,
        "periods": course.periods,
        "administrations": course.administrations,
        "timeline events": course.events,
        "policy categories": course.categories,
        "policies": course.policies,
    }
    print("  " + ", ".join(f"{name} {len(records)}" for name, records in held.items()))
    print(f"  learning outcomes {len(course.outcomes)}")
    for name, bank in (("self-check bank", course.questions), ("summative bank", course.summative)):
        print(f"  {name}, {_questions(len(bank))}: {_counts(q['type'] for q in bank) or 'none'}")
        in_book_order = list(dict.fromkeys(o["chapter"] for o in course.outcomes))  # outcomes follow the book
        found = dict.fromkeys(q["chapter"] for q in bank)
        for chapter in sorted(
            found, key=lambda c: in_book_order.index(c) if c in in_book_order else len(in_book_order)
        ):
            mine = [q for q in bank if q["chapter"] == chapter]
            print(f"    {chapter} ({len(mine)}): {_counts(q['type'] for q in mine)}")


def _export(args: argparse.Namespace) -> None:
    result = export(
        args.format, args.outdir, args.chapter, bank=args.bank, ordering_as_matching=args.ordering_as_matching
    )
    _report(result, FORMATS[args.format].DESCRIPTION)


def _report(result: Export, description: str) -> None:
    print(
        f"Wrote {result.path}: {_questions(len(result.exported))} from the {result.bank} bank ({description})"
    )
    for chapter in dict.fromkeys(item.chapter for item in result.exported):
        mine = [item for item in result.exported if item.chapter == chapter]
        print(f"  {chapter} ({len(mine)}): {_counts(item.type for item in mine)}")
    print(f"  all chapters: {_counts(item.type for item in result.exported)}")
    if result.parts:
        print(f"  inside: imsmanifest.xml, {', '.join(result.parts)}")
    if result.bank == "summative":
        print("Alternate forms: each attempt draws half of each group (chapter and type), rounded up:")
        for chapter in result.chapters:
            draws = ", ".join(f"{g.name.lower()} {g.draw} of {len(g.items)}" for g in chapter.groups)
            print(
                f"  {chapter.id}: {_questions(chapter.draw)} a form ({draws}); "
                f"{chapter.forms:,} different forms, {chapter.disjoint} with no question in common"
            )
    if result.skipped:
        print(
            f"Skipped {_questions(len(result.skipped))} ({_counts(i.type for i in result.skipped)}): "
            + ", ".join(i.id for i in result.skipped)
        )
    for path in result.companions:
        print(f"Wrote {path} (for graders only)")
    for note in result.notes:
        print(f"Note: {note}")
