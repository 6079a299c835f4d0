"""Build the Wasm engine's shipped module from policies/ with the pinned OPA, or check it.

    python tools/build_wasm.py           # writes checker/engine/policy.wasm, its .json
                                         # sidecar and policy.x86_64-linux.cwasm
    python tools/build_wasm.py --check   # exit 1 when any of them is stale (CI)

The module is `opa build -t wasm -e tdcheck/main/findings` of exactly the modules the
engines load (policies/ without tests and the conftest package, named as the engines name
them), so its digest matches the one the engine computes at run time. OPA's Wasm build is
deterministic: the same policies and OPA version give the same bytes, which is what
`--check` compares (and the digest, so a stale sidecar fails too).

The module is also shipped compiled by wasmtime for baseline x86-64 Linux, so a first run
there deserialises it instead of compiling it (checker/engine/wasm_module.py). That build
is deterministic for one wasmtime version, which the sidecar records and pyproject.toml's
dev extra pins: `--check` rebuilds and compares it only with that version installed, and
fails when the installed version, the pin and the sidecar disagree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import wasmtime

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from checker.engine import wasm_abi  # noqa: E402
from checker.engine.wasm_module import (  # noqa: E402
    ENTRYPOINTS,
    PRECOMPILED,
    PRECOMPILED_TARGET,
    SHIPPED,
    SIDECAR,
    build_with_opa,
    modules_digest,
    wasmtime_version,
)
from checker.policy import load_policy_set  # noqa: E402

OPA_VERSION = "1.22.3"  # .ci/run pins the same
REBUILD = "run `python tools/build_wasm.py` and commit the result"


def opa_version(opa: str) -> str:
    out = subprocess.run([opa, "version"], capture_output=True, text=True, check=True).stdout
    return next((ln.split(":", 1)[1].strip() for ln in out.splitlines() if "Version:" in ln), "")


def precompile(wasm: bytes) -> bytes:
    """The module compiled for PRECOMPILED_TARGET with the engine's settings. A target set
    explicitly means no CPU features of this machine: the code runs on any x86-64."""
    config = wasm_abi.new_config()
    config.target = PRECOMPILED_TARGET
    return wasmtime.Module(wasmtime.Engine(config), wasm).serialize()


def dev_pin() -> str:
    """The wasmtime version pyproject.toml's dev extra pins (CI installs it), or ""."""
    try:
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    except OSError:
        return ""
    dev = project["project"]["optional-dependencies"]["dev"]
    return next((d.split("==", 1)[1].strip() for d in dev if d.startswith("wasmtime==")), "")


def build(opa: str) -> tuple[bytes, bytes, str]:
    """The module's bytes, its compiled artifact and its sidecar's text for policies/."""
    modules = load_policy_set().modules
    wasm = build_with_opa(modules, opa)
    compiled = precompile(wasm)
    sidecar = {
        "modules_digest": modules_digest(modules),
        "opa": OPA_VERSION,
        "entrypoints": list(ENTRYPOINTS),
        "sha256": hashlib.sha256(wasm).hexdigest(),
        "precompiled": {
            "file": PRECOMPILED.name,
            "target": PRECOMPILED_TARGET,
            "wasmtime": wasmtime_version(),
            "sha256": hashlib.sha256(compiled).hexdigest(),
        },
    }
    return wasm, compiled, json.dumps(sidecar, indent=2) + "\n"


def check(wasm: bytes, compiled: bytes, sidecar: str) -> str | None:
    """Why the shipped files are not this build's (one line), or None."""
    old_text = SIDECAR.read_text(encoding="utf-8") if SIDECAR.is_file() else "{}"
    try:
        old = json.loads(old_text)
    except ValueError:
        old = {}
    new = json.loads(sidecar)
    shipped = SHIPPED.read_bytes() if SHIPPED.is_file() else b""
    if shipped != wasm or {**old, "precompiled": None} != {**new, "precompiled": None}:
        return f"{SHIPPED.name} is stale (policies/ changed since it was built); {REBUILD}"
    recorded = (old.get("precompiled") or {}).get("wasmtime")
    installed, pinned = wasmtime_version(), dev_pin()
    if recorded is not None and not recorded == installed == pinned:
        # Another wasmtime compiles other bytes: comparing them would say nothing.
        return (
            f"{PRECOMPILED.name} was compiled by wasmtime {recorded}, pyproject.toml's dev "
            f"extra pins {pinned or 'none'} and {installed} is installed: they must agree "
            "(install the pinned wasmtime, or rebuild with a new one and update the pin)"
        )
    artifact = PRECOMPILED.read_bytes() if PRECOMPILED.is_file() else b""
    if artifact != compiled or old_text != sidecar:
        return f"{PRECOMPILED.name} is stale (not the build of {SHIPPED.name}); {REBUILD}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the shipped one is stale")
    args = parser.parse_args()
    opa = shutil.which("opa")
    if opa is None:
        print(f"build_wasm: opa {OPA_VERSION} is not on PATH", file=sys.stderr)
        return 2
    found = opa_version(opa)
    if found != OPA_VERSION:
        print(f"build_wasm: opa {found} on PATH; the module is built with {OPA_VERSION}",
              file=sys.stderr)  # fmt: skip
        return 2
    wasm, compiled, sidecar = build(opa)
    if args.check:
        stale = check(wasm, compiled, sidecar)
        if stale is not None:
            print(f"build_wasm: {stale}", file=sys.stderr)
            return 1
        print(
            f"build_wasm: {SHIPPED.name} ({len(wasm):,} bytes) and {PRECOMPILED.name} "
            f"({len(compiled):,} bytes) are up to date"
        )
        return 0
    SHIPPED.write_bytes(wasm)
    PRECOMPILED.write_bytes(compiled)
    SIDECAR.write_text(sidecar, encoding="utf-8")
    print(
        f"build_wasm: wrote {SHIPPED.name} ({len(wasm):,} bytes), {PRECOMPILED.name} "
        f"({len(compiled):,} bytes, wasmtime {wasmtime_version()}) and {SIDECAR.name}"
    )
    if dev_pin() != wasmtime_version():
        print(
            f"build_wasm: set wasmtime=={wasmtime_version()} in pyproject.toml's dev extra "
            f"(it pins {dev_pin() or 'none'}): CI checks the artifact with the pinned one",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
