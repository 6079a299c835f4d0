"""An engine's name and version without starting it, for the result cache's key.

Each string is the one the started engine reports as its version(), so a run served
wholly from the cache names the same engine as a run that evaluated. An engine without
an entry here (or one whose version cannot be known, such as a remote OPA server, whose
upgrades tdcheck cannot see) returns None: its results are not cached.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.engine.interface import EngineOptions


def _embedded(_options: EngineOptions) -> str | None:
    try:
        import regopy
    except ImportError:  # the engine cannot start either: the run reports that
        return None
    return f"regopy {regopy.__version__}"


def _opa(options: EngineOptions) -> str | None:
    from checker.engine.opa_server import find_opa, opa_version

    if options.opa_urls:
        return None
    binary = find_opa()
    version = opa_version(binary) if binary is not None else "unknown"
    return None if version == "unknown" else f"OPA {version}"


VERSIONS: dict[str, Callable[[EngineOptions], str | None]] = {
    "embedded": _embedded,
    "opa": _opa,
}


def engine_version(name: str, options: EngineOptions) -> str | None:
    probe = VERSIONS.get(name)
    return probe(options) if probe is not None else None
