"""Project configuration: `[tool.tdcheck]` in pyproject.toml or `.tdcheck.yaml` (cli-v1.md).

The nearest directory that configures tdcheck wins, looking from the working directory up
to the repository root (checker/project.py), so a run from a subdirectory keeps the
project's settings. Paths in a file found above the working directory (policy, data,
waivers, output, CA file) are relative to that file's directory, as written.

The file becomes click's `default_map`, which click consults after the command line and
the `envvar=` of each option and before the option's default: that ordering *is* the
contract's precedence, flag > environment > file > default, with no merging code here.

Keys are the long option names (`fail-on`; `fail_on` is accepted too). `policy` and
`data` apply to every command that has them (the catalogue, bundles and `policy test` need
an organisation's rules as much as `check` does); every other key applies only to the
commands that check manifests (those taking PATH arguments), so `format: sarif` does not
break `tdcheck rules`, whose own --format knows only text and json.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from checker.errors import SourceSpan, UsageError

YAML_CONFIG = ".tdcheck.yaml"
PYPROJECT = "pyproject.toml"
_EVERY_COMMAND = frozenset({"policy", "data"})
_NOT_CONFIGURABLE = frozenset({"help", "version"})


@dataclass(frozen=True, slots=True)
class ConfigFile:
    source: str  # as shown: relative to the working directory
    values: Mapping[str, Any]  # option name (dashes) -> value
    spans: Mapping[str, SourceSpan]
    base: str = "."  # the file's directory, relative to the working directory


def find_config(cwd: Path) -> ConfigFile | None:
    """The nearest configuration: at most one of the two files per directory."""
    from checker.project import search_dirs, shown

    for directory in search_dirs(cwd):
        base = str(shown(directory, cwd))
        pyproject = _read_pyproject(directory / PYPROJECT, _display(base, PYPROJECT))
        yaml_path = directory / YAML_CONFIG
        if pyproject is not None and yaml_path.is_file():
            raise UsageError(
                f"{_display(base, YAML_CONFIG)}: tdcheck is also configured in "
                f"{pyproject.source} [tool.tdcheck]; keep one of the two"
            )
        found = pyproject
        if found is None and yaml_path.is_file():
            found = _read_yaml(yaml_path, _display(base, YAML_CONFIG))
        if found is not None:
            return ConfigFile(found.source, found.values, found.spans, base)
    return None


def _display(base: str, name: str) -> str:
    return name if base == "." else os.path.join(base, name)


def build_default_map(root: click.Group, config: ConfigFile) -> dict[str, Any]:
    """click's nested default_map ({command: {param: value}}) for every command it fits."""
    targets = _configurable(root)
    result: dict[str, Any] = {}
    for key, value in config.values.items():
        if key not in targets:
            from checker.validate.schema import did_you_mean

            known = sorted(targets)
            guess = did_you_mean(key, known)
            hint = f"did you mean {guess!r}?" if guess else f"options: {', '.join(known)}"
            raise UsageError(f"{config.spans[key]}: unknown option {key!r} ({hint})")
        # A value that fits some commands only is a default for those (`format: sarif` is
        # for check, not for `advise`, whose formats differ); one that fits none is an error.
        problems: list[UsageError] = []
        for path, param in targets[key]:
            try:
                converted = _value_for(param, key, value, config)
            except UsageError as exc:
                problems.append(exc)
                continue
            node = result
            for name in path:
                node = node.setdefault(name, {})
            node[str(param.name)] = converted
        if len(problems) == len(targets[key]):
            raise problems[0]
    return result


def _configurable(root: click.Group) -> dict[str, list[tuple[tuple[str, ...], click.Option]]]:
    """Option name -> the (command path, option) pairs a file's key sets a default for."""
    targets: dict[str, list[tuple[tuple[str, ...], click.Option]]] = {}
    for path, command in _leaf_commands(root, ()):
        checks_manifests = any(p.name == "paths" for p in command.params) or getattr(
            command, "mirrors_check", False
        )
        for key, param in _long_names(command).items():
            if checks_manifests or key in _EVERY_COMMAND:
                targets.setdefault(key, []).append((path, param))
    return targets


