"""Build the Wasm engine's shipped module from policies/ with the pinned OPA, or check it.

    python tools/build_wasm.py           # writes checker/engine/policy.wasm and .wasm.json
    python tools/build_wasm.py --check   # exit 1 when the shipped module is stale (CI)

The module is `opa build -t wasm -e tdcheck/main/findings` of exactly the modules the
engines load (policies/ without tests and the conftest package, named as the engines name
them), so its digest matches the one the engine computes at run time. OPA's Wasm build is
deterministic: the same policies and OPA version give the same bytes, which is what
`--check` compares (and the digest, so a stale sidecar fails too).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from checker.engine.wasm_module import (  # noqa: E402
    ENTRYPOINTS,
    SHIPPED,
    SIDECAR,
    build_with_opa,
    modules_digest,
)
from checker.policy import load_policy_set  # noqa: E402

OPA_VERSION = "1.22.3"  # .ci/run pins the same


def opa_version(opa: str) -> str:
    out = subprocess.run([opa, "version"], capture_output=True, text=True, check=True).stdout
    return next((ln.split(":", 1)[1].strip() for ln in out.splitlines() if "Version:" in ln), "")


def build(opa: str) -> tuple[bytes, str]:
    """The module's bytes and its sidecar's text for the current policies/."""
    modules = load_policy_set().modules
    wasm = build_with_opa(modules, opa)
    sidecar = {
        "modules_digest": modules_digest(modules),
        "opa": OPA_VERSION,
        "entrypoints": list(ENTRYPOINTS),
        "sha256": hashlib.sha256(wasm).hexdigest(),
    }
    return wasm, json.dumps(sidecar, indent=2) + "\n"


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
    wasm, sidecar = build(opa)
    if args.check:
        shipped = SHIPPED.read_bytes() if SHIPPED.is_file() else b""
        old = SIDECAR.read_text(encoding="utf-8") if SIDECAR.is_file() else ""
        if shipped != wasm or old != sidecar:
            print(
                f"build_wasm: {SHIPPED.name} is stale (policies/ changed since it was built); "
                "run `python tools/build_wasm.py` and commit the result",
                file=sys.stderr,
            )
            return 1
        print(f"build_wasm: {SHIPPED.name} is up to date ({len(wasm):,} bytes)")
        return 0
    SHIPPED.write_bytes(wasm)
    SIDECAR.write_text(sidecar, encoding="utf-8")
    print(f"build_wasm: wrote {SHIPPED.name} ({len(wasm):,} bytes) and {SIDECAR.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
