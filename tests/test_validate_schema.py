"""The manifest JSON Schema and the one-line errors users see when a manifest breaks it."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from checker.errors import InputError
from checker.loader.document import Document, JsonPath
from checker.validate import (
    load_manifest_schema,
    manifest_validator,
    schema_errors,
    validate_document,
)

EXAMPLE_PATH = Path(__file__).parent / "data" / "example-manifest.yaml"

# Small but complete: every later test breaks exactly one thing in it.
BASE = """\
apiVersion: tdcheck/v1
kind: TrainingDeployment
metadata:
  name: small
  labels: {team: ml}
spec:
  datasets:
    - id: raw
      classifications: [internal]
    - id: model
      classifications: [internal]
  locations:
    - id: dc
      kind: on_premises
      country: US
      hipaa_baa: false
    - id: cloud
      kind: public_cloud
      country: DE
  stages:
    - {id: train, type: training, location: dc, inputs: [raw], outputs: [model]}
  transfers:
    - {from: dc, to: cloud, datasets: [model], channel: vpn}
"""


def document(text: str, source: str = "m.yaml") -> Document:
    """A Document with real positions (1-based line, column of each node) from yaml marks."""
    positions: dict[JsonPath, tuple[int, int]] = {}

    def walk(node: yaml.Node, path: JsonPath) -> None:
        positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    root = yaml.compose(text)
    assert root is not None
    walk(root, ())
    return Document(source, 0, yaml.safe_load(text), positions)


def edit(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def errors_of(text: str) -> tuple[InputError, ...]:
    return schema_errors(document(text), manifest_validator())


def only_error(text: str) -> InputError:
    errors = errors_of(text)
    assert len(errors) == 1, [e.one_line() for e in errors]
    return errors[0]


# --- valid input ---------------------------------------------------------------------------


def test_shared_example_manifest_is_valid() -> None:
    doc = document(EXAMPLE_PATH.read_text(encoding="utf-8"), "example-manifest.yaml")
    assert validate_document(doc) == ()


def test_base_manifest_is_valid() -> None:
    assert validate_document(document(BASE)) == ()


def test_reserved_internal_key_is_allowed_at_top_level_only() -> None:
    assert errors_of(BASE + "_tdcheck: {origin: test}\n") == ()
    error = only_error(edit("  name: small\n", "  name: small\n  _tdcheck: {}\n"))
    assert error.json_path == "$.metadata._tdcheck"
    assert error.message.startswith("unknown field '_tdcheck'")


def test_labels_accept_any_key_but_only_string_values() -> None:
    assert errors_of(edit("{team: ml}", "{team: ml, anything-goes: x}")) == ()
    error = only_error(edit("{team: ml}", "{team: ml, tier: 1}"))
    assert error.json_path == "$.metadata.labels.tier"
    assert error.message == "expected a string, got integer 1; quote the value to make it a string"


# --- one error class at a time -------------------------------------------------------------


def test_enum_error_lists_allowed_values_and_suggests() -> None:
    text = edit(
        "id: raw\n      classifications: [internal]", "id: raw\n      classifications: [publik]"
    )
    error = only_error(text)
    assert error.json_path == "$.spec.datasets[0].classifications[0]"
    assert error.message == (
        "'publik' is not one of public, internal, pii, phi, cui, itar, ear, eu_personal"
        " (did you mean 'public'?)"
    )
    assert (error.span.file, error.span.line, error.span.column) == ("m.yaml", 9, 25)
    assert (
        error.one_line() == f"m.yaml:9:25: $.spec.datasets[0].classifications[0]: {error.message}"
    )


def test_fips_140_values_are_strings() -> None:
    assert errors_of(edit("hipaa_baa: false", 'fips_140: "140-2"')) == ()
    assert errors_of(edit("hipaa_baa: false", "fips_140: none")) == ()
    error = only_error(edit("hipaa_baa: false", "fips_140: 140"))
    assert error.json_path == "$.spec.locations[0].fips_140"
    assert error.message.startswith("expected a string, got integer 140")


def test_missing_required_field_is_reported_at_the_object() -> None:
    text = edit("      country: DE\n", "")
    error = only_error(text)
    assert error.message == "missing required field 'country'"
    assert error.json_path == "$.spec.locations[1]"
    assert error.span.line == line_of(text, "- id: cloud")


def test_every_missing_required_field_gets_its_own_line() -> None:
    text = edit("{from: dc, to: cloud, datasets: [model], channel: vpn}", "{from: dc}")
    errors = errors_of(text)
    assert [(e.json_path, e.message) for e in errors] == [
        ("$.spec.transfers[0]", "missing required field 'to'"),
        ("$.spec.transfers[0]", "missing required field 'datasets'"),
        ("$.spec.transfers[0]", "missing required field 'channel'"),
    ]


def test_unknown_field_suggests_the_closest_name() -> None:
    text = edit("hipaa_baa: false", "hipa_baa: true")
    error = only_error(text)
    assert error.message == "unknown field 'hipa_baa' (did you mean 'hipaa_baa'?)"
    assert error.json_path == "$.spec.locations[0].hipa_baa"
    assert error.span.line == line_of(text, "hipa_baa")


def test_unknown_field_ignores_case_and_separators() -> None:
    error = only_error(edit("hipaa_baa: false", "hipaaBaa: false"))
    assert error.message == "unknown field 'hipaaBaa' (did you mean 'hipaa_baa'?)"


def test_unknown_field_does_not_suggest_a_field_already_present() -> None:
    error = only_error(edit("kind: TrainingDeployment", "kind: TrainingDeployment\nkindd: x"))
    assert error.json_path == "$.kindd"
    assert error.message == (
        "unknown field 'kindd' (allowed: apiVersion, kind, metadata, spec, _tdcheck)"
    )


def test_unknown_top_level_field_and_missing_field_both_reported() -> None:
    errors = errors_of(edit("metadata:", "metdata:"))
    assert {(e.json_path, e.message) for e in errors} == {
        ("$", "missing required field 'metadata'"),
        ("$.metdata", "unknown field 'metdata' (did you mean 'metadata'?)"),
    }


def test_type_error_says_what_was_expected_and_what_was_found() -> None:
    error = only_error(edit("- id: raw", "- id: 5"))
    assert error.json_path == "$.spec.datasets[0].id"
    assert error.message == "expected a string, got integer 5; quote the value to make it a string"


def test_unquoted_norway_is_a_boolean_in_yaml() -> None:
    error = only_error(edit("country: DE", "country: NO"))
    assert error.json_path == "$.spec.locations[1].country"
    assert error.message == (
        "expected a string, got boolean false; quote the value to make it a string"
    )


def test_type_error_hides_the_redundant_enum_error() -> None:
    error = only_error(edit("spec:\n", "spec:\n  workload: 5\n"))
    assert error.json_path == "$.spec.workload"
    assert error.message.startswith("expected a string, got integer 5")


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ("hipaa_baa: false", "hipaa_baa: 'yes'", "$.spec.locations[0].hipaa_baa",
         "expected a boolean (true or false), got string 'yes'"),
        ("hipaa_baa: false", "accelerators: 1.5", "$.spec.locations[0].accelerators",
         "expected an integer, got number 1.5"),
        ("hipaa_baa: false", "personnel: []", "$.spec.locations[0].personnel",
         "expected an object, got a list"),
        ("inputs: [raw]", "inputs: raw", "$.spec.stages[0].inputs",
         "expected a list, got string 'raw'"),
        ("country: DE", "country:", "$.spec.locations[1].country",
         "expected a string, got null (an empty value)"),
    ],
)  # fmt: skip
def test_type_errors(old: str, new: str, path: str, message: str) -> None:
    error = only_error(edit(old, new))
    assert (error.json_path, error.message) == (path, message)


def test_country_pattern_explains_itself_and_fixes_case() -> None:
    error = only_error(edit("country: DE", "country: de"))
    assert error.json_path == "$.spec.locations[1].country"
    assert error.message == (
        "'de' is not an upper-case ISO 3166-1 alpha-2 country code such as 'US' or 'DE'"
        " (pattern ^[A-Z]{2}$) (did you mean 'DE'?)"
    )
    error = only_error(edit("country: DE", "country: DEU"))
    assert error.message.startswith("'DEU' is not an upper-case ISO 3166-1 alpha-2")
    assert "did you mean" not in error.message


def test_metadata_name_pattern() -> None:
    error = only_error(edit("name: small", "name: Small-Model"))
    assert error.json_path == "$.metadata.name"
    assert error.message.startswith("'Small-Model' is not a valid name: 1-63 lower-case letters")
    assert error.message.endswith("(did you mean 'small-model'?)")
    assert errors_of(edit("name: small", "name: " + "a" * 63)) == ()
    assert len(errors_of(edit("name: small", "name: " + "a" * 64))) == 1
    assert len(errors_of(edit("name: small", "name: small-"))) == 1


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("classifications: [internal]\n    - id: model", "classifications: []\n    - id: model",
         "$.spec.datasets[0].classifications"),
        ("datasets: [model], channel", "datasets: [], channel", "$.spec.transfers[0].datasets"),
    ],
)  # fmt: skip
def test_min_items(old: str, new: str, path: str) -> None:
    errors = errors_of(edit(old, new))
    assert [(e.json_path, e.message) for e in errors] == [
        (path, "expected at least 1 item, got an empty list")
    ]


def test_top_level_lists_need_one_item() -> None:
    text = BASE[: BASE.index("  datasets:")] + "  datasets: []\n  locations: []\n  stages: []\n"
    errors = errors_of(text)
    assert [(e.json_path, e.message, e.span.line) for e in errors] == [
        ("$.spec.datasets", "expected at least 1 item, got an empty list", 7),
        ("$.spec.locations", "expected at least 1 item, got an empty list", 8),
        ("$.spec.stages", "expected at least 1 item, got an empty list", 9),
    ]


def test_numeric_bounds() -> None:
    error = only_error(edit("hipaa_baa: false", "expected_utilization_pct: 120"))
    assert error.message == "expected a value <= 100, got 120"
    error = only_error(edit("hipaa_baa: false", "accelerators: -1"))
    assert error.message == "expected a value >= 0, got -1"
    error = only_error(edit("spec:\n", "spec:\n  model: {parameters_b: -0.5}\n"))
    assert (error.json_path, error.message) == (
        "$.spec.model.parameters_b",
        "expected a value >= 0, got -0.5",
    )


def test_api_version_const() -> None:
    error = only_error(edit("tdcheck/v1", "tdcheck/v2"))
    assert (error.json_path, error.message) == (
        "$.apiVersion",
        "expected 'tdcheck/v1', got 'tdcheck/v2'",
    )


def test_not_an_object_at_all() -> None:
    doc = Document("list.yaml", 0, [1, 2], {})
    error = schema_errors(doc, manifest_validator())
    assert [(e.json_path, e.message) for e in error] == [("$", "expected an object, got a list")]
    assert str(error[0].span) == "list.yaml:1:1"


# --- several errors ------------------------------------------------------------------------


def test_every_error_is_reported_in_source_order() -> None:
    text = edit("country: DE", "country: de", edit("hipaa_baa: false", "hipa_baa: true"))
    text = edit("kind: TrainingDeployment", "kind: Deployment", text)
    errors = errors_of(text)
    assert [e.json_path for e in errors] == [
        "$.kind",
        "$.spec.locations[0].hipa_baa",
        "$.spec.locations[1].country",
    ]
    assert [e.span.line for e in errors] == sorted(e.span.line for e in errors)


def test_sort_falls_back_to_numeric_path_order_without_positions() -> None:
    value = yaml.safe_load(BASE)
    value["spec"]["datasets"] = [
        {"id": f"d{i}", "classifications": ["nope"] if i in (2, 10) else ["public"]}
        for i in range(12)
    ]
    errors = schema_errors(Document("x.json", 0, value, {}), manifest_validator())
    assert [e.json_path for e in errors] == [
        "$.spec.datasets[2].classifications[0]",
        "$.spec.datasets[10].classifications[0]",
    ]


def test_one_of_reports_the_best_matching_branch_only() -> None:
    validator = Draft202012Validator(
        {
            "oneOf": [
                {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
                {"type": "string"},
            ]
        }
    )
    errors = schema_errors(Document("x.json", 0, {"a": 1}, {}), validator)
    assert [(e.json_path, e.message) for e in errors] == [
        ("$.a", "expected a string, got integer 1; quote the value to make it a string")
    ]
    # No branch stands out: jsonschema's own summary, still one line.
    errors = schema_errors(Document("x.json", 0, 5, {}), validator)
    assert [(e.json_path, e.message) for e in errors] == [
        ("$", "5 is not valid under any of the given schemas")
    ]


def test_integrity_rules_wait_for_a_schema_valid_document() -> None:
    # A dangling location reference plus a schema error: only the schema error is shown,
    # because integrity rules assume the schema's shape.
    text = edit("location: dc,", "location: nowhere,", edit("country: DE", "country: de"))
    assert [e.json_path for e in validate_document(document(text))] == [
        "$.spec.locations[1].country"
    ]


# --- the schema itself ---------------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema_with_identity() -> None:
    schema = load_manifest_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://tdcheck.dev/schemas/manifest-v1.json"
    assert schema["title"] and schema["description"]
    assert set(schema["$defs"]) == {"Dataset", "Location", "Stage", "Transfer"}


def test_loaded_schema_is_a_fresh_copy_and_validator_is_cached() -> None:
    schema = load_manifest_schema()
    schema["properties"].clear()
    assert load_manifest_schema()["properties"]
    assert manifest_validator() is manifest_validator()


def _objects(schema: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every (pointer, subschema) that declares `properties`, including inside $defs."""
    if isinstance(schema, dict):
        if "properties" in schema:
            yield path, schema
        for key, value in schema.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _objects(value, f"{path}/{index}")


