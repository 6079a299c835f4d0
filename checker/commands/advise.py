"""`tdcheck advise MANIFEST...`: for every stage, every declared location, judged by the policies.

Each location is evaluated as if the stage ran there, the rest of the manifest unchanged
(lineage and movements recomputed, declared transfers as declared). Exit 0 when every stage
has a declared location open to it, 1 when one has none, 2 bad input, 3 unevaluated.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from checker.cli import Streams, shared_run_options
from checker.model import FAIL_ON_CHOICES
from checker.output_file import write_atomically

FORMATS = ("text", "json", "markdown")


@click.command("advise")
@shared_run_options
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text: a stage x location matrix; json: schemas/advise.schema.json; markdown",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="write the advice there")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES),
    default="error",
    envvar="TDCHECK_FAIL_ON",
    show_default=True,
    help="the lowest severity of a failing finding that blocks a placement",
)
@click.pass_obj
def command(streams: Streams, /, **kw: Any) -> None:
    """Where may each stage run? Every declared location, as if the stage ran there."""
    from checker.advise import AdviseOptions, advise
    from checker.advise.render import RENDERERS
    from checker.engine import EngineOptions
    from checker.run import RunOptions

    streams.verbose = kw["verbose"]
    run = RunOptions(
        paths=tuple(kw["paths"]),
        as_of=kw["as_of"],
        excludes=tuple(kw["exclude"]),
        policy_dirs=tuple(kw["policy_dirs"]),
        data_files=tuple(kw["data_files"]),
        engine=kw["engine"],
        engine_options=EngineOptions(
            opa_urls=tuple(kw["opa_urls"]),
            opa_token=os.environ.get("TDCHECK_OPA_TOKEN") or None,
            opa_ca_file=kw["opa_ca_file"],
            timeout_s=kw["opa_timeout"],
            policy_cache=not kw["no_cache"],
            trust_remote_policy=kw.get("opa_trust_remote_policy", False),
        ),
        skip_non_manifests=kw.get("skip_non_manifests", False),
        gitignore=not kw.get("no_gitignore", False),
    )
    report = advise(AdviseOptions(run=run, fail_on=kw["fail_on"]), stdin=streams.stdin)
    text = RENDERERS[kw["fmt"]].render(report, kw["verbose"])
    output: Path | None = kw["output"]
    if output is not None:
        write_atomically(output, lambda handle: handle.write(text), what="advice")
    else:
        streams.stdout.write(text)
    if kw["fmt"] != "text" or output is not None:
        streams.stderr.writelines(f"error: {p.one_line()}\n" for p in report.problems)
    if not kw["quiet"]:
        stranded = sum(len(m.stranded) for m in report.manifests)
        streams.stderr.write(
            f"tdcheck advise: {len(report.manifests)} manifest(s), "
            f"{sum(m.evaluations for m in report.manifests)} evaluation(s), "
            f"{stranded} stage(s) with no open location [engine {report.engine.name}]\n"
        )
    streams.code = report.exit_code()
