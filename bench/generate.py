"""Seeded generator of realistic manifests for the benchmark (valid against manifest-v1).

Each manifest is a pipeline of 3-30 stages over 1-6 locations in one of six domains
(healthcare, federal, defence, EU, commercial, mixed), which decides which data classes
its datasets carry: real pipelines do not hold every class at once. Source datasets are
ingested, each later stage reads one or two earlier outputs and writes one new dataset,
and most (not all) movements between locations are declared as transfers, so every rule
family fires somewhere, with passes and failures. Across a few dozen manifests every data
class, classification and impact level, location kind and stage type appears.

    python bench/generate.py DIR COUNT [--seed N]

File i depends only on (seed, i): the first 100 files of a 10,000 corpus are the 100-file
corpus.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

DOMAINS: dict[str, tuple[str, ...]] = {
    "healthcare": ("phi", "phi", "pii", "internal", "public"),
    "federal": ("cui", "pii", "internal", "public"),
    "defence": ("itar", "ear", "cui", "internal"),
    "eu": ("eu_personal", "pii", "internal", "public"),
    "commercial": ("public", "internal", "pii"),
    "mixed": ("public", "internal", "pii", "phi", "cui", "itar", "ear", "eu_personal"),
}
KINDS = ("on_premises", "colocation", "private_cloud", "public_cloud", "government_cloud")
COUNTRIES = {
    "healthcare": ("US", "US", "US", "CA"),
    "federal": ("US", "US", "US", "PR"),
    "defence": ("US", "US", "GB", "DE", "CN"),
    "eu": ("DE", "FR", "IE", "NL", "US", "GB", "IN"),
    "commercial": ("US", "DE", "JP", "IN", "BR"),
    "mixed": ("US", "US", "DE", "FR", "GB", "JP", "IN", "CA", "CN"),
}
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
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _some(rng: random.Random, p: float, value: Any) -> Any:
    return value if rng.random() < p else None


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _dataset(rng: random.Random, ident: str, domain: str) -> dict[str, Any]:
    classes = sorted(set(rng.sample(DOMAINS[domain], rng.randint(1, 2))))
    federal = domain in ("federal", "defence", "mixed")
    return _one_export_regime(
        {
            "id": ident,
            "classifications": classes,
            **_present(
                {
                    "classification_level": _some(
                        rng,
                        0.15 if domain in ("defence", "mixed") else 0.0,
                        rng.choice(("confidential", "secret", "top_secret")),
                    ),
                    "fips199_impact": _some(
                        rng, 0.5 if federal else 0.0, rng.choice(("low", "moderate", "high"))
                    ),
                    "dod_impact_level": _some(
                        rng, 0.3 if federal else 0.0, rng.choice(("il2", "il4", "il5", "il6"))
                    ),
                    "eccn": _some(rng, 0.2 if federal else 0.0, rng.choice(("5D002", "EAR99"))),
                    "requires_air_gap": _some(rng, 0.05 if domain == "defence" else 0.0, True),
                }
            ),
        }
    )


def _one_export_regime(dataset: dict[str, Any]) -> dict[str, Any]:
    """A dataset declares ITAR or EAR control, not both (an integrity rule of the contract):
    drawn with both, it keeps ITAR. Applied after drawing, so the random sequence is kept."""
    if "itar" in dataset["classifications"]:
        dataset["classifications"] = [c for c in dataset["classifications"] if c != "ear"]
        if str(dataset.get("eccn", "EAR99")).upper() != "EAR99":
            del dataset["eccn"]
    return dataset


def _location(rng: random.Random, ident: str, domain: str) -> dict[str, Any]:
    kind = rng.choice(KINDS)
    cloud = kind.endswith("cloud")
    fedramp = {
        "level": rng.choice(("li_saas", "low", "moderate", "high")),
        "status": rng.choice(("authorized", "authorized", "ready", "in_process")),
    }
    personnel = {
        "us_persons_only": rng.random() < 0.6,
        "us_citizens_only": rng.random() < 0.3,
        "clearance": rng.choice(("none", "confidential", "secret", "top_secret")),
    }
    return {
        "id": ident,
        "kind": kind,
        "country": rng.choice(COUNTRIES[domain]),
        **_present(
            {
                "provider": rng.choice(("aws", "azure", "gcp", "oci")) if cloud else None,
                "region": f"region-{rng.randint(1, 9)}" if cloud else None,
                "air_gapped": _some(rng, 0.1 if domain == "defence" else 0.0, True),
                "network": _some(rng, 0.3, rng.choice(("private", "classified", "internet"))),
                "hipaa_baa": rng.random() < 0.7,
                "fedramp": _some(rng, 0.5 if cloud else 0.0, fedramp),
                "dod_impact_level": _some(rng, 0.2, rng.choice(("il2", "il4", "il5", "il6"))),
                "classified_accreditation": _some(
                    rng, 0.1, rng.choice(("confidential", "secret", "top_secret"))
                ),
                "personnel": _some(rng, 0.5, personnel),
                "encryption_at_rest": rng.choice(
                    ("none", "provider_managed", "customer_managed", "client_side")
                ),
                "fips_140": rng.choice(("none", "140-2", "140-3")),
                "audit_logging": rng.random() < 0.85,
                "access_control": {
                    "unique_user_ids": rng.random() < 0.9,
                    "mfa": rng.random() < 0.7,
                },
                "gdpr": _some(rng, 0.3, {"dpf_certified": rng.random() < 0.5}),
                "accelerators": _some(rng, 0.5, rng.choice((8, 64, 512, 2048))),
                "expected_utilization_pct": _some(rng, 0.5, rng.randint(10, 95)),
                "infra_staff_fte": _some(rng, 0.3, rng.randint(0, 6)),
                "pricing": _some(
                    rng, 0.6 if cloud else 0.0, rng.choice(("on_demand", "reserved", "spot"))
                ),
            }
        ),
    }


def _pipeline(
    rng: random.Random, index: int, domain: str, loc_ids: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str], list[tuple[str, str]]]:
    """Datasets, stages, where each dataset is written, and (dataset, reader location) pairs."""
    n_stages = rng.randint(3, 30)
    n_sources = max(1, n_stages // 6)
    datasets = [_dataset(rng, f"src-{i}", domain) for i in range(n_sources)]
    stages: list[dict[str, Any]] = []
    written_at: dict[str, str] = {}
    for i in range(n_sources):
        where = rng.choice(loc_ids)
        stages.append({"id": f"ingest-{i}", "type": "ingestion", "location": where})
        stages[-1]["outputs"] = [f"src-{i}"]
        written_at[f"src-{i}"] = where
    reads: list[tuple[str, str]] = []
    for i in range(n_stages - n_sources):
        where, stage_type, out = rng.choice(loc_ids), rng.choice(STAGE_TYPES), f"ds-{i}"
        count = min(len(written_at), rng.randint(1, 2))
        inputs = sorted(rng.sample(sorted(written_at), count))
        dataset = (
            _dataset(rng, out, domain)
            if rng.random() < 0.3
            else {"id": out, "classifications": ["internal"]}
        )
        if stage_type == "deidentification":
            method = rng.choice(("safe_harbor", "expert_determination", "none"))
            dataset["deidentification"] = {"method": method}
            if rng.random() < 0.7:
                dataset["deidentification"]["evidence_ref"] = f"DEID-{index}-{i}"
        datasets.append(dataset)
        stages.append(
            {
                "id": f"s{i}-{stage_type}",
                "type": stage_type,
                "location": where,
                "inputs": inputs,
                "outputs": [out],
            }
        )
        reads.extend((ds, where) for ds in inputs)
        written_at[out] = where
    return datasets, stages, written_at, reads


def _transfers(
    rng: random.Random, index: int, written_at: dict[str, str], reads: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    transfers: list[dict[str, Any]] = []
    declared: set[tuple[str, str, str]] = set()
    for ds, reader_at in reads:
        source = written_at[ds]
        if source == reader_at or (source, reader_at, ds) in declared or rng.random() < 0.15:
            continue
        declared.add((source, reader_at, ds))
        mechanism = rng.choice(("adequacy", "dpf", "scc", "bcr", "derogation"))
        transfers.append(
            {
                "id": f"t-{len(transfers)}",
                "from": source,
                "to": reader_at,
                "datasets": [ds],
                "channel": rng.choice(CHANNELS),
                "encryption_in_transit": rng.choice(("none", "tls", "tls_fips", "end_to_end")),
                **_present(
                    {
                        "approval_ref": _some(rng, 0.3, f"CDS-{index}"),
                        "gdpr_mechanism": _some(rng, 0.3, mechanism),
                        "tia_ref": _some(rng, 0.3, f"TIA-{index}"),
                        "recurring": _some(rng, 0.3, False),
                    }
                ),
            }
        )
    return transfers


def manifest(rng: random.Random, index: int) -> dict[str, Any]:
    """One valid manifest: ids unique, each dataset written once, no cycles, no self-transfer."""
    domain = rng.choice(sorted(DOMAINS))
    locations = [_location(rng, f"loc-{i}", domain) for i in range(rng.randint(1, 6))]
    loc_ids = [loc["id"] for loc in locations]
    datasets, stages, written_at, reads = _pipeline(rng, index, domain, loc_ids)
    spec: dict[str, Any] = {
        "workload": rng.choice(("pretraining", "fine_tuning", "retraining", "research")),
        "model": {
            "name": f"model-{index}",
            "parameters_b": rng.choice((0.1, 1, 7, 13, 70)),
            "est_gpu_hours": rng.randint(10, 100000),
        },
        "datasets": datasets,
        "locations": locations,
        "stages": stages,
    }
    transfers = _transfers(rng, index, written_at, reads)
    if transfers:
        spec["transfers"] = transfers
    return {
        "apiVersion": "tdcheck/v1",
        "kind": "TrainingDeployment",
        "metadata": {
            "name": f"{domain}-pipeline-{index:05d}",
            "owner": f"team-{index % 17}@example.com",
            "labels": {"domain": domain},
        },
        "spec": spec,
    }


def write_corpus(directory: Path, count: int, seed: int = 1) -> list[Path]:
    """COUNT manifests, one per file; file i is the same for the same (seed, i)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        rng = random.Random(f"{seed}-{index}")
        path = directory / f"m{index:05d}.yaml"
        text = yaml.dump(manifest(rng, index), Dumper=_DUMPER, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_corpus(args.directory, args.count, args.seed)


if __name__ == "__main__":
    main()
