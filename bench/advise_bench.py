"""Time `tdcheck advise` on a generated manifest (default 30 stages, 10 locations).

    python bench/advise_bench.py [--stages 30] [--locations 10] [--engine embedded] [--write FILE]

Prints the wall time of one `advise` run (policy load, engine start, every placement) and
how many engine evaluations it took. `generate_manifest` is also used by the tests.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# A mix of locations that makes every framework bite somewhere.
_LOCATIONS: tuple[dict[str, Any], ...] = (
    {
        "kind": "on_premises",
        "country": "US",
        "network": "private",
        "encryption_at_rest": "customer_managed",
        "fips_140": "140-3",
        "audit_logging": True,
        "access_control": {"unique_user_ids": True, "mfa": True},
        "personnel": {"us_persons_only": True},
        "accelerators": 64,
        "expected_utilization_pct": 40,
        "infra_staff_fte": 2,
    },
    {
        "kind": "public_cloud",
        "provider": "aws",
        "country": "US",
        "hipaa_baa": True,
        "encryption_at_rest": "provider_managed",
        "audit_logging": True,
        "access_control": {"unique_user_ids": True, "mfa": True},
        "pricing": "on_demand",
        "expected_utilization_pct": 80,
    },
    {
        "kind": "government_cloud",
        "provider": "aws",
        "country": "US",
        "fedramp": {"level": "high", "status": "authorized"},
        "dod_impact_level": "il5",
        "tenancy": "dedicated_government",
        "hipaa_baa": True,
        "encryption_at_rest": "customer_managed",
        "fips_140": "140-3",
        "audit_logging": True,
        "access_control": {"unique_user_ids": True, "mfa": True},
        "personnel": {"us_persons_only": True},
        "pricing": "reserved",
    },
    {
        "kind": "on_premises",
        "country": "DE",
        "encryption_at_rest": "customer_managed",
        "audit_logging": True,
        "access_control": {"unique_user_ids": True, "mfa": True},
    },
    {
        "kind": "public_cloud",
        "provider": "gcp",
        "country": "DE",
        "encryption_at_rest": "provider_managed",
        "pricing": "spot",
    },
    {
        "kind": "on_premises",
        "country": "US",
        "air_gapped": True,
        "classified_accreditation": "secret",
        "personnel": {"us_citizens_only": True, "us_persons_only": True, "clearance": "secret"},
        "encryption_at_rest": "customer_managed",
        "fips_140": "140-3",
        "audit_logging": True,
        "access_control": {"unique_user_ids": True, "mfa": True},
        "accelerators": 32,
    },
    {
        "kind": "colocation",
        "country": "US",
        "encryption_at_rest": "client_side",
        "fips_140": "140-3",
        "audit_logging": True,
        "accelerators": 2048,
        "expected_utilization_pct": 85,
        "infra_staff_fte": 6,
    },
    {"kind": "public_cloud", "provider": "azure", "country": "JP", "pricing": "on_demand"},
    {
        "kind": "private_cloud",
        "operator": "self",
        "country": "US",
        "encryption_at_rest": "customer_managed",
        "audit_logging": True,
        "access_control": {"unique_user_ids": True, "mfa": False},
    },
    {"kind": "public_cloud", "provider": "aws", "country": "CN"},
)

# One pipeline per data profile: ingestion -> preprocessing -> training -> evaluation -> store.
_PROFILES: tuple[dict[str, Any], ...] = (
    {"classifications": ["phi"]},
    {"classifications": ["pii", "eu_personal"]},
    {"classifications": ["cui"], "fips199_impact": "moderate", "dod_impact_level": "il4"},
    {"classifications": ["itar"]},
    {"classifications": ["internal"], "classification_level": "secret"},
    {"classifications": ["internal"], "eccn": "5D002", "requires_air_gap": False},
    {"classifications": ["public"]},
)
_STEPS = ("ingestion", "preprocessing", "training", "evaluation", "checkpointing")


def generate_manifest(
    stages: int = 30, locations: int = 10, connected: bool = False
) -> dict[str, Any]:
    """A valid manifest with `stages` stages in pipelines of five and `locations` locations.

    `connected`: each pipeline's ingestion reads the previous pipeline's last output, so the
    manifest is one chain of `stages` stages (the worst case for advise: one part)."""
    locs = []
    for i in range(locations):
        loc = json.loads(json.dumps(_LOCATIONS[i % len(_LOCATIONS)]))
        loc["id"] = f"loc-{i}"
        locs.append(loc)
    datasets: list[dict[str, Any]] = []
    stage_list: list[dict[str, Any]] = []
    transfers: list[dict[str, Any]] = []
    previous: str | None = None
    for i in range(stages):
        chain, step = divmod(i, len(_STEPS))
        profile = _PROFILES[chain % len(_PROFILES)]
        out = f"d-{i}"
        dataset: dict[str, Any] = {"id": out, "classifications": ["internal"]}
        if step == 0:
            dataset = {"id": out, **json.loads(json.dumps(profile))}
            previous = previous if connected else None
        datasets.append(dataset)
        stage: dict[str, Any] = {
            "id": f"s-{i}",
            "type": _STEPS[step],
            "location": locs[(chain + (step % 2)) % locations]["id"],
            "outputs": [out],
        }
        if previous is not None:
            stage["inputs"] = [previous]
            writer = stage_list[-1]
            if writer["location"] != stage["location"]:
                transfers.append(
                    {
                        "id": f"t-{i}",
                        "from": writer["location"],
                        "to": stage["location"],
                        "datasets": [previous],
                        "channel": "private_link",
                        "encryption_in_transit": "tls",
                    }
                )
        stage_list.append(stage)
        previous = out
    return {
        "apiVersion": "tdcheck/v1",
        "kind": "TrainingDeployment",
        "metadata": {"name": f"generated-{stages}x{locations}"},
        "spec": {
            "workload": "research",
            "model": {"name": "generated", "parameters_b": 13, "est_gpu_hours": 5000},
            "datasets": datasets,
            "locations": locs,
            "stages": stage_list,
            "transfers": transfers,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, default=30)
    parser.add_argument("--locations", type=int, default=10)
    parser.add_argument("--engine", default="embedded")
    parser.add_argument("--connected", action="store_true", help="one chain, not pipelines of 5")
    parser.add_argument("--write", type=Path, help="only write the manifest there")
    args = parser.parse_args(argv)
    manifest = generate_manifest(args.stages, args.locations, args.connected)
    if args.write:
        args.write.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from checker.cli import main as cli_main

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.json"
        path.write_text(json.dumps(manifest), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        code = cli_main(
            [
                "advise",
                str(path),
                "--format",
                "json",
                "--engine",
                args.engine,
                "--as-of",
                "2026-06-01",
            ],
            stdout=out,
            stderr=err,
        )
        elapsed = time.perf_counter() - start
    if code not in (0, 1):
        sys.stderr.write(err.getvalue())
        return code
    result = json.loads(out.getvalue())
    cells = sum(len(s["placements"]) for m in result["manifests"] for s in m["stages"])
    print(
        f"{args.stages} stages x {args.locations} locations"
        f"{' (one chain)' if args.connected else ''}, engine {args.engine}: "
        f"{cells} placements in {elapsed:.2f} s "
        f"({result['manifests'][0]['evaluations']} engine evaluations)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
