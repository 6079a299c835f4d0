"""YAML loading: YAML 1.2 core-schema values, rejected constructs, limits, positions, errors."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.loader import DEFAULT_LIMITS, Limits, LoadedSource, load_bytes, load_path


def load(tmp_path: Path, text: str, name: str = "m.yaml", limits: Limits = DEFAULT_LIMITS) -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_path(path, name, limits)


def value_of(tmp_path: Path, text: str) -> Any:
    loaded = load(tmp_path, text)
    assert loaded.errors == (), [e.one_line() for e in loaded.errors]
    assert len(loaded.documents) == 1
    return loaded.documents[0].value


def messages(loaded: LoadedSource) -> list[str]:
    return [e.one_line() for e in loaded.errors]


def only_error(loaded: LoadedSource) -> Any:
    assert loaded.documents == ()
    assert len(loaded.errors) == 1, messages(loaded)
    return loaded.errors[0]


# -- YAML 1.2 core schema: nothing reinterpreted the YAML 1.1 way -------------------------------


def test_norway_and_other_yaml11_booleans_stay_strings(tmp_path: Path) -> None:
    text = "country: NO\na: no\nb: on\nc: yes\nd: y\ne: off\nf: Yes\ng: n\n"
    assert value_of(tmp_path, text) == {
        "country": "NO",
        "a": "no",
        "b": "on",
        "c": "yes",
        "d": "y",
        "e": "off",
        "f": "Yes",
        "g": "n",
    }


def test_core_schema_booleans_and_nulls(tmp_path: Path) -> None:
    text = "a: true\nb: False\nc: TRUE\nd: ~\ne: null\nf: NULL\ng:\n"
    assert value_of(tmp_path, text) == {
        "a": True,
        "b": False,
        "c": True,
        "d": None,
        "e": None,
        "f": None,
        "g": None,
    }


def test_leading_zero_is_decimal_and_only_0o_0x_prefixes_change_base(tmp_path: Path) -> None:
    text = "mode: 0755\noct: 0o17\nhex: 0x1F\nplus: +12\nneg: -0\nbin: 0b101\n"
    assert value_of(tmp_path, text) == {
        "mode": 755,
        "oct": 15,
        "hex": 31,
        "plus": 12,
        "neg": 0,
        "bin": "0b101",
    }


def test_floats(tmp_path: Path) -> None:
    value = value_of(tmp_path, "a: 1.5\nb: .5\nc: 1e3\nd: -2.5E-2\ne: 1.\n")
    assert value == {"a": 1.5, "b": 0.5, "c": 1000.0, "d": -0.025, "e": 1.0}
    assert all(isinstance(v, float) for v in value.values())


def test_sexagesimal_dates_and_timestamps_stay_strings(tmp_path: Path) -> None:
    text = "time: 1:20\nday: 2027-01-31\nstamp: 2027-01-31T10:00:00Z\nversion: 1.2.3\n"
    assert value_of(tmp_path, text) == {
        "time": "1:20",
        "day": "2027-01-31",
        "stamp": "2027-01-31T10:00:00Z",
        "version": "1.2.3",
    }


def test_quoted_scalars_are_always_strings(tmp_path: Path) -> None:
    text = "a: '123'\nb: \"true\"\nc: 'null'\nd: \"1.5\"\ne: ''\nf: |\n  42\n"
    assert value_of(tmp_path, text) == {
        "a": "123",
        "b": "true",
        "c": "null",
        "d": "1.5",
        "e": "",
        "f": "42\n",
    }


def test_plain_versus_quoted_same_text(tmp_path: Path) -> None:
    assert value_of(tmp_path, "[123, '123', true, 'true', ~, '~']") == [
        123,
        "123",
        True,
        "true",
        None,
        "~",
    ]


def test_standard_tags_are_applied(tmp_path: Path) -> None:
    text = 'a: !!str 123\nb: !!int "7"\nc: !!float 1\nd: !!bool "true"\ne: !!null ""\nf: ! 12\n'
    assert value_of(tmp_path, text) == {
        "a": "123",
        "b": 7,
        "c": 1.0,
        "d": True,
        "e": None,
        "f": "12",
    }


def test_standard_tag_with_wrong_value_is_an_error(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "a: 1\nb: !!int seven\n"))
    assert (error.span.line, error.span.column) == (2, 4)
    assert "!!int value 'seven' is not an integer" in error.message
    assert error.json_path == "$.b"


# -- rejected constructs ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1e999", "-1e999"])
def test_non_finite_numbers_are_rejected(tmp_path: Path, text: str) -> None:
    error = only_error(load(tmp_path, f"x: 1\nratio: {text}\n"))
    assert (error.span.line, error.span.column) == (2, 8)
    assert "not a finite number; JSON has no NaN/Infinity" in error.message


def test_quoted_nan_is_just_a_string(tmp_path: Path) -> None:
    assert value_of(tmp_path, "a: '.nan'\n") == {"a": ".nan"}


def test_python_object_tag_is_rejected_by_name(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "a: !!python/object/apply:os.system ['true']\n"))
    assert "!!python/object/apply:os.system" in error.message
    assert "not allowed" in error.message
    assert (error.span.line, error.span.column) == (1, 4)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!timestamp 2027-01-31\n", "!!timestamp"),
        ("a: !custom thing\n", "!custom"),
        ("a: !!set {x, y}\n", "!!set"),
        ("a: !!python/name:os.system\n", "!!python/name:os.system"),
    ],
)
def test_other_tags_are_rejected_by_name(tmp_path: Path, text: str, tag: str) -> None:
    error = only_error(load(tmp_path, text))
    assert f"tag {tag} is not allowed" in error.message


def test_duplicate_keys_report_both_lines(tmp_path: Path) -> None:
    text = "spec:\n  name: a\n  image: x\n  name: b\n"
    error = only_error(load(tmp_path, text))
    assert (error.span.line, error.span.column) == (4, 3)
    assert "duplicate key 'name' (first defined at line 2)" in error.message
    assert error.json_path == "$.spec.name"
    assert error.one_line().startswith("m.yaml:4:3: $.spec.name: duplicate key")


def test_same_key_in_different_mappings_is_fine(tmp_path: Path) -> None:
    assert value_of(tmp_path, "a: {x: 1}\nb: {x: 2}\n") == {"a": {"x": 1}, "b": {"x": 2}}


def test_every_duplicate_is_reported(tmp_path: Path) -> None:
    loaded = load(tmp_path, "a: 1\na: 2\nb: 1\nb: 2\n")
    assert [(e.span.line, e.message) for e in loaded.errors] == [
        (2, "duplicate key 'a' (first defined at line 1)"),
        (4, "duplicate key 'b' (first defined at line 3)"),
    ]


def test_merge_key_is_rejected(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n"))
    assert (error.span.line, error.span.column) == (3, 3)
    assert "merge keys" in error.message
    assert "write the keys out" in error.message


@pytest.mark.parametrize(
    ("key", "found"), [("1", "integer 1"), ("true", "boolean true"), ("~", "null"), ("1.5", "1.5")]
)
def test_non_string_keys_are_rejected(tmp_path: Path, key: str, found: str) -> None:
    error = only_error(load(tmp_path, f"ok: 1\n{key}: x\n"))
    assert (error.span.line, error.span.column) == (2, 1)
    assert "mapping key must be a string" in error.message
    assert found in error.message


def test_quoted_numeric_key_is_a_string(tmp_path: Path) -> None:
    assert value_of(tmp_path, "'1': x\n") == {"1": "x"}


def test_complex_key_is_rejected(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "? [a, b]\n: 1\n"))
    assert "mapping key must be a string, found a sequence" in error.message


# -- anchors, aliases and limits --------------------------------------------------------------


def test_aliases_share_the_anchored_value(tmp_path: Path) -> None:
    value = value_of(tmp_path, "base: &b {x: [1, 2]}\nfirst: *b\nsecond: *b\n")
    assert value["first"] == {"x": [1, 2]}
    assert value["first"] is value["base"] is value["second"]


def test_undefined_alias_is_an_error(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "a: *nowhere\n"))
    assert "*nowhere" in error.message


def test_recursive_alias_is_an_error(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "a: &loop [1, *loop]\n"))
    assert "*loop" in error.message
    assert "inside the node it refers to" in error.message


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, levels):
        aliases = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_rejected_quickly(tmp_path: Path) -> None:
    started = time.perf_counter()
    loaded = load(tmp_path, billion_laughs())
    elapsed = time.perf_counter() - started
    error = only_error(loaded)
    assert "alias expansion exceeds 200000 nodes (possible alias bomb)" in error.message
    assert elapsed < 1.0


def test_node_limit_is_configurable(tmp_path: Path) -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
    assert load(tmp_path, text, limits=Limits(max_nodes=100)).errors == ()
    # 8 nodes before the aliases, 4 per alias: the second alias crosses 12.
    error = only_error(load(tmp_path, text, limits=Limits(max_nodes=12)))
    assert (error.span.line, error.span.column) == (2, 9)
    assert "exceeds 12 nodes" in error.message


def test_nesting_at_the_limit_is_accepted_and_beyond_it_rejected(tmp_path: Path) -> None:
    at_limit = "[" * 64 + "]" * 64
    assert load(tmp_path, at_limit).errors == ()
    error = only_error(load(tmp_path, "[" * 65 + "]" * 65))
    assert "nesting is deeper than 64 levels" in error.message
    assert (error.span.line, error.span.column) == (1, 65)


def test_ten_thousand_deep_flow_nesting_is_rejected_without_recursion(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "[" * 10_000 + "]" * 10_000))
    assert "nesting is deeper than 64 levels" in error.message


def test_deep_block_nesting_is_rejected(tmp_path: Path) -> None:
    text = "".join("  " * i + "k:\n" for i in range(300))
    error = only_error(load(tmp_path, text))
    assert "nesting is deeper than 64 levels" in error.message
    assert error.span.line == 65


def test_aliases_cannot_smuggle_nesting_past_the_limit(tmp_path: Path) -> None:
    limits = Limits(max_depth=5)
    text = "a: &d [[[1]]]\nb: [[*d]]\n"  # b nests 2 + 3 + the root mapping = 6 levels
    error = only_error(load(tmp_path, text, limits=limits))
    assert "nesting is deeper than 5 levels (through alias *d)" in error.message
    assert load(tmp_path, "a: &d [[[1]]]\nb: [*d]\n", limits=limits).errors == ()


# -- positions ------------------------------------------------------------------------------


def test_positions_in_block_style(tmp_path: Path) -> None:
    text = "spec:\n  stages:\n    - name: a\n      size: 3\n    -   name: b\n  empty:\n"
    doc = load(tmp_path, text).documents[0]
    assert doc.positions[()] == (1, 1)
    assert doc.positions[("spec",)] == (2, 3)
    assert doc.positions[("spec", "stages")] == (3, 5)
    assert doc.positions[("spec", "stages", 0)] == (3, 7)
    assert doc.positions[("spec", "stages", 0, "name")] == (3, 13)
    assert doc.positions[("spec", "stages", 0, "size")] == (4, 13)
    assert doc.positions[("spec", "stages", 1, "name")] == (5, 15)
    assert doc.positions[("spec", "empty")] == (6, 3)  # null value: the key's position


def test_positions_in_flow_style(tmp_path: Path) -> None:
    doc = load(tmp_path, "root: {a: [10, {b: x}], c: 'y'}\n").documents[0]
    assert doc.positions[("root",)] == (1, 7)
    assert doc.positions[("root", "a")] == (1, 11)
    assert doc.positions[("root", "a", 0)] == (1, 12)
    assert doc.positions[("root", "a", 1)] == (1, 16)
    assert doc.positions[("root", "a", 1, "b")] == (1, 20)
    assert doc.positions[("root", "c")] == (1, 28)


def test_positions_of_aliased_content_fall_back_to_the_alias(tmp_path: Path) -> None:
    doc = load(tmp_path, "a: &x {k: 1}\nb: *x\n").documents[0]
    assert doc.locate(("b", "k")) == (2, 4)


# -- streams ----------------------------------------------------------------------------------


def test_multi_document_stream_has_per_document_indices_and_positions(tmp_path: Path) -> None:
    loaded = load(tmp_path, "a: 1\n---\nb: 2\n---\n- c\n")
    assert [(d.index, d.value) for d in loaded.documents] == [
        (0, {"a": 1}),
        (1, {"b": 2}),
        (2, ["c"]),
    ]
    assert loaded.documents[1].positions[("b",)] == (3, 4)
    assert loaded.documents[2].positions[(0,)] == (5, 3)
    assert all(d.source == "m.yaml" for d in loaded.documents)


def test_syntax_error_in_third_document_keeps_the_first_two(tmp_path: Path) -> None:
    text = "a: 1\n---\nb: 2\n---\nc: [1, 2\nd: 3\n---\ne: 5\n"
    loaded = load(tmp_path, text)
    assert [(d.index, d.value) for d in loaded.documents] == [(0, {"a": 1}), (1, {"b": 2})]
    assert len(loaded.errors) == 1
    error = loaded.errors[0]
    assert error.message.startswith("YAML syntax error: ")
    assert error.span.line == 6


def test_semantic_error_drops_only_its_own_document(tmp_path: Path) -> None:
    loaded = load(tmp_path, "a: 1\n---\nb: 1\nb: 2\n---\nc: 3\n")
    assert [d.index for d in loaded.documents] == [0, 2]
    assert messages(loaded) == ["m.yaml:4:1: $.b: duplicate key 'b' (first defined at line 3)"]


def test_syntax_error_message_is_one_line_at_the_problem(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "a: b: c\n"))
    assert error.one_line().startswith("m.yaml:1:5: YAML syntax error: mapping values are not")
    assert "\n" not in error.one_line()


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# just a comment\n# another\n", "---\n"])
def test_empty_or_comment_only_file_has_no_documents_and_no_error(
    tmp_path: Path, text: str
) -> None:
    loaded = load(tmp_path, text)
    assert loaded.documents == ()
    assert loaded.errors == ()


def test_explicit_null_document_is_kept(tmp_path: Path) -> None:
    loaded = load(tmp_path, "null\n")
    assert [d.value for d in loaded.documents] == [None]


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    loaded = load_path(path, "bom.yaml")
    assert loaded.errors == ()
    assert loaded.documents[0].value == {"a": 1}
    assert loaded.documents[0].positions[("a",)] == (1, 4)


def test_stdin_name_is_parsed_as_yaml(tmp_path: Path) -> None:
    loaded = load_bytes(b'{"a": 1, "b": NO}', "-")
    assert loaded.documents[0].value == {"a": 1, "b": "NO"}


def test_control_character_is_reported_with_position(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, "a: 1\nb: x\x01y\n"))
    assert (error.span.line, error.span.column) == (2, 5)
    assert "#x01" in error.message


def test_sha256_is_of_the_raw_bytes(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbfa: 1\r\n"
    path = tmp_path / "h.yaml"
    path.write_bytes(raw)
    assert load_path(path, "h.yaml").sha256 == hashlib.sha256(raw).hexdigest()


def test_error_flood_is_capped(tmp_path: Path) -> None:
    text = "".join(f"k: {i}\n" for i in range(100))
    loaded = load(tmp_path, text)
    assert 10 <= len(loaded.errors) <= 25
    assert "stopped after" in loaded.errors[-1].message


# -- reading files ----------------------------------------------------------------------------


def test_non_utf8_file_is_reported_with_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: ok\ncity: Zürich\n".encode("latin-1"))
    error = only_error(load_path(path, "latin1.yaml"))
    assert "not valid UTF-8" in error.message
    assert "0xfc" in error.message
    assert (error.span.line, error.span.column) == (2, 8)


def test_nul_byte_file_is_reported_as_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.yaml"
    path.write_bytes(b"a: 1\n\x00\x01\x02")
    error = only_error(load_path(path, "blob.yaml"))
    assert "binary content" in error.message
    assert error.span.line == 2


def test_utf16_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "wide.yaml"
    path.write_bytes("a: 1\n".encode("utf-16"))
    assert "UTF-16" in only_error(load_path(path, "wide.yaml")).message


def test_oversize_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    error = only_error(load_path(path, "big.yaml", Limits(max_bytes=100)))
    assert "larger than the limit of 100 bytes" in error.message
    assert error.one_line().startswith("big.yaml: ")
    assert load_path(path, "big.yaml", Limits(max_bytes=1000)).errors == ()


def test_oversize_bytes_are_refused() -> None:
    error = only_error(load_bytes(b"a: 1\n" * 50, "-", Limits(max_bytes=10)))
    assert "larger than the limit of 10 bytes" in error.message


def test_unreadable_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read a mode-000 file")
        error = only_error(load_path(path, "secret.yaml"))
        assert "permission denied" in error.message
    finally:
        path.chmod(0o644)


def test_permission_denied_message_without_relying_on_file_modes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI runs as root, where mode 000 does not stop a read: simulate the refusal instead.
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n", encoding="utf-8")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    error = only_error(load_path(path, "secret.yaml"))
    assert error.one_line() == "secret.yaml: cannot read: permission denied"


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    error = only_error(load_path(tmp_path / "gone.yaml", "gone.yaml"))
    assert error.one_line() == "gone.yaml: no such file or directory"


def test_directory_is_an_input_error(tmp_path: Path) -> None:
    error = only_error(load_path(tmp_path, "somedir"))
    assert "is a directory" in error.message


# -- JSON text is YAML: the same values through both loaders ------------------------------------

# json.dumps escapes astral characters as UTF-16 surrogate pairs, which YAML does not accept.
_chars = st.characters(max_codepoint=0xFFFF, codec="utf-8")
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    # In the range the loader accepts (0, or 1e-300..1e300 in magnitude; limits.py).
    | st.floats(-1e300, 1e300).filter(lambda x: x == 0 or abs(x) >= 1e-300)
    | st.text(_chars, max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(_chars, max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(_json_values)
def test_json_text_loads_to_the_same_value_as_yaml_and_json(value: Any) -> None:
    raw = json.dumps(value).encode("utf-8")
    as_yaml = load_bytes(raw, "v.yaml")
    as_json = load_bytes(raw, "v.json")
    assert as_yaml.errors == () and as_json.errors == ()
    assert as_yaml.documents[0].value == value
    assert as_json.documents[0].value == value
    # Every node has a position in both formats.
    for doc in (as_yaml.documents[0], as_json.documents[0]):
        assert set(_paths(value)) <= set(doc.positions)


def _paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += _paths(child, (*prefix, index))
    return out


def test_aliases_count_at_their_expanded_size_in_bytes(tmp_path: Path) -> None:
    """2,000 aliases to one 1 MB scalar: few nodes, 2 GB once serialised for the engine."""
    lines = ["kind: TrainingDeployment", f"big: &big {'x' * (1 << 20)}", "copies:"]
    lines += ["  - *big"] * 2000
    started = time.perf_counter()
    loaded = load(tmp_path, "\n".join(lines) + "\n")
    error = only_error(loaded)
    # The anchored scalar is 1 MiB, each copy another: the 15th copy passes 16 MiB.
    assert (error.span.line, error.json_path) == (4 + 14, "$.copies[14]")
    assert "alias *big expands the document past 16 MiB" in error.message
    assert time.perf_counter() - started < 5.0


def test_the_expansion_limit_is_configurable_and_counts_collections(tmp_path: Path) -> None:
    text = "a: &a {k: '" + "y" * 1000 + "'}\nb: [*a, *a, *a]\n"
    assert not load(tmp_path, text, limits=Limits(max_expanded_bytes=8000)).errors
    error = only_error(load(tmp_path, text, limits=Limits(max_expanded_bytes=3000)))
    assert error.span.line == 2 and "alias *a expands" in error.message
