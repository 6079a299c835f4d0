"""Hypothesis strategies for VALID manifests (manifest-v1.md), and the lineage facts tests need.

Every value `manifests()` draws passes `checker.validate.validate_document`: ids are unique
in their list, every reference names a declared element, each dataset has at most one
writer, the stage graph is a DAG (a stage only reads datasets nobody writes or that an
earlier stage in a hidden topological order writes; the list order is then shuffled), and
transfer ids, explicit or the default `<from>-><to>`, never collide. Within that, every
enum value and optional field of the contract is drawn, with boundary values of the rule
thresholds, so the rules see both their passing and their failing side.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]

CLASSES = ("public", "internal", "pii", "phi", "cui", "itar", "ear", "eu_personal")
LEVELS = ("unclassified", "confidential", "secret", "top_secret")
IMPACTS = ("low", "moderate", "high")
IL_LEVELS = ("il2", "il4", "il5", "il6")
DEID_METHODS = ("none", "safe_harbor", "expert_determination", "limited_data_set")
KINDS = ("on_premises", "colocation", "private_cloud", "public_cloud", "government_cloud")
OPERATORS = ("self", "third_party")
TENANCIES = ("multi_tenant", "dedicated", "dedicated_government")
SERVICE_MODELS = ("iaas", "paas", "saas")
NETWORKS = ("internet", "private", "classified", "none")
FEDRAMP_LEVELS = ("li_saas", "low", "moderate", "high")
FEDRAMP_STATUSES = ("authorized", "certified", "ready", "in_process")
CLEARANCES = ("none", "confidential", "secret", "top_secret")
ENCRYPTION_AT_REST = ("none", "provider_managed", "customer_managed", "client_side")
FIPS_140 = ("none", "140-2", "140-3")
PRICING = ("on_demand", "reserved", "spot")
STAGE_TYPES = (
    "ingestion",
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
TRANSIT = ("none", "tls", "tls_fips", "end_to_end")
GDPR_MECHANISMS = ("adequacy", "dpf", "scc", "bcr", "derogation")
WORKLOADS = ("pretraining", "fine_tuning", "retraining", "research", "evaluation")
AS_OF_DATES = ("2025-01-01", "2026-09-20", "2026-09-21", "2027-06-01")


# Every enum of the manifest schema, by where it is: tests check this against the schema so
# that a value added to the contract is generated too.
ENUMS: dict[str, tuple[str, ...]] = {
    "spec.workload": WORKLOADS,
    "Dataset.classifications.[]": CLASSES,
    "Dataset.classification_level": LEVELS,
    "Dataset.fips199_impact": IMPACTS,
    "Dataset.dod_impact_level": IL_LEVELS,
    "Dataset.deidentification.method": DEID_METHODS,
    "Location.kind": KINDS,
    "Location.operator": OPERATORS,
    "Location.tenancy": TENANCIES,
    "Location.service_model": SERVICE_MODELS,
    "Location.network": NETWORKS,
    "Location.fedramp.level": FEDRAMP_LEVELS,
    "Location.fedramp.status": FEDRAMP_STATUSES,
    "Location.dod_impact_level": IL_LEVELS,
    "Location.classified_accreditation": LEVELS[1:],
    "Location.personnel.clearance": CLEARANCES,
    "Location.encryption_at_rest": ENCRYPTION_AT_REST,
    "Location.fips_140": FIPS_140,
    "Location.pricing": PRICING,
    "Stage.type": STAGE_TYPES,
    "Transfer.channel": CHANNELS,
    "Transfer.encryption_in_transit": TRANSIT,
    "Transfer.gdpr_mechanism": GDPR_MECHANISMS,
}


def _reference_countries() -> tuple[str, ...]:
    """Every country the dated reference lists name (EEA, adequacy, 126.1), plus US territories."""
    reference = json.loads((ROOT / "policies" / "data.json").read_text())["tdcheck"]["reference"]
    # An entry is a code or {country, suspended: [...]} (a dated suspension, e.g. Cyprus).
    listed = {
        c if isinstance(c, str) else c["country"]
        for entry in reference.values()
        for c in entry.get("countries", ())
    }
    return tuple(sorted(listed | {"US", "PR", "GU", "VI", "AS", "MP", "UM", "IN", "SG", "AU"}))


COUNTRIES = st.one_of(
    st.sampled_from(_reference_countries()), st.from_regex(r"[A-Z]{2}", fullmatch=True)
)

# Ids are any string (the contract sets no pattern): mostly readable, sometimes with quotes,
# backslashes, control characters or non-ASCII, which message rendering must survive.
IDS = st.one_of(
    st.from_regex(r"[a-z][a-z0-9-]{0,7}", fullmatch=True),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=6),
)
TEXT = st.text(st.characters(codec="utf-8"), max_size=12)
NAMES = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)


# Numbers as people write them (a few decimal places, the rules' thresholds). `any_double`
# adds every double and large integer the contract allows: subnormals and doubles that need
# 17 significant digits hit known embedded-engine defects (docs/engines.md, "Numbers"), so
# only the differential test, whose subject that is, draws them.
def _numbers(high: int, any_double: bool, places: int = 3) -> st.SearchStrategy[float]:
    written = st.decimals(0, high, places=places, allow_nan=False, allow_infinity=False)
    if not any_double:
        return written.map(float)
    # Not below 1e-300: the loader refuses those (regopy cannot read them), see limits.py.
    # Subnormal doubles are excluded: regopy cannot parse them (its stod fails) and the run
    # ends in exit 3, fail-closed but not agreement; docs/engines.md, "Numbers", says so.
    doubles = st.floats(0, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return st.one_of(written.map(float), doubles.filter(lambda x: x == 0 or x >= 1e-300))


def numeric_location_fields(any_double: bool) -> dict[str, st.SearchStrategy[Any]]:
    big = st.integers(0, 10**20) if any_double else st.nothing()
    return {
        "accelerators": st.one_of(
            st.sampled_from([0, 999, 1000, 1001]), st.integers(0, 100_000), big
        ),
        "expected_utilization_pct": st.one_of(
            st.sampled_from([0, 64.9, 65, 69.99, 70, 100]),
            st.integers(0, 100),
            _numbers(100, any_double),
        ),
        "infra_staff_fte": st.one_of(st.just(0), st.integers(0, 40), _numbers(40, any_double, 2)),
    }


def parameters_b(any_double: bool) -> st.SearchStrategy[float]:
    return st.one_of(st.sampled_from([0, 9.99, 10, 70]), _numbers(2000, any_double))


# A location with every control switched on: a base that random overrides then weaken, so
# the rules' passing branches are reached as often as their failing ones.
HARDENED_LOCATION: dict[str, Any] = {
    "air_gapped": True,
    "network": "classified",
    "tenancy": "dedicated_government",
    "hipaa_baa": True,
    "fedramp": {"level": "high", "status": "authorized"},
    "fedramp_moderate_equivalent": True,
    "dod_impact_level": "il6",
    "classified_accreditation": "top_secret",
    "personnel": {"us_persons_only": True, "us_citizens_only": True, "clearance": "top_secret"},
    "encryption_at_rest": "client_side",
    "fips_140": "140-3",
    "audit_logging": True,
    "access_control": {"unique_user_ids": True, "mfa": True},
    "gdpr": {"dpf_certified": True},
}


def _enum(values: Iterable[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(tuple(values))


def dataset_fields(public_only: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """A dataset without its id. `public_only`: public data that no rule should regulate."""
    if public_only:
        return st.fixed_dictionaries(
            {"classifications": st.lists(st.just("public"), min_size=1, max_size=2)},
            optional={
                "classification_level": st.just("unclassified"),
                "eccn": st.just("EAR99"),
                "requires_air_gap": st.just(False),
                "deidentification": _deidentification(),
            },
        )
    return st.fixed_dictionaries(
        {
            "classifications": st.one_of(
                st.lists(_enum(CLASSES), min_size=1, max_size=3, unique=True),
                st.lists(_enum(CLASSES), min_size=1, max_size=3),  # repeats are valid
            )
        },
        optional={
            "classification_level": _enum(LEVELS),
            "fips199_impact": _enum(IMPACTS),
            "dod_impact_level": _enum(IL_LEVELS),
            "eccn": st.one_of(
                st.sampled_from(["EAR99", "ear99", "5D002", "5d002", "9E003", "3A001", "0A501"]),
                TEXT,
            ),
            "requires_air_gap": st.booleans(),
            "deidentification": _deidentification(),
            # Kept only on source datasets by manifests() (an integrity rule).
            "collected_directly": st.booleans(),
        },
    ).map(export_control_consistent)


def ear_controlled(dataset: dict[str, Any]) -> bool:
    """EAR control a dataset declares: class ear, or an ECCN other than EAR99 (any case)."""
    eccn = dataset.get("eccn")
    return "ear" in dataset["classifications"] or (
        isinstance(eccn, str) and eccn.upper() != "EAR99"
    )


def export_control_consistent(dataset: dict[str, Any]) -> dict[str, Any]:
    """A dataset declares ITAR or EAR control, not both (manifest-v1.md integrity rules):
    drawn with both, it keeps the ITAR class and drops the EAR declarations."""
    if "itar" in dataset["classifications"] and ear_controlled(dataset):
        dataset["classifications"] = [c for c in dataset["classifications"] if c != "ear"]
        dataset.pop("eccn", None)
    return dataset


def _deidentification() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={"method": _enum(DEID_METHODS), "evidence_ref": TEXT})


def location_fields(any_double: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """A location without its id: every field of the contract, each present or defaulted."""
    optional: dict[str, st.SearchStrategy[Any]] = {
        "operator": _enum(OPERATORS),
        "provider": TEXT,
        "region": TEXT,
        "tenancy": _enum(TENANCIES),
        "service_model": _enum(SERVICE_MODELS),
        "air_gapped": st.booleans(),
        "network": _enum(NETWORKS),
        "hipaa_baa": st.booleans(),
        "fedramp": st.fixed_dictionaries(
            {}, optional={"level": _enum(FEDRAMP_LEVELS), "status": _enum(FEDRAMP_STATUSES)}
        ),
        "fedramp_moderate_equivalent": st.booleans(),
        "dod_impact_level": _enum(IL_LEVELS),
        "classified_accreditation": _enum(LEVELS[1:]),
        "personnel": st.fixed_dictionaries(
            {},
            optional={
                "us_persons_only": st.booleans(),
                "us_citizens_only": st.booleans(),
                "clearance": _enum(CLEARANCES),
            },
        ),
        "encryption_at_rest": _enum(ENCRYPTION_AT_REST),
        "fips_140": _enum(FIPS_140),
        "audit_logging": st.booleans(),
        "access_control": st.fixed_dictionaries(
            {}, optional={"unique_user_ids": st.booleans(), "mfa": st.booleans()}
        ),
        "gdpr": st.fixed_dictionaries({}, optional={"dpf_certified": st.booleans()}),
        **numeric_location_fields(any_double),
        "pricing": _enum(PRICING),
    }
    drawn = st.fixed_dictionaries({"kind": _enum(KINDS), "country": COUNTRIES}, optional=optional)
    base = st.sampled_from([{}, HARDENED_LOCATION])
    return st.tuples(base, drawn).map(lambda pair: {**copy.deepcopy(pair[0]), **pair[1]})


def transfer_fields() -> st.SearchStrategy[dict[str, Any]]:
    """A transfer's fields other than id, from, to and datasets."""
    return st.fixed_dictionaries(
        {"channel": _enum(CHANNELS)},
        optional={
            "encryption_in_transit": _enum(TRANSIT),
            "approval_ref": TEXT,
            "gdpr_mechanism": _enum(GDPR_MECHANISMS),
            "tia_ref": TEXT,
            "recurring": st.booleans(),
        },
    )


