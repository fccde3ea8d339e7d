"""`rectify import DOCUMENT.docx|.txt|.md`: the thin layer over `formats.document`,
`formats.outline_parse` and `formats.docdraft` (read, recognise, draft, write).

Exit 0 when every paragraph of the body is in the draft, 1 when some are only in
the import report, 2 when the document cannot be used (nothing is written then).
"""


from pathlib import Path
from typing import NoReturn

import typer

from .common import EXIT_FINDINGS, EXIT_OK, fail_usage, fail_with, lang_of, out, today
from ..messages import text

REPORT_NAME = "import-report.txt"


def import_document(source: Path, plan: str, directory: Path, write_plan: bool, dry_run: bool, lang: str,
                    lang_option: str | None = None) -> NoReturn:
    """`lang`: the language so far; once the document is read, it speaks for the ledger
    where nothing else chose (see `language.resolve`)."""
    from ..atomic import ANY, write_all
    from ..formats.docdraft import draft, files, report_text, tree_text
    from ..formats.document import DocumentError, read_document
    from ..formats.outline_parse import parse

    try:
        paragraphs = read_document(source)
    except DocumentError as exc:
        fail_with(exc, lang)
    lang = lang_of(lang_option, [directory], (p.text for p in paragraphs[:20]))
    result = draft(parse(paragraphs), plan)
    if not result.tasks:
        fail_usage(text("docimport.nothing", lang, path=str(source)), lang)
    report = report_text(result, source.name, lang)
    written = files(result, plan, source.name, today(), lang, write_plan)
    if dry_run:
        for line in tree_text(result, lang):
            out(line)
    for line in report.splitlines():
        out(line)
    if any(t.get("x-review") for t in result.tasks) or result.plan.get("x-review"):
        out(text("docimport.review", lang))
    if dry_run:
        for name in written:
            out(text("import.would_write", lang, path=str(directory / name)))
        out(text("import.dry_run", lang))
    else:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            write_all([*((directory / name, content, ANY) for name, content in written.items()),
                       (directory / REPORT_NAME, report, ANY)])
        except OSError as exc:
            fail_usage(text("export.write_failed", lang, path=str(directory), reason=exc.strerror or str(exc)), lang)
        for name in written:
            out(text("import.written", lang, path=str(directory / name)))
    raise typer.Exit(EXIT_FINDINGS if result.unplaced else EXIT_OK)
