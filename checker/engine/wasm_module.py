"""Where the Wasm engine's module comes from: shipped, built by `opa`, or the compiled cache.

The package ships `policy.wasm`, OPA's Wasm build of the built-in policies
(tools/build_wasm.py), with `policy.wasm.json` naming the digest of the modules it was built
from. A policy set whose modules have that digest uses it; any other (`--policy` rules, or
a checkout whose policies changed since the build) is compiled by `opa build -t wasm` when
`opa` is on PATH. Policy data is not part of the module: the engine passes it at run time,
so `--data` never needs a build.

A module that needs builtins OPA leaves to the host (`sprintf`, for one, which the built-in
policies avoid) cannot run here: `prepare` says why, and `auto` evaluates with another
engine. Preparing is done once per policy set and process (resolving `auto` prepares the
module the engine then uses).

Compiling a module to machine code costs wasmtime 0.2-0.4 s, about as much as the rest of
a one-manifest run. So the package also ships the module compiled for x86-64 Linux
(`policy.x86_64-linux.cwasm`, for the baseline CPU, so any x86-64 machine runs it; built by
tools/build_wasm.py), with the wasmtime version that compiled it and its sha256 in the
sidecar. On such a machine with that wasmtime, the shipped module is deserialised from it
in a few milliseconds, with the cache on or off: it is part of the package, not a cache.
Anywhere else (another machine or wasmtime version: wasmtime refuses the file), and for a
module `opa` builds, the compiled module is kept in the policy cache (policy_cache.py: same
directory, key scheme and trust rules) as `<key>.cwasm`, keyed by the module's origin (the
shipped file's sha256, or the modules' digest for a module `opa` builds), the wasmtime
version, the entry points and the machine. wasmtime runs a serialised module as machine
code, so only bytes whose sha256 holds reach it (the sidecar's for the shipped artifact,
the file's own for a cache entry): a damaged file, or one wasmtime rejects, is never
loaded; the module is compiled instead, and a cache entry rebuilt.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wasmtime

from checker.engine import wasm_abi
from checker.engine.policy_cache import BundleCache, cache_dir, cache_key
from checker.errors import CheckerError, PolicyError
from checker.policy import ENTRYPOINT, PolicySet

SHIPPED = Path(__file__).with_name("policy.wasm")
SIDECAR = Path(__file__).with_name("policy.wasm.json")
PRECOMPILED = Path(__file__).with_name("policy.x86_64-linux.cwasm")
PRECOMPILED_TARGET = "x86_64-unknown-linux-gnu"
ENTRYPOINTS = (ENTRYPOINT,)  # `check` and `advise` both read data.tdcheck.main.findings
_BUILD_TIMEOUT_S = 120.0


def modules_digest(modules: Sequence[tuple[str, str]]) -> str:
    """What a Wasm module is built from: every module's name and source (data is not)."""
    hasher = hashlib.sha256()
    for name, source in sorted(modules):
        hasher.update(name.encode() + b"\0" + source.encode() + b"\0")
    return "sha256:" + hasher.hexdigest()


@functools.cache
def engine_version(label: str) -> str:
    """What the Wasm engine reports as its version; the result cache names it the same way
    without starting it (checker/engine/identity.py)."""
    return f"Wasm ({label}, wasmtime {wasmtime_version()})"


def wasmtime_version() -> str:
    """From the installed distribution's name: importlib.metadata costs more than a
    one-manifest run's evaluation to import."""
    site = Path(wasmtime.__file__).resolve().parent.parent
    found = sorted(site.glob("wasmtime-*.dist-info"))
    return found[-1].name[len("wasmtime-") : -len(".dist-info")] if found else "unknown"


@dataclass(frozen=True, slots=True)
class Origin:
    """The module a policy set runs as: the shipped file, or one `opa` builds from sources."""

    policy: PolicySet
    digest: str  # modules_digest of the policy's modules
    opa: str | None  # the binary that builds it; None: the shipped module fits
    label: str  # for the engine version: who built the module

    @property
    def key(self) -> str:
        if self.opa is None:
            material = "shipped " + hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
        else:
            material = f"{self.label} {self.digest}"
        return cache_key(material, f"wasmtime {wasmtime_version()}", ENTRYPOINTS)

    def wasm(self) -> bytes:
        if self.opa is None:
            return SHIPPED.read_bytes()
        return build_with_opa(self.policy.modules, self.opa)


def origin(policy: PolicySet, digest: str) -> Origin | str:
    """How this policy set (`digest`: of its modules) can run as Wasm, or why it cannot (a
    reason for a notice)."""
    shipped = _shipped()
    if shipped is not None and shipped.get("modules_digest") == digest:
        return Origin(policy, digest, None, f"OPA {shipped.get('opa', '?')} build")
    opa = shutil.which("opa")
    if opa is not None:
        from checker.engine.opa_server import opa_version

        # The version is in the label, so in the engine's version: the compiled-module cache,
        # the canary's pass mark and cached results all change with an OPA upgrade.
        return Origin(policy, digest, opa, f"built by the local OPA {opa_version(opa)}")
    if any(not name.startswith("builtin/") for name, _ in policy.modules):
        return "--policy rules are compiled to Wasm by `opa`, which is not on PATH"
    return "the shipped Wasm module was built from other policies and `opa` is not on PATH"


@dataclass(frozen=True, slots=True)
class Prepared:
    """A compiled module ready to instantiate, with the engine (epoch, config) it belongs to,
    and the instance that checked its builtins, for the first engine to take."""

    engine: wasmtime.Engine
    module: wasmtime.Module
    label: str
    spare: list[wasm_abi.Instance]

    def instance(self) -> wasm_abi.Instance:
        return self.spare.pop() if self.spare else wasm_abi.Instance(self.engine, self.module)


