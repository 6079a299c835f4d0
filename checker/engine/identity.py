"""An engine's name and version without starting it, for the result cache's key.

Each string is the one the started engine reports as its version(), so a run served
wholly from the cache names the same engine as a run that evaluated. An engine without
an entry here (or one whose version cannot be known, such as a remote OPA server, whose
upgrades tdcheck cannot see) returns None: its results are not cached.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.engine.interface import EngineOptions
from checker.policy import PolicySet


def _embedded(_options: EngineOptions, _policy: PolicySet) -> str | None:
    try:
        import regopy
    except ImportError:  # the engine cannot start either: the run reports that
        return None
    return f"regopy {regopy.__version__}"


def _opa(options: EngineOptions, _policy: PolicySet) -> str | None:
    from checker.engine.opa_server import find_opa, opa_version

    if options.opa_urls:
        return None
    binary = find_opa()
    version = opa_version(binary) if binary is not None else "unknown"
    return None if version == "unknown" else f"OPA {version}"


def _wasm(_options: EngineOptions, policy: PolicySet) -> str | None:
    try:
        from checker.engine import wasm_module
    except ImportError:  # no wasmtime: the engine cannot start either
        return None
    source = wasm_module.origin(policy, wasm_module.modules_digest(policy.modules))
    if isinstance(source, str):
        return None
    return wasm_module.engine_version(source.label)


VERSIONS: dict[str, Callable[[EngineOptions, PolicySet], str | None]] = {
    "embedded": _embedded,
    "opa": _opa,
    "wasm": _wasm,
}


def engine_version(name: str, options: EngineOptions, policy: PolicySet) -> str | None:
    probe = VERSIONS.get(name)
    return probe(options, policy) if probe is not None else None
