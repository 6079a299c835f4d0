"""What containment and the canary cost on the single-manifest (pre-commit) path.

Each sample is a fresh interpreter that loads the policies and one manifest, then times
engine start + evaluation + close either in-process (regopy in the CLI's own process, as
single manifests were evaluated before) or through `create_engine` (a forked, contained
worker, and the canary: remembered per policy digest, so only a file lookup once warm).
The two modes alternate so that load on the machine hits both alike.

    python bench/containment_cost.py [--runs 10] [--manifest fixtures/examples/x.yaml]
    python bench/containment_cost.py --opa      # the canary through a local OPA server
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "fixtures" / "examples" / "healthcare-phi-on-premises.yaml"

SAMPLE = """
import sys, time
from pathlib import Path
from checker.engine import ENGINES, EngineOptions, create_engine
from checker.loader import load_path
from checker.policy import load_policy_set
from checker.run import _engine_input
mode, path = sys.argv[1], Path(sys.argv[2])
policy = load_policy_set()
doc = _engine_input(load_path(path, path.name).documents[0], "2026-11-28")
options = EngineOptions(documents=1)
if mode == "opa-canary":  # the canary once more, on the server the engine started
    from checker.engine import canary
    from checker.policy import ENTRYPOINT
    engine = create_engine("opa", policy, options)
    start = time.perf_counter()
    engine._fleet.check_canary(ENTRYPOINT, canary.documents(), lambda label, answers: None)
    print(time.perf_counter() - start)
    engine.close()
    sys.exit(0)
start = time.perf_counter()
if mode == "in-process":
    engine = ENGINES["embedded"](policy, options)
else:
    engine = create_engine("embedded", policy, options)
engine.evaluate([doc])
engine.close()
print(time.perf_counter() - start)
"""


def sample(mode: str, manifest: Path) -> float:
    done = subprocess.run(
        [sys.executable, "-c", SAMPLE, mode, str(manifest)],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--manifest", type=Path, default=DEFAULT)
    parser.add_argument("--opa", action="store_true", help="time the canary on a local OPA server")
    args = parser.parse_args()
    modes = ("in-process", "contained") if not args.opa else ("opa-canary",)
    sample(modes[-1], args.manifest)  # warm: the bundle cache and the canary's memo
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    for _ in range(args.runs):
        for mode in modes:
            times[mode].append(sample(mode, args.manifest))
    for mode, values in times.items():
        print(
            f"{mode:>12}: min {min(values) * 1e3:6.1f} ms, "
            f"median {statistics.median(values) * 1e3:6.1f} ms ({len(values)} runs)"
        )
    if not args.opa:
        extra = statistics.median(times["contained"]) - statistics.median(times["in-process"])
        print(f"containment + canary lookup, median difference: {extra * 1e3:+.1f} ms")


if __name__ == "__main__":
    main()
