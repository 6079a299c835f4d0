"""`tdcheck config`: the settings a `tdcheck check` run here would use, and where each came
from: a flag, an environment variable, the configuration file (with its line) or the default.

It takes every option of `check` (not its paths), so `tdcheck config --fail-on warning`
shows what that command line would do; nothing is loaded, evaluated or written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import click

from checker.cli import Streams, check
from checker.textsafe import inline

_SOURCE = click.core.ParameterSource
# Secrets have no option (the OPA token is read from TDCHECK_OPA_TOKEN only); a URL's
# user:password part is hidden all the same.
_USERINFO = re.compile(r"(?<=//)[^/@\s]+@")


@click.command(name="config")
@click.pass_context
def command(ctx: click.Context, /, **kw: Any) -> None:
    """Show the settings in force for `check` here and where each one comes from."""
    from checker.config import find_config
    from checker.project import search_dirs
    from checker.waivers import default_waivers_path

    streams: Streams = ctx.obj
    config = find_config(Path.cwd())
    looked = search_dirs(Path.cwd())
    if config is not None:
        section = " [tool.tdcheck]" if config.source.endswith("pyproject.toml") else ""
        streams.stdout.write(f"configuration file: {inline(config.source)}{section}\n")
    else:
        where = ", ".join(str(d) for d in looked)
        streams.stdout.write(f"configuration file: none (looked in {inline(where)})\n")
    rows: list[tuple[str, str, str]] = []
    for param in command.params:
        if not isinstance(param, click.Option) or param.name is None:
            continue
        key = _long_name(param)
        value = kw[param.name]
        source = ctx.get_parameter_source(param.name)
        if source is _SOURCE.COMMANDLINE:
            origin = f"flag --{key}"
        elif source is _SOURCE.ENVIRONMENT:
            origin = f"env {_env_name(param)}"
        elif source is _SOURCE.DEFAULT_MAP and config is not None:
            origin = f"file {_span(config, param)}"
        else:
            origin = "default"
        if param.name == "waivers" and value is None:
            value = default_waivers_path(None)
            origin = "default (found)" if value is not None else "default"
        rows.append((key, _shown(value), origin))
    colour_note = "NO_COLOR is set" if os.environ.get("NO_COLOR") else ""
    width = max(len(key) for key, _, _ in rows)
    value_width = min(40, max(len(value) for _, value, _ in rows))
    for key, value, origin in rows:
        note = f"  ({colour_note})" if key == "color" and colour_note else ""
        line = f"{key:<{width}}  {value:<{value_width}}  {origin}{note}"
        streams.stdout.write(inline(line.rstrip()) + "\n")


def _long_name(param: click.Option) -> str:
    return next(opt[2:] for opt in param.opts if opt.startswith("--"))


def _env_name(param: click.Option) -> str:
    names = param.envvar if isinstance(param.envvar, list | tuple) else [param.envvar]
    return next((str(n) for n in names if n and os.environ.get(str(n))), str(names[0]))


def _span(config: Any, param: click.Option) -> str:
    for opt in param.opts:
        if opt.startswith("--") and opt[2:] in config.spans:
            return str(config.spans[opt[2:]])
    return str(config.source)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "-"
    if isinstance(value, list | tuple):
        return ", ".join(_shown(v) for v in value) if value else "-"
    return _USERINFO.sub("***@", str(value))


command.params.extend(p for p in check.params if p.name != "paths")
command.mirrors_check = True  # type: ignore[attr-defined]  # its options take check's defaults