_MEMO: dict[tuple[str, bool, str | None], Prepared | str | CheckerError] = {}


def prepare(policy: PolicySet, use_cache: bool) -> Prepared | str:
    """The compiled module for this policy set, or why the Wasm engine cannot run it; raises
    the PolicyError of a module `opa` refuses to build."""
    digest = modules_digest(policy.modules)
    memo_key = (digest, use_cache, shutil.which("opa"))
    if memo_key not in _MEMO:
        _MEMO.clear()  # one policy set per run: keep no more than the last
        try:
            _MEMO[memo_key] = _prepare(policy, digest, use_cache)
        except CheckerError as exc:
            _MEMO[memo_key] = exc
    found = _MEMO[memo_key]
    if isinstance(found, CheckerError):
        raise found
    return found


def _prepare(policy: PolicySet, digest: str, use_cache: bool) -> Prepared | str:
    source = origin(policy, digest)
    if isinstance(source, str):
        return source
    engine = wasm_abi.new_engine()
    module = load(engine, source, use_cache)
    try:
        probe = wasm_abi.Instance(engine, module)
    except wasm_abi.EvaluationFailed as exc:
        raise PolicyError(f"the Wasm module does not run: {exc}") from None
    if probe.builtins:
        return (
            "the policies call builtins that OPA's Wasm build leaves to the host "
            f"({', '.join(probe.builtins)})"
        )
    return Prepared(engine, module, source.label, [probe])


def _shipped() -> dict[str, Any] | None:
    try:
        sidecar = json.loads(SIDECAR.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return sidecar if isinstance(sidecar, dict) and SHIPPED.is_file() else None


def load(engine: wasmtime.Engine, source: Origin, use_cache: bool) -> wasmtime.Module:
    """The compiled module: the shipped precompiled one when it fits, else from the cache
    when it holds an intact one, else compiled."""
    if source.opa is None:
        module = _precompiled(engine)
        if module is not None:
            return module  # not copied into the cache: the next run reads it as fast
    directory = cache_dir() if use_cache else None
    cache = BundleCache(directory, suffix=".cwasm") if directory is not None else None
    key = source.key
    if cache is not None:
        path = cache.lookup(key)
        if path is not None:
            module = _deserialize(engine, path)
            if module is not None:
                return module
            cache.discard(key)
    try:
        module = wasmtime.Module(engine, source.wasm())
    except wasmtime.WasmtimeError as exc:
        raise PolicyError(f"the Wasm module does not load: {str(exc).splitlines()[0]}") from None
    if cache is not None:

        def write(path: Path) -> None:
            compiled = module.serialize()
            path.write_bytes(hashlib.sha256(compiled).digest() + compiled)

        cache.store(key, write)
    return module


def _precompiled(engine: wasmtime.Engine) -> wasmtime.Module | None:
    """The shipped module compiled ahead, when this machine and wasmtime can run it. Its
    bytes reach wasmtime only when their sha256 is the one the sidecar records: wasmtime
    would run a damaged or replaced file as machine code. Any failure: None, and the module
    is compiled as it would be without the artifact."""
    if sys.platform != "linux" or os.uname().machine != "x86_64":
        return None
    shipped = _shipped()
    recorded = shipped.get("precompiled") if shipped is not None else None
    if not isinstance(recorded, dict) or recorded.get("wasmtime") != wasmtime_version():
        return None  # another wasmtime refuses it, after the cost of reading and hashing it
    try:
        compiled = PRECOMPILED.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(compiled).hexdigest() != recorded.get("sha256"):
        return None
    try:
        return wasmtime.Module.deserialize(engine, compiled)
    except wasmtime.WasmtimeError:
        return None


def _deserialize(engine: wasmtime.Engine, path: Path) -> wasmtime.Module | None:
    """wasmtime trusts a serialised module as machine code: only bytes whose checksum holds
    reach it (a damaged file is rejected here, not executed). They are read into memory,
    not mapped, so a file changed later cannot change a loaded module."""
    try:
        stored = path.read_bytes()
    except OSError:
        return None
    checksum, compiled = stored[:32], stored[32:]
    if len(stored) <= 32 or hashlib.sha256(compiled).digest() != checksum:
        return None
    try:
        return wasmtime.Module.deserialize(engine, compiled)
    except wasmtime.WasmtimeError:
        return None


def build_with_opa(modules: Sequence[tuple[str, str]], opa: str) -> bytes:
    """`opa build -t wasm` of these modules, kept under their names (they appear in errors)."""
    import subprocess  # here: a run on the shipped module never builds one
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tdcheck-wasm-") as tmp:
        root = Path(tmp)
        for name, source in modules:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(source, encoding="utf-8")
        roots = sorted({name.split("/", 1)[0] for name, _ in modules})
        argv = [opa, "build", "-t", "wasm", *(f"-e={e}" for e in ENTRYPOINTS)]
        argv += ["-o", "bundle.tar.gz", *roots]
        try:
            done = subprocess.run(
                argv, cwd=root, capture_output=True, text=True, timeout=_BUILD_TIMEOUT_S
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise PolicyError(f"opa build -t wasm did not run: {exc}") from None
        if done.returncode != 0:
            detail = " ".join((done.stderr or done.stdout).split())[:400]
            raise PolicyError(f"policy failed to compile (opa build -t wasm): {detail}")
        return _policy_wasm((root / "bundle.tar.gz").read_bytes())


def _policy_wasm(bundle: bytes) -> bytes:
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as archive:
        for member in archive.getmembers():
            if member.name.lstrip("/") == "policy.wasm":
                extracted = archive.extractfile(member)
                if extracted is not None:
                    return extracted.read()
    raise PolicyError("opa build -t wasm wrote no policy.wasm")