@st.composite
def manifests(
    draw: st.DrawFn, public_only: bool = False, max_stages: int = 4, any_double: bool = False
) -> dict[str, Any]:
    """One valid manifest as a JSON-ready dict.

    Small on purpose: the embedded engine takes 50-400 ms per manifest of this size and
    grows with it; shapes with a handful of elements already reach every rule's branches.
    """
    dataset_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    location_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    stage_ids = draw(st.lists(IDS, min_size=1, max_size=max_stages, unique=True))

    datasets = [{"id": d, **draw(dataset_fields(public_only))} for d in dataset_ids]
    locations = [{"id": loc, **draw(location_fields(any_double))} for loc in location_ids]

    # Stage k of the hidden order writes the datasets assigned to it and reads only datasets
    # that nobody writes or that a stage before k writes: one writer each and no cycle.
    writer = {d: draw(st.sampled_from([None, *range(len(stage_ids))])) for d in dataset_ids}
    stages = []
    for k, stage_id in enumerate(stage_ids):
        readable = [d for d in dataset_ids if writer[d] is None or writer[d] < k]
        written = [d for d in dataset_ids if writer[d] == k]
        stage: dict[str, Any] = {
            "id": stage_id,
            "type": draw(_enum(STAGE_TYPES)),
            "location": draw(st.sampled_from(location_ids)),
        }
        inputs = draw(st.lists(st.sampled_from(readable), max_size=3)) if readable else []
        outputs = draw(st.permutations(written)) if written else []
        # An empty list and an absent one mean the same (default []): draw both spellings.
        if inputs or draw(st.booleans()):
            stage["inputs"] = inputs
        if outputs or draw(st.booleans()):
            stage["outputs"] = list(outputs)
        stages.append(stage)
    stages = list(draw(st.permutations(stages)))

    # collected_directly belongs only on a source dataset (an integrity rule).
    for dataset in datasets:
        if writer[dataset["id"]] is not None:
            dataset.pop("collected_directly", None)

    transfers = _transfers(draw, stages, location_ids, dataset_ids)
    spec: dict[str, Any] = {"datasets": datasets, "locations": locations, "stages": stages}
    if transfers or draw(st.booleans()):
        spec["transfers"] = transfers
    spec.update(
        draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "workload": _enum(WORKLOADS),
                    "model": st.fixed_dictionaries(
                        {},
                        optional={
                            "name": TEXT,
                            "parameters_b": parameters_b(any_double),
                            "est_gpu_hours": st.integers(0, 10**7),
                        },
                    ),
                },
            )
        )
    )
    metadata = draw(
        st.fixed_dictionaries(
            {"name": NAMES},
            optional={
                "owner": TEXT,
                "description": TEXT,
                "labels": st.dictionaries(TEXT, TEXT, max_size=2),
            },
        )
    )
    return {
        "apiVersion": "tdcheck/v1",
        "kind": "TrainingDeployment",
        "metadata": metadata,
        "spec": spec,
    }


