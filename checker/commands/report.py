"""`tdcheck report PATH... -o FILE.html|.md`: the audit report (cli-v1.md, "Audit report").

The same run and options as `check`, the same exit code; the format follows the output
file's extension. An explicit `-f` must agree with it; a TDCHECK_FORMAT default meant for
`check` (say `sarif` in CI) is ignored here rather than turned into an error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from checker.cli import Streams, emit, execute_run, report_options, shared_run_options
from checker.errors import UsageError

FORMATS_BY_SUFFIX = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}


def audit_format(output: Path | None) -> str:
    if output is None:
        raise UsageError("report needs -o FILE.html or -o FILE.md (the format follows the suffix)")
    fmt = FORMATS_BY_SUFFIX.get(output.suffix.lower())
    if fmt is None:
        raise UsageError(
            f"-o {output}: the audit report is written as .html or .md "
            f"(got {output.suffix or 'no suffix'!r}); use `check -f` for other formats"
        )
    return fmt


@click.command("report")
@shared_run_options
@report_options
@click.pass_context
def command(ctx: click.Context, /, **kw: Any) -> None:
    """Write the audit report (-o FILE.html or FILE.md): matrix, data flow, findings, evidence."""
    streams: Streams = ctx.obj
    fmt = audit_format(kw.get("output"))
    given = kw.get("fmt")
    if given and ctx.get_parameter_source("fmt") == ParameterSource.COMMANDLINE and given != fmt:
        raise UsageError(f"-f {given} does not match -o {kw['output']} (which means {fmt})")
    kw["fmt"] = fmt
    report = execute_run(streams, True, **kw)
    streams.code = emit(streams, report, kw)
