"""Command line: thin click layer over run.execute and the renderers; `main` maps to exit codes."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

import click

from checker import __version__
from checker.commands import LazyGroup
from checker.errors import EXIT_INPUT, EXIT_INTERRUPTED, CheckerError, UsageError, exit_code_for
from checker.lifecycle import terminate_as_interrupt
from checker.model import FAIL_ON_CHOICES, FRAMEWORKS
from checker.output_file import write_atomically
from checker.redact import redact, register_secret
from checker.textsafe import inline

LATEST_AS_OF_YEAR = 9998


@dataclass(slots=True)
class Streams:
    stdout: IO[str]
    stderr: IO[str]
    stdin: BinaryIO | None
    verbose: bool = False
    code: int = 0


def _today() -> str:
    return dt.date.today().isoformat()


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str:
    if value is None:
        return _today()
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (expected YYYY-MM-DD)") from None
    if date.year > LATEST_AS_OF_YEAR:  # waiver windows reach a year past it
        raise click.BadParameter(f"{value!r} is too far ahead (expected a year up to 9998)")
    return date.isoformat()


def _timeout(_ctx: click.Context, _param: click.Parameter, value: float) -> float:
    if not math.isfinite(value):
        raise click.BadParameter(f"{value!r} is not a number of seconds (expected e.g. 30)")
    return value


def _shard(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    if value is None or value == "":
        return None
    from checker.shard import Shard

    return Shard.parse(value)


def _formats() -> list[str]:
    from checker.report import RENDERERS

    return sorted(RENDERERS)


def policy_option(
    help: str = "more Rego rules (directory)",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--policy DIR`, the same for every command that loads policies."""
    return click.option(
        "--policy",
        "policy_dirs",
        multiple=True,
        envvar="TDCHECK_POLICY",
        type=click.Path(path_type=Path),
        help=help,
    )