def _transfers(
    draw: st.DrawFn, stages: list[dict[str, Any]], location_ids: list[str], dataset_ids: list[str]
) -> list[dict[str, Any]]:
    """Declared transfers: some cover implied movements, some move data nobody reads there."""
    planned: list[tuple[str, str, list[str]]] = []
    by_pair: dict[tuple[str, str], list[str]] = {}
    for source, target, dataset in implied_movements({"spec": {"stages": stages}}):
        by_pair.setdefault((source, target), []).append(dataset)
    for (source, target), moved in by_pair.items():
        declared = draw(st.lists(st.sampled_from(moved), max_size=len(moved), unique=True))
        if declared:
            planned.append((source, target, declared))
    if len(location_ids) > 1:
        for _ in range(draw(st.integers(0, 2))):
            source = draw(st.sampled_from(location_ids))
            target = draw(st.sampled_from([loc for loc in location_ids if loc != source]))
            moved = draw(st.lists(st.sampled_from(dataset_ids), min_size=1, max_size=3))
            planned.append((source, target, moved))
    transfers: list[dict[str, Any]] = []
    for source, target, moved in planned:
        transfer = {"from": source, "to": target, "datasets": moved, **draw(transfer_fields())}
        if draw(st.booleans()):
            transfer["id"] = draw(IDS)
        transfers.append(transfer)
    return unique_transfer_ids(transfers)


