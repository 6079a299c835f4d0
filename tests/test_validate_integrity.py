"""The contract's integrity rules: ids, references, single writers, acyclic stages."""

from __future__ import annotations

import graphlib
import itertools
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.errors import InputError
from checker.loader.document import Document, JsonPath
from checker.validate import duplicate_names, integrity_errors, validate_document

EXAMPLE_PATH = Path(__file__).parent / "data" / "example-manifest.yaml"

# A valid manifest with more structure than the example: a diamond of stages, a storage
# stage, several transfers (one defaulted id per location pair) and every list in use.
COMPLEX = """\
apiVersion: tdcheck/v1
kind: TrainingDeployment
metadata:
  name: clinical-notes-llm
spec:
  workload: fine_tuning
  datasets:
    - id: notes
      classifications: [phi, pii]
    - id: notes-deid
      classifications: [internal]
      deidentification: {method: safe_harbor, evidence_ref: DOC-17}
    - id: vocab
      classifications: [public]
    - id: corpus
      classifications: [internal]
    - id: model
      classifications: [internal]
    - id: ckpt
      classifications: [internal]
  locations:
    - id: hospital
      kind: on_premises
      country: US
    - id: gov
      kind: government_cloud
      country: US
      fedramp: {level: high, status: authorized}
    - id: lab
      kind: colocation
      country: US
  stages:
    - {id: ingest, type: ingestion, location: hospital, outputs: [notes]}
    - {id: deid, type: deidentification, location: hospital, inputs: [notes], outputs: [notes-deid]}
    - {id: vocab, type: preprocessing, location: lab, outputs: [vocab]}
    - id: build
      type: preprocessing
      location: gov
      inputs: [notes-deid, vocab]
      outputs: [corpus]
    - {id: train, type: fine_tuning, location: gov, inputs: [corpus], outputs: [model, ckpt]}
    - {id: store, type: checkpointing, location: gov, inputs: [ckpt]}
    - {id: eval, type: evaluation, location: lab, inputs: [model, vocab]}
  transfers:
    - {from: hospital, to: gov, datasets: [notes-deid], channel: private_link}
    - {from: lab, to: gov, datasets: [vocab], channel: vpn}
    - {id: model-out, from: gov, to: lab, datasets: [model], channel: vpn}
    - {id: vocab-back, from: lab, to: gov, datasets: [vocab], channel: vpn, recurring: false}
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


def edit(old: str, new: str, text: str = COMPLEX) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def errors_of(text: str) -> list[tuple[str, str]]:
    doc = document(text)
    # Every case below must be schema-valid: integrity rules only ever see such documents.
    assert [e.one_line() for e in validate_document(doc)] == [
        e.one_line() for e in integrity_errors(doc)
    ]
    return [(e.json_path, e.message) for e in integrity_errors(doc)]


def only_error(text: str) -> InputError:
    errors = integrity_errors(document(text))
    assert len(errors) == 1, [e.one_line() for e in errors]
    return errors[0]


# --- valid input ---------------------------------------------------------------------------


def test_shared_example_has_no_integrity_errors() -> None:
    assert integrity_errors(document(EXAMPLE_PATH.read_text(encoding="utf-8"))) == ()


def test_complex_valid_manifest_passes() -> None:
    assert validate_document(document(COMPLEX)) == ()


# --- unique ids ----------------------------------------------------------------------------


def test_duplicate_dataset_id_is_reported_at_the_second_one() -> None:
    text = edit("  locations:", "    - id: notes\n      classifications: [public]\n  locations:")
    error = only_error(text)
    first = line_of(text, "- id: notes")
    assert error.json_path == "$.spec.datasets[6].id"
    assert error.message == (
        f"duplicate dataset id 'notes': already used at $.spec.datasets[0].id (line {first})"
    )
    assert (error.span.line, error.span.column) == (line_of(text, "locations:") - 2, 11)


def test_duplicate_location_id() -> None:
    text = edit("- id: lab\n      kind: colocation", "- id: gov\n      kind: colocation")
    errors = integrity_errors(document(text))
    first_gov = line_of(text, "- id: gov")
    assert errors[0].json_path == "$.spec.locations[2].id"
    assert errors[0].message == (
        f"duplicate location id 'gov': already used at $.spec.locations[1].id (line {first_gov})"
    )
    assert errors[0].span.line == line_of(text, "kind: colocation") - 1


def test_duplicate_stage_id() -> None:
    text = edit("{id: store, type: checkpointing", "{id: train, type: checkpointing")
    error = only_error(text)
    assert error.json_path == "$.spec.stages[5].id"
    assert error.message.startswith(
        "duplicate stage id 'train': already used at $.spec.stages[4].id"
    )
    assert (error.span.line, error.span.column) == (line_of(text, "checkpointing"), 12)


def test_duplicate_explicit_transfer_id() -> None:
    error = only_error(edit("id: vocab-back", "id: model-out"))
    assert error.json_path == "$.spec.transfers[3].id"
    assert error.message.startswith(
        "duplicate transfer id 'model-out': already used at $.spec.transfers[2].id"
    )


def test_two_transfers_with_defaulted_ids_between_the_same_locations_collide() -> None:
    text = edit("{id: vocab-back, from: lab", "{from: lab")
    error = only_error(text)
    assert error.json_path == "$.spec.transfers[3]"
    first = line_of(text, "from: lab, to: gov")
    assert error.message == (
        "duplicate transfer id 'lab->gov' (the default '<from>-><to>'): already used at "
        f"$.spec.transfers[1] (line {first}); give one of them an explicit id"
    )
    assert error.span.line == line_of(text, "recurring: false")


def test_explicit_transfer_id_can_collide_with_a_defaulted_one() -> None:
    error = only_error(edit("id: model-out", "id: hospital->gov"))
    assert error.json_path == "$.spec.transfers[2].id"
    assert error.message.startswith(
        "duplicate transfer id 'hospital->gov': already used at $.spec.transfers[0] "
    )


# --- references ----------------------------------------------------------------------------


def test_stage_location_must_be_declared_with_suggestion() -> None:
    text = edit("location: hospital, outputs: [notes]}", "location: hospitl, outputs: [notes]}")
    error = only_error(text)
    assert error.json_path == "$.spec.stages[0].location"
    assert error.message == "unknown location 'hospitl' (did you mean 'hospital'?)"
    line = line_of(text, "hospitl")
    assert (error.span.line, error.span.column) == (
        line,
        text.splitlines()[line - 1].index("hospitl") + 1,
    )


def test_unknown_location_without_a_close_match_lists_the_declared_ones() -> None:
    error = only_error(edit("location: lab, outputs: [vocab]", "location: mars, outputs: [vocab]"))
    assert error.message == "unknown location 'mars' (declared locations: hospital, gov, lab)"


def test_transfer_from_and_to_must_be_declared() -> None:
    errors = errors_of(edit("{from: hospital, to: gov,", "{from: hosp, to: govv,"))
    assert errors == [
        ("$.spec.transfers[0].from", "unknown location 'hosp' (did you mean 'hospital'?)"),
        ("$.spec.transfers[0].to", "unknown location 'govv' (did you mean 'gov'?)"),
    ]


def test_stage_input_must_name_a_dataset_at_its_exact_position() -> None:
    text = edit("inputs: [notes-deid, vocab]", "inputs: [notes-deid, vocabulary]")
    error = only_error(text)
    assert error.json_path == "$.spec.stages[3].inputs[1]"
    assert error.message == "unknown dataset 'vocabulary' (did you mean 'vocab'?)"
    assert (error.span.line, error.span.column) == (
        line_of(text, "vocabulary"),
        text.splitlines()[line_of(text, "vocabulary") - 1].index("vocabulary") + 1,
    )


def test_stage_output_must_name_a_dataset() -> None:
    error = only_error(edit("outputs: [model, ckpt]", "outputs: [model, chkpt]"))
    assert (error.json_path, error.message) == (
        "$.spec.stages[4].outputs[1]",
        "unknown dataset 'chkpt' (did you mean 'ckpt'?)",
    )


def test_transfer_datasets_must_name_datasets() -> None:
    error = only_error(edit("datasets: [model], channel: vpn", "datasets: [weights], channel: vpn"))
    assert error.json_path == "$.spec.transfers[2].datasets[0]"
    assert error.message.startswith(
        "unknown dataset 'weights' (declared datasets: notes, notes-deid"
    )


# --- single writer, acyclic stage graph ----------------------------------------------------


def test_a_dataset_is_written_by_at_most_one_stage() -> None:
    text = edit(
        "location: hospital, outputs: [notes]}", "location: hospital, outputs: [notes, vocab]}"
    )
    error = only_error(text)
    assert error.json_path == "$.spec.stages[2].outputs[0]"
    assert error.message == (
        f"dataset 'vocab' is already written by stage 'ingest' at $.spec.stages[0] "
        f"(line {line_of(text, '{id: ingest')}); a dataset is written by at most one stage"
    )
    assert error.span.line == line_of(text, "{id: vocab")


def test_listing_an_output_twice_in_one_stage_is_not_two_writers() -> None:
    assert errors_of(edit("outputs: [model, ckpt]", "outputs: [model, ckpt, model]")) == []


def test_two_stage_cycle_is_reported_at_its_first_stage() -> None:
    # eval writes `feedback`, which train reads: train -> eval -> train.
    text = edit("inputs: [corpus], outputs:", "inputs: [corpus, feedback], outputs:")
    text = edit("inputs: [model, vocab]}", "inputs: [model, vocab], outputs: [feedback]}", text)
    text = edit(
        "  locations:", "    - id: feedback\n      classifications: [internal]\n  locations:", text
    )
    error = only_error(text)
    assert error.json_path == "$.spec.stages[4]"
    assert error.message == (
        "cycle in the stage graph: stage train -> eval -> train (via datasets 'model', 'feedback')"
    )
    assert error.span.line == line_of(text, "{id: train")


def test_longer_cycle_starts_at_the_earliest_declared_stage() -> None:
    text = edit("location: hospital, outputs:", "location: hospital, inputs: [model], outputs:")
    error = only_error(text)
    assert error.json_path == "$.spec.stages[0]"
    assert error.message == (
        "cycle in the stage graph: stage ingest -> deid -> build -> train -> ingest "
        "(via datasets 'notes', 'notes-deid', 'corpus', 'model')"
    )


def test_stage_reading_its_own_output_is_a_cycle() -> None:
    text = edit(
        "location: lab, outputs: [vocab]}", "location: lab, inputs: [vocab], outputs: [vocab]}"
    )
    assert errors_of(text) == [
        (
            "$.spec.stages[2]",
            "cycle in the stage graph: stage vocab -> vocab (via datasets 'vocab')",
        )
    ]


def test_each_independent_cycle_is_reported_once() -> None:
    text = edit("outputs: [notes]}", "inputs: [notes-deid], outputs: [notes]}")
    text = edit("inputs: [ckpt]}", "inputs: [ckpt], outputs: [vocab]}", text)
    text = edit("location: lab, outputs: [vocab]}", "location: lab}", text)
    # ingest <-> deid, and store -> build -> train -> store
    ingest_deid = (
        "cycle in the stage graph: stage ingest -> deid -> ingest "
        "(via datasets 'notes', 'notes-deid')"
    )
    build_train_store = (
        "cycle in the stage graph: stage build -> train -> store -> build "
        "(via datasets 'corpus', 'ckpt', 'vocab')"
    )
    assert errors_of(text) == [
        ("$.spec.stages[0]", ingest_deid),
        ("$.spec.stages[3]", build_train_store),
    ]


def test_transfer_must_not_go_from_a_location_to_itself() -> None:
    text = edit("{id: model-out, from: gov, to: lab,", "{id: model-out, from: gov, to: gov,")
    error = only_error(text)
    assert error.json_path == "$.spec.transfers[2].to"
    assert (
        error.message
        == "transfer from 'gov' to itself: 'from' and 'to' must name different locations"
    )


# --- what one dataset may declare (v1.1) ---------------------------------------------------


def test_itar_and_class_ear_on_one_dataset_is_an_error_at_the_ear_entry() -> None:
    text = edit("classifications: [phi, pii]", "classifications: [itar, pii, ear]")
    error = only_error(text)
    assert error.json_path == "$.spec.datasets[0].classifications[2]"
    assert error.span.line == line_of(text, "[itar, pii, ear]")
    assert "'notes' declares both itar and EAR control (class ear)" in error.message
    assert "15 CFR 734.3(b)(1)(i)" in error.message
    assert "\n" not in error.message


def test_itar_with_a_controlling_eccn_is_an_error_at_the_eccn() -> None:
    text = edit("classifications: [phi, pii]", "classifications: [itar]\n      eccn: 5d002")
    error = only_error(text)
    assert error.json_path == "$.spec.datasets[0].eccn"
    assert error.span.line == line_of(text, "eccn: 5d002")
    assert "(eccn '5d002')" in error.message


def test_itar_with_ear99_in_any_case_is_valid() -> None:
    for eccn in ("EAR99", "ear99"):
        text = edit("classifications: [phi, pii]", f"classifications: [itar]\n      eccn: {eccn}")
        assert errors_of(text) == []


def test_ear_without_itar_and_derived_data_carrying_both_are_valid() -> None:
    # notes is ITAR, vocab EAR: corpus (written from both) carries both through lineage.
    text = edit("classifications: [phi, pii]", "classifications: [itar]")
    text = edit(
        "- id: vocab\n      classifications: [public]",
        "- id: vocab\n      classifications: [ear]\n      eccn: '3E001'",
        text,
    )
    assert errors_of(text) == []


def test_collected_directly_on_a_written_dataset_is_an_error_naming_its_writer() -> None:
    text = edit(
        "- id: corpus\n      classifications: [internal]",
        "- id: corpus\n      classifications: [internal]\n      collected_directly: true",
    )
    error = only_error(text)
    assert error.json_path == "$.spec.datasets[3].collected_directly"
    assert error.span.line == line_of(text, "collected_directly: true")
    assert "'corpus' is written by stage 'build'" in error.message
    assert "only on a source dataset" in error.message


def test_collected_directly_on_a_source_dataset_or_false_anywhere_is_valid() -> None:
    # notes is written by ingest; a source dataset is one no stage writes.
    text = edit(
        "- id: corpus\n      classifications: [internal]",
        "- id: corpus\n      classifications: [internal]\n      collected_directly: false",
    )
    assert errors_of(text) == []
    text = edit("outputs: [notes]}", "outputs: []}")
    text = edit(
        "classifications: [phi, pii]",
        "classifications: [phi, pii]\n      collected_directly: true",
        text,
    )
    assert errors_of(text) == []


def test_errors_come_in_source_order() -> None:
    text = edit("outputs: [model, ckpt]", "outputs: [model, chkpt]")
    text = edit(
        "location: hospital, outputs: [notes]}", "location: hospitl, outputs: [notes]}", text
    )
    text = edit("{from: lab, to: gov,", "{from: lab, to: lab,", text)
    errors = integrity_errors(document(text))
    assert [e.json_path for e in errors] == [
        "$.spec.stages[0].location",
        "$.spec.stages[4].outputs[1]",
        "$.spec.transfers[1].to",
    ]
    assert all(e.span.file == "m.yaml" and e.span.line > 0 for e in errors)


# --- metadata.name across a run ------------------------------------------------------------


def test_duplicate_names_flags_later_uses_naming_the_first() -> None:
    first = document(COMPLEX, "a.yaml")
    other = document(edit("name: clinical-notes-llm", "name: something-else"), "b.yaml")
    second = document("# leading comment\n" + COMPLEX, "c.yaml")
    third = document(COMPLEX, "d.yaml")
    errors = duplicate_names([first, other, second, third])
    rest = "duplicate deployment name 'clinical-notes-llm': already used at a.yaml:4"
    rest += " (metadata.name must be unique across a run)"
    assert [e.one_line() for e in errors] == [
        f"c.yaml:5:9: $.metadata.name: {rest}",
        f"d.yaml:4:9: $.metadata.name: {rest}",
    ]


def test_duplicate_names_ignores_distinct_and_nameless_documents() -> None:
    a = document(COMPLEX, "a.yaml")
    b = document(edit("name: clinical-notes-llm", "name: other"), "b.yaml")
    broken = Document("c.yaml", 0, {"metadata": {"name": 7}}, {})
    not_a_mapping = Document("d.yaml", 0, ["x"], {})
    assert duplicate_names([a, b, broken, not_a_mapping]) == ()


# --- the cycle rule against an independent oracle ------------------------------------------

stage_graphs = st.lists(
    st.tuples(
        st.lists(st.sampled_from("abcdef"), max_size=3),  # inputs
        st.lists(st.sampled_from("abcdef"), max_size=2, unique=True),  # outputs
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=300)
@given(stage_graphs)
def test_cycle_reported_exactly_when_the_stage_graph_is_cyclic(
    shape: list[tuple[list[str], list[str]]],
) -> None:
    value = {
        "apiVersion": "tdcheck/v1",
        "kind": "TrainingDeployment",
        "metadata": {"name": "prop"},
        "spec": {
            "datasets": [{"id": d, "classifications": ["public"]} for d in "abcdef"],
            "locations": [{"id": "here", "kind": "on_premises", "country": "US"}],
            "stages": [
                {
                    "id": f"s{i}",
                    "type": "training",
                    "location": "here",
                    "inputs": ins,
                    "outputs": outs,
                }
                for i, (ins, outs) in enumerate(shape)
            ],
        },
    }
    doc = Document("p.json", 0, value, {})
    assert [e.one_line() for e in validate_document(doc)] == [
        e.one_line() for e in integrity_errors(doc)
    ]
    cycles = [e for e in integrity_errors(doc) if e.message.startswith("cycle in the stage graph")]

    # Independent oracle: graphlib's topological sort over "A writes what B reads".
    predecessors = {
        f"s{k}": {f"s{i}" for i, (_, outs) in enumerate(shape) if set(outs) & set(ins)}
        for k, (ins, _) in enumerate(shape)
    }
    try:
        tuple(graphlib.TopologicalSorter(predecessors).static_order())
        cyclic = False
    except graphlib.CycleError:
        cyclic = True
    assert bool(cycles) == cyclic

    for error in cycles:
        chain = error.message.split("graph: stage ", 1)[1].split(" (via", 1)[0].split(" -> ")
        assert chain[0] == chain[-1]
        assert error.json_path == f"$.spec.stages[{chain[0][1:]}]"
        for a, b in itertools.pairwise(chain):
            assert a in predecessors[b], f"{a} -> {b} is not an edge"