def shared_run_options(command: Any) -> Any:
    options: list[Callable[[Any], Any]] = [
        click.argument("paths", nargs=-1, required=True),
        click.option(
            "--exclude",
            multiple=True,
            envvar="TDCHECK_EXCLUDE",
            help="gitignore pattern of paths a walk leaves out (repeatable)",
        ),
        click.option(
            "--no-gitignore",
            is_flag=True,
            envvar="TDCHECK_NO_GITIGNORE",
            help="walk into what .gitignore files ignore too",
        ),
        policy_option(),
        click.option(
            "--data",
            "data_files",
            multiple=True,
            envvar="TDCHECK_DATA",
            type=click.Path(path_type=Path),
            help="policy data merged over defaults",
        ),
        click.option(
            "--as-of",
            callback=_as_of,
            envvar="TDCHECK_AS_OF",
            help="judge rules at this date (YYYY-MM-DD; default today)",
        ),
        click.option(
            "--engine",
            type=click.Choice(["auto", "wasm", "embedded", "opa"]),
            default="auto",
            envvar="TDCHECK_ENGINE",
            show_default=True,
            help="auto: an OPA server when --opa-url is set, else wasm (OPA's Wasm build, "
            "in-process), else regopy or a local OPA with a notice (docs/engines.md)",
        ),
        click.option(
            "--opa-url",
            "opa_urls",
            multiple=True,
            envvar="TDCHECK_OPA_URL",
            help="OPA server (token from TDCHECK_OPA_TOKEN)",
        ),
        click.option("--opa-ca-file", envvar="TDCHECK_OPA_CA_FILE", help="CA bundle for https"),
        click.option(
            "--opa-trust-remote-policy",
            is_flag=True,
            envvar="TDCHECK_OPA_TRUST_REMOTE_POLICY",
            help="use --opa-url servers whose bundle revision is not this run's policy digest "
            "(the report names their revision)",
        ),
        click.option(
            "--no-cache",
            is_flag=True,
            envvar="TDCHECK_NO_CACHE",
            help="no cache: compile the policies, evaluate every manifest (docs/performance.md)",
        ),
        click.option(
            "--shard",
            callback=_shard,
            envvar="TDCHECK_SHARD",
            metavar="K/N",
            help="check only shard K of N (a CI matrix of N jobs; docs/performance.md)",
        ),
        click.option(
            "--timeout",
            "--opa-timeout",
            "opa_timeout",
            type=click.FloatRange(min=0, min_open=True),
            callback=_timeout,
            default=30.0,
            envvar="TDCHECK_OPA_TIMEOUT",
            show_default=True,
            help="seconds one manifest's evaluation (or one OPA request) may take",
        ),
        click.option(
            "-v", "--verbose", is_flag=True, help="list skipped files; remediation under failures"
        ),
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            help="text: errors, failing findings and the summary only; no notices or progress",
        ),
        click.option("--no-color", is_flag=True, envvar="TDCHECK_NO_COLOR", help="--color never"),
        click.option(
            "--color",
            type=click.Choice(["auto", "always", "never"]),
            default="auto",
            envvar="TDCHECK_COLOR",
            show_default=True,
            help="auto: only when stdout is a terminal and NO_COLOR is unset or empty",
        ),
        click.option(
            "--no-progress",
            is_flag=True,
            envvar="TDCHECK_NO_PROGRESS",
            help="no progress bar (drawn on stderr for many files, on a terminal only)",
        ),
        click.option(
            "--skip-non-manifests",
            is_flag=True,
            envvar="TDCHECK_SKIP_NON_MANIFESTS",
            help="pre-commit file lists: a file that is not a manifest is a notice, not an error",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def report_options(command: Any) -> Any:
    options = [
        click.option(
            "-f",
            "--format",
            "fmt",
            default=None,
            envvar="TDCHECK_FORMAT",
            help="text (default), json, sarif, junit, github, markdown, html",
        ),
        click.option("-o", "--output", type=click.Path(path_type=Path), envvar="TDCHECK_OUTPUT"),
        click.option(
            "--fail-on",
            type=click.Choice(FAIL_ON_CHOICES),
            default="error",
            envvar="TDCHECK_FAIL_ON",
            show_default=True,
        ),
        click.option(
            "--framework",
            "frameworks",
            multiple=True,
            type=click.Choice(FRAMEWORKS),
            help="evaluate only these frameworks",
        ),
        click.option("--show-passed", is_flag=True, envvar="TDCHECK_SHOW_PASSED"),
        click.option(
            "--sarif-include-waived",
            is_flag=True,
            envvar="TDCHECK_SARIF_INCLUDE_WAIVED",
            help="keep waived findings in SARIF as suppressed results (code scanning shows "
            "them as open alerts)",
        ),
        click.option(
            "--sarif-max-results",
            type=click.IntRange(min=0),
            default=0,
            envvar="TDCHECK_SARIF_MAX_RESULTS",
            help="SARIF holds at most N results, the most severe first (0: all; code "
            "scanning accepts 25000 per run)",
        ),
        click.option(
            "--waivers",
            type=click.Path(path_type=Path),
            envvar="TDCHECK_WAIVERS",
            help="waivers file (default: .tdcheck-waivers.yaml if present)",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tdcheck")
def cli() -> None:
    """tdcheck: where may each stage of a training pipeline run, and is it compliant?"""


def execute_run(streams: Streams, evaluate: bool, **kw: Any) -> Any:
    from checker.engine import EngineOptions
    from checker.run import RunOptions, execute
    from checker.waivers import default_waivers_path

    streams.verbose = kw["verbose"]
    token = os.environ.get("TDCHECK_OPA_TOKEN") or None
    register_secret(token.strip() if token else None)
    if token and kw["opa_urls"] and _from_config_file("opa_urls"):
        # A checked-out repository must not decide where the CI's token is sent.
        raise UsageError(
            "opa-url comes from the configuration file while TDCHECK_OPA_TOKEN is set; "
            "give --opa-url on the command line or in TDCHECK_OPA_URL"
        )
    if kw.get("opa_trust_remote_policy") and _from_config_file("opa_trust_remote_policy"):
        # Whoever can change the repository must not choose to trust a server's policies.
        raise UsageError(
            "opa-trust-remote-policy comes from the configuration file; give "
            "--opa-trust-remote-policy on the command line or TDCHECK_OPA_TRUST_REMOTE_POLICY"
        )
    engine_options = EngineOptions(
        opa_urls=tuple(kw["opa_urls"]),
        opa_token=token,
        opa_ca_file=kw["opa_ca_file"],
        timeout_s=kw["opa_timeout"],
        policy_cache=not kw.get("no_cache", False),
        trust_remote_policy=kw.get("opa_trust_remote_policy", False),
    )
    options = RunOptions(
        paths=tuple(kw["paths"]),
        as_of=kw["as_of"],
        excludes=tuple(kw["exclude"]),
        fail_on=kw.get("fail_on", "error"),
        frameworks=tuple(kw.get("frameworks", ())),
        policy_dirs=tuple(kw["policy_dirs"]),
        data_files=tuple(kw["data_files"]),
        engine=kw["engine"],
        engine_options=engine_options,
        evaluate=evaluate,
        waivers=default_waivers_path(kw.get("waivers")),
        skip_non_manifests=kw.get("skip_non_manifests", False),
        gitignore=not kw.get("no_gitignore", False),
        cache=not kw.get("no_cache", False),
        shard=kw.get("shard"),
    )
    bar = None
    if not kw.get("no_progress") and not kw["quiet"] and _is_tty(streams.stderr):
        from checker.progress import ProgressBar

        bar = ProgressBar(streams.stderr)
    try:
        return execute(options, stdin=streams.stdin, progress=bar)
    finally:
        if bar is not None:
            bar.close()


def _from_config_file(param: str) -> bool:
    ctx = click.get_current_context(silent=True)
    source = ctx.get_parameter_source(param) if ctx is not None else None
    return source is click.core.ParameterSource.DEFAULT_MAP


AUDIT_FORMATS = ("html", "markdown")  # the audit report, which carries its provenance


def emit(streams: Streams, report: Any, kw: dict[str, Any]) -> int:
    from checker.report import RENDERERS, RenderOptions, summary_line

    fmt = kw.get("fmt") or "text"
    if fmt not in RENDERERS:
        raise UsageError(f"--format {fmt!r} is not one of {', '.join(_formats())}")
    if not kw["quiet"]:
        streams.stderr.writelines(f"notice: {inline(notice)}\n" for notice in report.notices)
    notices = [notice for item in report.inputs for notice in item.notices]
    if kw["verbose"] and not kw["quiet"]:
        streams.stderr.writelines(f"notice: {inline(notice)}\n" for notice in notices)
    elif notices and not kw["quiet"]:
        streams.stderr.write(
            f"notice: {len(notices)} document(s) or file(s) skipped "
            "(no TrainingDeployment); -v lists them\n"
        )
    output: Path | None = kw.get("output")
    mode = "never" if kw["no_color"] else kw.get("color") or "auto"
    # no-color.org: only a NO_COLOR that is set and not empty turns colour off.
    color = mode == "always" or (
        mode == "auto"
        and output is None
        and _is_tty(streams.stdout)
        and not os.environ.get("NO_COLOR")
    )
    if fmt in AUDIT_FORMATS:
        from dataclasses import replace

        from checker.provenance import collect
        from checker.waivers import default_waivers_path

        report = replace(report, provenance=collect(default_waivers_path(kw.get("waivers"))))
    renderer = RENDERERS[fmt]
    settings = RenderOptions(
        color=color,
        show_passed=kw.get("show_passed", False),
        verbose=kw["verbose"],
        quiet=kw["quiet"],
        sarif_include_waived=kw.get("sarif_include_waived", False),
        sarif_max_results=kw.get("sarif_max_results", 0),
    )
    if fmt == "sarif" and settings.sarif_max_results and not kw["quiet"]:
        from checker.report.sarif import quotas

        kept, omitted = quotas(report, settings)
        if omitted:
            streams.stderr.write(
                f"notice: SARIF: {omitted} of {omitted + sum(kept.values())} result(s) left "
                f"out (--sarif-max-results {settings.sarif_max_results}); `-f json` lists "
                "every finding\n"
            )
    # Written as it is rendered: a large report never exists as one string (docs/performance.md).
    if output is not None:
        write_atomically(output, lambda handle: renderer.write(report, settings, handle))
    else:
        renderer.write(report, settings, streams.stdout)
    if fmt != "text" or output is not None:
        for problem in report.problems:
            streams.stderr.write(f"error: {problem.one_line()}\n")
        if not kw["quiet"]:
            streams.stderr.write(summary_line(report) + "\n")
    code: int = report.exit_code()
    return code


def _is_tty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@cli.command()
@shared_run_options
@report_options
@click.pass_obj
def check(streams: Streams, /, **kw: Any) -> None:
    """Load, validate and evaluate manifests; report findings; exit 0/1/2/3."""
    report = execute_run(streams, True, **kw)
    streams.code = emit(streams, report, kw)


@cli.command()
@shared_run_options
@click.option("-f", "--format", "fmt", default=None, envvar="TDCHECK_FORMAT")
@click.option("-o", "--output", type=click.Path(path_type=Path))
@click.pass_obj
def validate(streams: Streams, /, **kw: Any) -> None:
    """Schema and integrity checks only, no policies."""
    report = execute_run(streams, False, **kw)
    streams.code = emit(streams, report, kw)


@cli.command()
@click.option("--framework", "frameworks", multiple=True, type=click.Choice(FRAMEWORKS))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@policy_option()
@click.pass_obj
def rules(
    streams: Streams, frameworks: Sequence[str], fmt: str, policy_dirs: Sequence[Path]
) -> None:
    """The rule catalogue, read from the policies' METADATA."""
    from checker.policy import load_policy_set

    policy = load_policy_set(tuple(policy_dirs))
    selected = sorted(
        (m for m in policy.rules if not frameworks or m.framework in frameworks),
        key=lambda m: (m.framework, m.rule_id),
    )
    if fmt == "json":
        rows = [
            {
                "id": m.rule_id,
                "framework": m.framework,
                "severity": m.severity.value,
                "subject": m.subject,
                "title": m.title,
                "citation": m.citation,
                "remediation": m.remediation,
            }
            for m in selected
        ]
        streams.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    width = max((len(m.rule_id) for m in selected), default=10)
    for m in selected:
        row = f"{m.rule_id:<{width}}  {m.framework:<10}  {m.severity.value:<8}  {m.title}"
        cited = f"{'':<{width}}  citation: {m.citation}"
        streams.stdout.write(f"{inline(row)}\n{inline(cited)}\n")


@cli.command()
@click.pass_obj
def schema(streams: Streams) -> None:
    """Print the manifest JSON Schema (for editors: yaml-language-server $schema)."""
    from checker.validate import load_manifest_schema

    streams.stdout.write(json.dumps(load_manifest_schema(), indent=2) + "\n")


def _default_map() -> dict[str, Any] | None:
    """The working directory's configuration file as click defaults (flag > env > file)."""
    from checker.config import build_default_map, find_config

    config = find_config(Path.cwd())
    if config is None:
        return None
    cli.load_all()  # the file's keys are checked against every command's options
    return build_default_map(cli, config)


def main(
    argv: Sequence[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    stdin: BinaryIO | None = None,
) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    streams = Streams(
        stdout=stdout or sys.stdout,
        stderr=stderr or sys.stderr,
        stdin=stdin,
        # Known before parsing, so a failure inside option parsing can still show details.
        verbose="-v" in args or "--verbose" in args,
    )
    try:
        with terminate_as_interrupt():
            cli.main(
                args=args,
                prog_name="tdcheck",
                standalone_mode=False,
                obj=streams,
                default_map=_default_map(),
            )
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        streams.stderr.write("tdcheck: interrupted\n")
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        streams.stderr.write(f"tdcheck: {inline(exc.format_message())}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        streams.stderr.write("tdcheck: interrupted\n")
        return EXIT_INTERRUPTED
    except CheckerError as exc:
        streams.stderr.write(f"tdcheck: error: {inline(redact(str(exc)))}\n")  # names may be data
        if streams.verbose:
            streams.stderr.write(_traceback())
        return exit_code_for(exc)
    except Exception as exc:  # noqa: BLE001 - fail closed with one line; details on --verbose
        streams.stderr.write(
            f"tdcheck: internal error: {type(exc).__name__}: {inline(redact(str(exc)))}\n"
        )
        if streams.verbose:
            streams.stderr.write(_traceback())
        return exit_code_for(exc)
    return streams.code


def _traceback() -> str:
    import traceback  # only for --verbose failures: not worth its import on every run

    return traceback.format_exc()
