"""Where policy data may go: it parameterises decisions, it never makes them.

Policy data arrives from the shipped data.json, `data.json` in a --policy directory, --data,
TDCHECK_DATA and `data:` in the configuration file; the engines merge all of it into the
same tree as the compiled rules. The embedded engine lets a data key replace a rule of the
same path (`tdcheck: {main: {findings: []}}` turns every failure into a pass), OPA refuses
some such overlaps and not others. So every data file is checked here, in the one place
where data is assembled, before any engine sees it:

- under `tdcheck`, only the documented extension points `tdcheck.org` (organisation
  parameters) and `tdcheck.reference` (dated reference lists) may be set;
- outside `tdcheck` (data of an organisation's own --policy rules), no key may define or
  sit inside a package that a policy module declares.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from checker.errors import CheckerError, PolicyError, UsageError

EXTENSION_POINTS = ("org", "reference")
_ROOT = "tdcheck"


def check_data_keys(
    data: Mapping[str, Any], packages: Sequence[str], source: str, *, shipped: bool
) -> None:
    """Raise with the first offending key path: UsageError for a user's file, PolicyError
    (the installation is not what was shipped) for the built-in data."""
    error: type[CheckerError] = PolicyError if shipped else UsageError
    for path, value in _walk(data, (), packages):
        reason = _offence(path, value, packages)
        if reason is not None:
            dotted = ".".join(_first_leaf(path, value))
            raise error(
                f"{source}: data key {dotted} {reason}; policy data may set only "
                f"{', '.join(f'{_ROOT}.{point}' for point in EXTENSION_POINTS)} and keys "
                f"outside {_ROOT} that no policy package uses"
            )


def _walk(
    value: Any, path: tuple[str, ...], packages: Sequence[str]
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every key path, parents before children; under an extension point only as deep as
    a policy package lies there (a --policy package `tdcheck.org.helpers` must not be
    replaced by data either)."""
    if not isinstance(value, Mapping):
        return
    for key, child in value.items():
        here = (*path, str(key))
        yield here, child
        extension = len(here) >= 2 and here[0] == _ROOT and here[1] in EXTENSION_POINTS
        dotted = ".".join(here)
        if not extension or any(p.startswith(dotted + ".") or p == dotted for p in packages):
            yield from _walk(child, here, packages)


def _offence(path: tuple[str, ...], value: Any, packages: Sequence[str]) -> str | None:
    head = path[0]
    if head != _ROOT and head.split(".")[0] == _ROOT:
        return "is a dotted key that reads as the tdcheck namespace"
    if head == _ROOT:
        if len(path) == 1:
            return None if isinstance(value, Mapping) else "must be an object"
        if path[1] not in EXTENSION_POINTS:
            return "would define or replace policy decisions"
        if len(path) == 2 and not isinstance(value, Mapping):
            return "must be an object"
    dotted = ".".join(path)
    for package in packages:
        if dotted == package or dotted.startswith(package + "."):
            return f"would replace rules of package {package}"
        if not isinstance(value, Mapping) and package.startswith(dotted + "."):
            return f"would replace package {package}"
    return None


def _first_leaf(path: tuple[str, ...], value: Any) -> tuple[str, ...]:
    """`tdcheck.rules.x.findings` rather than `tdcheck.rules`: the key the user wrote."""
    while isinstance(value, Mapping) and value:
        key, value = next(iter(value.items()))
        path = (*path, str(key))
    return path