def test_every_property_has_a_description() -> None:
    schema = load_manifest_schema()
    missing = [
        f"{pointer}/properties/{name}"
        for pointer, obj in _objects(schema)
        for name, prop in obj["properties"].items()
        if not str(prop.get("description", "")).strip()
    ]
    assert missing == []
    assert all(schema["$defs"][name].get("description") for name in schema["$defs"])


def test_objects_are_closed_except_labels_and_the_reserved_key() -> None:
    schema = load_manifest_schema()
    open_objects = [
        pointer for pointer, obj in _objects(schema) if obj.get("additionalProperties") is not False
    ]
    assert open_objects == []
    labels = schema["properties"]["metadata"]["properties"]["labels"]
    assert labels["additionalProperties"] == {"type": "string"}
    assert "additionalProperties" not in schema["properties"]["_tdcheck"]


# The contract's tables (manifest-v1.md), object by object. Hard-coded on purpose: a field
# added to or dropped from the schema without the contract changing must fail here.
CONTRACT_FIELDS: dict[str, set[str]] = {
    "top": {"apiVersion", "kind", "metadata", "spec"},
    "metadata": {"name", "owner", "description", "labels"},
    "spec": {"workload", "model", "datasets", "locations", "stages", "transfers"},
    "model": {"name", "parameters_b", "est_gpu_hours"},
    "Dataset": {
        "id", "classifications", "classification_level", "fips199_impact",
        "dod_impact_level", "eccn", "requires_air_gap", "deidentification",
        "collected_directly",
    },
    "deidentification": {"method", "evidence_ref"},
    "Location": {
        "id", "kind", "operator", "provider", "region", "services", "country", "tenancy",
        "service_model", "air_gapped", "network", "hipaa_baa", "fedramp",
        "fedramp_moderate_equivalent", "dod_impact_level", "classified_accreditation",
        "personnel", "encryption_at_rest", "fips_140", "audit_logging", "access_control",
        "gdpr", "accelerators", "expected_utilization_pct", "infra_staff_fte", "pricing",
        "evidence",
    },
    "fedramp": {"level", "status"},
    "personnel": {"us_persons_only", "us_citizens_only", "clearance"},
    "access_control": {"unique_user_ids", "mfa"},
    "gdpr": {"dpf_certified"},
    "evidence": {"terraform", "resources"},  # evidence-v1.md
    "Stage": {"id", "type", "location", "inputs", "outputs"},
    "Transfer": {
        "id", "from", "to", "datasets", "channel", "encryption_in_transit",
        "approval_ref", "gdpr_mechanism", "tia_ref", "recurring",
    },
}  # fmt: skip