def unique_transfer_ids(transfers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give an explicit, fresh id to every transfer whose id (or default id) is taken."""
    taken: set[str] = set()
    for transfer in transfers:
        name = transfer_id(transfer)
        if name in taken:
            transfer["id"] = fresh_id(taken | {transfer_id(t) for t in transfers}, "t")
            name = transfer["id"]
        taken.add(name)
    return transfers


def transfer_id(transfer: dict[str, Any]) -> str:
    return str(transfer["id"]) if "id" in transfer else f"{transfer['from']}->{transfer['to']}"


def fresh_id(taken: Iterable[str], base: str) -> str:
    used = set(taken)
    n = 0
    while f"{base}{n}" in used:
        n += 1
    return f"{base}{n}"


# --- lineage facts, computed independently of the Rego library (manifest-v1.md) ------------


def writers(value: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d: s for s in value["spec"]["stages"] for d in s.get("outputs", ())}


def implied_movements(value: dict[str, Any]) -> set[tuple[str, str, str]]:
    """(from, to, dataset): a dataset written at one location and read at another."""
    written_by = writers(value)
    return {
        (written_by[d]["location"], reader["location"], d)
        for reader in value["spec"]["stages"]
        for d in reader.get("inputs", ())
        if d in written_by and written_by[d]["location"] != reader["location"]
    }


def phi_datasets(value: dict[str, Any]) -> set[str]:
    """Datasets whose effective classes include PHI: declared, or inherited from the inputs of
    their writer unless it is a de-identification stage with a qualifying method."""
    written_by = writers(value)
    declared = {d["id"]: d for d in value["spec"]["datasets"]}
    memo: dict[str, bool] = {}

    def has_phi(d: str) -> bool:
        if d not in memo:
            memo[d] = False  # the graph is acyclic; this only guards the recursion
            dataset = declared[d]
            stage = written_by.get(d)
            declaration = dataset.get("deidentification", {})
            method = declaration.get("method")
            # v1.1: an expert determination counts only with its documented analysis.
            qualifies = method == "safe_harbor" or (
                method == "expert_determination" and declaration.get("evidence_ref", "") != ""
            )
            scrubbed = stage is not None and stage["type"] == "deidentification" and qualifies
            memo[d] = "phi" in dataset["classifications"] or (
                stage is not None
                and not scrubbed
                and any(has_phi(i) for i in stage.get("inputs", ()))
            )
        return memo[d]

    return {d for d in declared if has_phi(d)}


def third_party(location: dict[str, Any]) -> bool:
    default = "self" if location["kind"] == "on_premises" else "third_party"
    return location.get("operator", default) == "third_party"


@st.composite
def manifests_with_movement(draw: st.DrawFn) -> dict[str, Any]:
    """A valid manifest with at least one implied movement: a fresh dataset written by a fresh
    stage at an existing location and read by another fresh stage at a fresh location."""
    value = draw(manifests(max_stages=2))
    spec = value["spec"]
    dataset = fresh_id((d["id"] for d in spec["datasets"]), "moved")
    target = fresh_id((loc["id"] for loc in spec["locations"]), "elsewhere")
    names = [s["id"] for s in spec["stages"]]
    writer_id = fresh_id(names, "write")
    reader_id = fresh_id([*names, writer_id], "read")
    source = draw(st.sampled_from(spec["locations"]))["id"]
    readable = [d["id"] for d in spec["datasets"]]
    fields = draw(dataset_fields())
    fields.pop("collected_directly", None)  # a stage writes it: not a source dataset
    spec["datasets"].append({"id": dataset, **fields})
    spec["locations"].append({"id": target, **draw(location_fields())})
    spec["stages"] += [
        {
            "id": writer_id,
            "type": draw(_enum(STAGE_TYPES)),
            "location": source,
            "inputs": draw(st.lists(st.sampled_from(readable), max_size=2)),
            "outputs": [dataset],
        },
        {
            "id": reader_id,
            "type": draw(_enum(STAGE_TYPES)),
            "location": target,
            "inputs": [dataset],
        },
    ]
    return value


def value_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path into a JSON value, the empty one first (mutation tests pick one)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from value_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from value_paths(item, (*prefix, index))
