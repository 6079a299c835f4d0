"""Developer aid: evaluate one manifest (JSON or YAML) with regopy and with `opa eval`, diff.

    python tools/compare_engines.py MANIFEST [--as-of YYYY-MM-DD]

Exits 1 when the engines disagree. The real gate is tests/test_engine_agreement.py.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import regopy
import yaml

POLICIES = Path(__file__).resolve().parents[1] / "policies"


def modules() -> list[Path]:
    return sorted(p for p in POLICIES.rglob("*.rego") if not p.name.endswith("_test.rego"))


def embedded(doc: dict) -> list:
    interp = regopy.Interpreter()
    interp.strict_built_in_errors = True
    for path in modules():
        interp.add_module(str(path.relative_to(POLICIES)), path.read_text())
    interp.add_data_json((POLICIES / "data.json").read_text())
    interp.set_input_term(json.dumps(doc))
    out = interp.query("x := data.tdcheck.main.findings")
    return out.results[0].bindings["x"]


def real_opa(doc: dict) -> list:
    opa = shutil.which("opa") or str(Path.home() / "go" / "bin" / "opa")
    with tempfile.NamedTemporaryFile("w", suffix=".json") as handle:
        json.dump(doc, handle)
        handle.flush()
        args = [opa, "eval", "-f", "json", "-i", handle.name, "data.tdcheck.main.findings"]
        for path in modules():
            args += ["-d", str(path)]
        args += ["-d", str(POLICIES / "data.json")]
        raw = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return json.loads(raw)["result"][0]["expressions"][0]["value"]


def main() -> int:
    regopy.set_default_log_level("None")  # once per process: a second call aborts
    parser = argparse.ArgumentParser()
    parser.add_argument("manifest")
    parser.add_argument("--as-of", default="2026-11-28")
    args = parser.parse_args()
    doc = yaml.safe_load(Path(args.manifest).read_text())
    doc["_tdcheck"] = {"as_of": args.as_of}
    left = sorted(json.dumps(f, sort_keys=True) for f in embedded(doc))
    right = sorted(json.dumps(f, sort_keys=True) for f in real_opa(doc))
    for line in right:
        print(line)
    if left != right:
        print("ENGINES DISAGREE", file=sys.stderr)
        for line in sorted(set(left) - set(right)):
            print("  embedded only:", line, file=sys.stderr)
        for line in sorted(set(right) - set(left)):
            print("  opa only:     ", line, file=sys.stderr)
        return 1
    print(f"engines agree on {len(left)} findings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