CONTRACT_REQUIRED: dict[str, set[str]] = {
    "top": {"apiVersion", "kind", "metadata", "spec"},
    "metadata": {"name"},
    "spec": {"datasets", "locations", "stages"},
    "Dataset": {"id", "classifications"},
    "Location": {"id", "kind", "country"},
    "evidence": {"terraform", "resources"},
    "Stage": {"id", "type", "location"},
    "Transfer": {"from", "to", "datasets", "channel"},
}


def _contract_objects(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    top = schema["properties"]
    location = schema["$defs"]["Location"]["properties"]
    return {
        "top": schema,
        "metadata": top["metadata"],
        "spec": top["spec"],
        "model": top["spec"]["properties"]["model"],
        "Dataset": schema["$defs"]["Dataset"],
        "deidentification": schema["$defs"]["Dataset"]["properties"]["deidentification"],
        "Location": schema["$defs"]["Location"],
        "fedramp": location["fedramp"],
        "personnel": location["personnel"],
        "access_control": location["access_control"],
        "gdpr": location["gdpr"],
        "evidence": location["evidence"]["items"],
        "Stage": schema["$defs"]["Stage"],
        "Transfer": schema["$defs"]["Transfer"],
    }


def test_schema_fields_match_the_contract_tables() -> None:
    schema = load_manifest_schema()
    objects = _contract_objects(schema)
    actual = {name: set(obj["properties"]) for name, obj in objects.items()}
    actual["top"] -= {"_tdcheck"}  # reserved for tdcheck itself, not a contract field
    assert actual == CONTRACT_FIELDS
    # No object with properties escaped the comparison above.
    assert len(list(_objects(schema))) == len(objects)
    required = {name: set(obj.get("required", ())) for name, obj in objects.items()}
    assert {k: v for k, v in required.items() if v} == CONTRACT_REQUIRED


def test_contract_enums_and_defaults() -> None:
    schema = load_manifest_schema()
    names = ("Dataset", "Location", "Stage", "Transfer")
    d, loc, stage, transfer = (schema["$defs"][name]["properties"] for name in names)
    assert loc["fips_140"]["enum"] == ["none", "140-2", "140-3"]
    assert loc["fips_140"]["default"] == "none"
    assert loc["country"]["pattern"] == "^[A-Z]{2}$"
    assert d["classifications"]["items"]["enum"] == [
        "public", "internal", "pii", "phi", "cui", "itar", "ear", "eu_personal"
    ]  # fmt: skip
    assert len(stage["type"]["enum"]) == 11
    # v1.1: `certified` (FedRAMP's 2026 name for an authorization) and direct collection.
    statuses = loc["fedramp"]["properties"]["status"]["enum"]
    assert statuses == ["authorized", "certified", "ready", "in_process"]
    assert d["collected_directly"]["type"] == "boolean"
    assert d["collected_directly"]["default"] is False
    assert d["classification_level"]["default"] == "unclassified"
    assert transfer["recurring"]["default"] is True
    assert stage["inputs"]["default"] == [] and stage["outputs"]["default"] == []
    assert loc["expected_utilization_pct"]["minimum"] == 0
    assert loc["expected_utilization_pct"]["maximum"] == 100
    assert loc["accelerators"] == {**loc["accelerators"], "type": "integer", "minimum": 0}
    # Defaults that depend on other fields cannot be a JSON Schema `default`: described only.
    described = [
        (loc["operator"], "on_premises"),
        (loc["tenancy"], "public_cloud"),
        (loc["network"], "air_gapped"),
        (transfer["id"], "<from>-><to>"),
    ]
    for prop, word in described:
        assert "default" not in prop
        assert word in prop["description"]


def test_schema_file_is_plain_json_with_no_machine_paths() -> None:
    text = (Path(__file__).parents[1] / "schemas" / "manifest.schema.json").read_text("utf-8")
    assert json.loads(text) == load_manifest_schema()
    assert "/home/" not in text and "/tmp/" not in text


# --- robustness ----------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_never_crashes_validation(value: object) -> None:
    errors = validate_document(Document("any.json", 0, value, {}))
    assert all(isinstance(e, InputError) and e.message and "\n" not in e.message for e in errors)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_corrupting_one_node_of_the_example_never_crashes(data: st.DataObject) -> None:
    doc = document(EXAMPLE_PATH.read_text(encoding="utf-8"))
    value = copy.deepcopy(doc.value)
    paths = sorted(p for p in doc.positions if p)
    path = data.draw(st.sampled_from(paths))
    parent = value
    for part in path[:-1]:
        parent = parent[part]
    replacement = data.draw(json_values)
    parent[path[-1]] = replacement
    errors = validate_document(Document(doc.source, 0, value, doc.positions))
    assert all(e.message and "\n" not in e.message for e in errors)