def _leaf_commands(
    group: click.Group, prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            yield from _leaf_commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def _long_names(command: click.Command) -> dict[str, click.Option]:
    names = {}
    for param in command.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                if opt.startswith("--") and opt[2:] not in _NOT_CONFIGURABLE:
                    names[opt[2:]] = param
    return names


def _value_for(param: click.Option, key: str, value: Any, config: ConfigFile) -> Any:
    where = config.spans[key]
    if isinstance(value, dt.date):  # TOML's bare dates; YAML 1.2 core keeps them strings
        value = value.isoformat()
    if param.is_flag:
        if not isinstance(value, bool):
            raise UsageError(f"{where}: {key}: expected true or false, got {value!r}")
        return value
    items = value if isinstance(value, list) else [value]
    if not param.multiple and isinstance(value, list):
        raise UsageError(f"{where}: {key}: expected one value, got a list")
    numeric = isinstance(param.type, click.types.IntParamType | click.types.FloatParamType)
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float if numeric else str):
            wanted = "a number" if numeric else "a string"
            raise UsageError(f"{where}: {key}: expected {wanted}, got {item!r}")
        if isinstance(param.type, click.Choice) and str(item) not in param.type.choices:
            choices = ", ".join(map(str, param.type.choices))
            raise UsageError(f"{where}: {key}: {item!r} is not one of {choices}")
    if _is_path(param) and config.base != ".":
        items = [os.path.normpath(os.path.join(config.base, str(i))) for i in items]
        value = items if isinstance(value, list) else items[0]
    return [str(i) for i in items] if param.multiple else value


def _is_path(param: click.Option) -> bool:
    """Options naming files: relative to the configuration file that sets them."""
    return isinstance(param.type, click.Path) or param.name == "opa_ca_file"


def _normalise(items: Iterator[tuple[str, Any, SourceSpan]], source: str) -> ConfigFile:
    values: dict[str, Any] = {}
    spans: dict[str, SourceSpan] = {}
    for raw_key, value, span in items:
        key = str(raw_key).replace("_", "-")
        if key in values:
            raise UsageError(f"{span}: option {key!r} is set twice ({spans[key]})")
        values[key] = value
        spans[key] = span
    return ConfigFile(source, values, spans)


def _read_yaml(path: Path, display: str) -> ConfigFile:
    from checker.loader import load_path

    loaded = load_path(path, display)
    if loaded.errors:
        raise UsageError(loaded.errors[0].one_line())
    if not loaded.documents or loaded.documents[0].value is None:
        return ConfigFile(display, {}, {})
    doc = loaded.documents[0]
    if len(loaded.documents) > 1 or not isinstance(doc.value, dict):
        raise UsageError(f"{display}:1:1: expected one mapping of option names to values")
    items = (
        (key, value, SourceSpan(display, *doc.locate((key,)))) for key, value in doc.value.items()
    )
    return _normalise(items, display)


def _read_pyproject(path: Path, display: str) -> ConfigFile | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{display}: cannot read: {exc}") from None
    if "tool.tdcheck" not in text:  # a broken pyproject.toml is not ours to report
        return None
    try:
        table = tomllib.loads(text).get("tool", {}).get("tdcheck")
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        where = SourceSpan(display, *map(int, found.groups())) if found else display
        raise UsageError(f"{where}: invalid TOML: {str(exc).split(' (at ')[0]}") from None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise UsageError(f"{display}: tool.tdcheck must be a table")
    lines = text.splitlines()
    header = next(
        (i for i, line in enumerate(lines) if re.match(r"\s*\[\s*tool\.tdcheck\s*\]", line)), 0
    )
    items = (
        (key, value, SourceSpan(display, *_toml_key_position(lines, header, key)))
        for key, value in table.items()
    )
    return _normalise(items, display)


def _toml_key_position(lines: list[str], header: int, key: str) -> tuple[int, int]:
    # tomllib keeps no positions: find `key =` inside the [tool.tdcheck] table by hand.
    pattern = re.compile(rf"^(\s*)[\"']?{re.escape(key)}[\"']?\s*=")
    for number in range(header + 1, len(lines)):
        if lines[number].lstrip().startswith("["):
            break
        found = pattern.match(lines[number])
        if found:
            return number + 1, len(found.group(1)) + 1
    return header + 1, 1
