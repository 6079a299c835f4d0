"""Seeded generator of realistic manifests for the benchmark (valid against manifest-v1).

Each manifest is a pipeline of 3-30 stages over 1-6 locations: source datasets are
ingested, each later stage reads earlier outputs and writes one new dataset, and most
(not all) movements between locations are declared as transfers, so every rule family
fires somewhere and both passes and failures occur. Over a few dozen manifests every data
class, classification level, impact level and location kind appears.

    python bench/generate.py DIR COUNT [--seed N]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

CLASSES = ("public", "internal", "pii", "phi", "cui", "itar", "ear", "eu_personal")
KINDS = ("on_premises", "colocation", "private_cloud", "public_cloud", "government_cloud")
COUNTRIES = ("US", "US", "US", "DE", "FR", "IE", "GB", "JP", "IN", "CA", "PR", "CN", "BR")
STAGE_TYPES = (
    "preprocessing",
    "deidentification",
    "training",
    "fine_tuning",
    "evaluation",
    "checkpointing",
    "artifact_storage",
    "model_registry",
    "inference",
    "export",
)
CHANNELS = ("internet", "vpn", "private_link", "cross_domain_solution", "removable_media")


def _maybe(rng: random.Random, p: float, value: Any) -> Any:
    return value if rng.random() < p else None


def _dataset(rng: random.Random, ident: str) -> dict[str, Any]:
    classes = sorted(set(rng.sample(CLASSES, rng.randint(1, 3))))
    dataset: dict[str, Any] = {"id": ident, "classifications": classes}
    optional = {
        "classification_level": _maybe(
            rng, 0.1, rng.choice(("confidential", "secret", "top_secret"))
        ),
        "fips199_impact": _maybe(rng, 0.2, rng.choice(("low", "moderate", "high"))),
        "dod_impact_level": _maybe(rng, 0.15, rng.choice(("il2", "il4", "il5", "il6"))),
        "eccn": _maybe(rng, 0.1, rng.choice(("5D002", "EAR99", "3A001"))),
        "requires_air_gap": _maybe(rng, 0.05, True),
    }
    dataset.update({k: v for k, v in optional.items() if v is not None})
    return dataset


def _location(rng: random.Random, ident: str) -> dict[str, Any]:
    kind = rng.choice(KINDS)
    location: dict[str, Any] = {"id": ident, "kind": kind, "country": rng.choice(COUNTRIES)}
    cloud = kind.endswith("cloud")
    optional: dict[str, Any] = {
        "provider": rng.choice(("aws", "azure", "gcp", "oci")) if cloud else None,
        "region": f"region-{rng.randint(1, 9)}" if cloud else None,
        "air_gapped": _maybe(rng, 0.08, True),
        "network": _maybe(rng, 0.3, rng.choice(("private", "classified", "internet"))),
        "hipaa_baa": rng.random() < 0.6,
        "fedramp": _maybe(
            rng,
            0.4 if cloud else 0.0,
            {
                "level": rng.choice(("li_saas", "low", "moderate", "high")),
                "status": rng.choice(("authorized", "authorized", "ready", "in_process")),
            },
        ),
        "dod_impact_level": _maybe(rng, 0.2, rng.choice(("il2", "il4", "il5", "il6"))),
        "classified_accreditation": _maybe(
            rng, 0.1, rng.choice(("confidential", "secret", "top_secret"))
        ),
        "personnel": _maybe(
            rng,
            0.5,
            {
                "us_persons_only": rng.random() < 0.6,
                "us_citizens_only": rng.random() < 0.3,
                "clearance": rng.choice(("none", "confidential", "secret", "top_secret")),
            },
        ),
        "encryption_at_rest": rng.choice(
            ("none", "provider_managed", "customer_managed", "client_side")
        ),
        "fips_140": rng.choice(("none", "140-2", "140-3")),
        "audit_logging": rng.random() < 0.8,
        "access_control": {"unique_user_ids": rng.random() < 0.85, "mfa": rng.random() < 0.7},
        "gdpr": _maybe(rng, 0.2, {"dpf_certified": rng.random() < 0.5}),
        "accelerators": _maybe(rng, 0.5, rng.choice((8, 64, 512, 2048))),
        "expected_utilization_pct": _maybe(rng, 0.5, rng.randint(10, 95)),
        "infra_staff_fte": _maybe(rng, 0.3, rng.randint(0, 6)),
        "pricing": _maybe(
            rng, 0.6 if cloud else 0.0, rng.choice(("on_demand", "reserved", "spot"))
        ),
    }
    location.update({k: v for k, v in optional.items() if v is not None})
    return location


def manifest(rng: random.Random, index: int) -> dict[str, Any]:
    """One valid manifest: ids unique, each dataset written once, no cycles, no self-transfer."""
    n_stages = rng.randint(3, 30)
    locations = [_location(rng, f"loc-{i}") for i in range(rng.randint(1, 6))]
    loc_ids = [loc["id"] for loc in locations]
    n_sources = max(1, n_stages // 6)
    datasets = [_dataset(rng, f"src-{i}") for i in range(n_sources)]
    stages: list[dict[str, Any]] = []
    written_at: dict[str, str] = {}
    for i in range(n_sources):
        where = rng.choice(loc_ids)
        stages.append(
            {"id": f"ingest-{i}", "type": "ingestion", "location": where, "outputs": [f"src-{i}"]}
        )
        written_at[f"src-{i}"] = where
    readers: list[tuple[str, str]] = []
    for i in range(n_stages - n_sources):
        where = rng.choice(loc_ids)
        inputs = sorted(
            set(rng.sample(sorted(written_at), min(len(written_at), rng.randint(1, 2))))
        )
        out = f"ds-{i}"
        stage_type = rng.choice(STAGE_TYPES)
        datasets.append(
            _dataset(rng, out)
            if rng.random() < 0.3
            else {"id": out, "classifications": ["internal"]}
        )
        if stage_type == "deidentification":
            datasets[-1]["deidentification"] = {
                "method": rng.choice(("safe_harbor", "expert_determination", "none")),
                **({"evidence_ref": f"DEID-{index}-{i}"} if rng.random() < 0.7 else {}),
            }
        stages.append(
            {
                "id": f"s{i}-{stage_type}",
                "type": stage_type,
                "location": where,
                "inputs": inputs,
                "outputs": [out],
            }
        )
        readers.extend((ds, where) for ds in inputs)
        written_at[out] = where
    transfers = []
    declared: set[tuple[str, str, str]] = set()
    for ds, reader_at in readers:
        source = written_at[ds]
        if source == reader_at or (source, reader_at, ds) in declared or rng.random() < 0.15:
            continue
        declared.add((source, reader_at, ds))
        transfer: dict[str, Any] = {
            "from": source,
            "to": reader_at,
            "datasets": [ds],
            "channel": rng.choice(CHANNELS),
            "encryption_in_transit": rng.choice(("none", "tls", "tls_fips", "end_to_end")),
        }
        extra = {
            "id": f"t-{len(transfers)}",
            "approval_ref": _maybe(rng, 0.3, f"CDS-{index}"),
            "gdpr_mechanism": _maybe(
                rng, 0.3, rng.choice(("adequacy", "dpf", "scc", "bcr", "derogation"))
            ),
            "tia_ref": _maybe(rng, 0.3, f"TIA-{index}"),
            "recurring": _maybe(rng, 0.3, False),
        }
        transfer.update({k: v for k, v in extra.items() if v is not None})
        transfers.append(transfer)
    spec: dict[str, Any] = {
        "workload": rng.choice(
            ("pretraining", "fine_tuning", "retraining", "research", "evaluation")
        ),
        "model": {
            "name": f"model-{index}",
            "parameters_b": rng.choice((0.1, 1, 7, 13, 70)),
            "est_gpu_hours": rng.randint(10, 100000),
        },
        "datasets": datasets,
        "locations": locations,
        "stages": stages,
    }
    if transfers:
        spec["transfers"] = transfers
    return {
        "apiVersion": "tdcheck/v1",
        "kind": "TrainingDeployment",
        "metadata": {"name": f"pipeline-{index:05d}", "owner": f"team-{index % 17}@example.com"},
        "spec": spec,
    }


def write_corpus(directory: Path, count: int, seed: int = 1) -> list[Path]:
    """COUNT manifests, one per file, the same for the same seed (file i depends on seed, i)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = directory / f"m{index:05d}.yaml"
        if not path.exists():
            rng = random.Random(f"{seed}-{index}")
            text = yaml.dump(manifest(rng, index), Dumper=_DUMPER, sort_keys=False, width=100)
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_corpus(args.directory, args.count, args.seed)


if __name__ == "__main__":
    main()
