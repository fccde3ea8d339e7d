"""`rectify schema`: the file format v1 as a JSON Schema, for editors and validators."""


import json
from pathlib import Path
from typing import Optional

import typer

from .root import app
from .common import err, fail_usage, lang_of, out
from .options import LangOpt


@app.command("schema")
def schema_command(
    out_path: Optional[Path] = typer.Option(
        None, "--out", help="Write to this file (atomically), e.g. .rectify/schema.json / 输出文件"
    ),
    lang: Optional[str] = LangOpt,
) -> None:
    """Print the JSON Schema (draft 2020-12) of plan files and rectify.yaml. / 输出文件格式的 JSON Schema"""
    from ..atomic import write_atomic
    from ..messages import text
    from ..schema_doc import json_schema

    language = lang_of(lang)
    document = json.dumps(json_schema(language), ensure_ascii=False, indent=2) + "\n"
    if out_path is None:
        out(document.rstrip("\n"))
        return
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out_path, document)
    except OSError as exc:
        fail_usage(text("export.write_failed", language, path=str(out_path), reason=exc.strerror or str(exc)), language)
    err(text("report.written", language, path=str(out_path)))
