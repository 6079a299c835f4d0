"""JSON loading: one document per file, strict values, positions, and limits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.loader import DEFAULT_LIMITS, Limits, LoadedSource, load_bytes, load_path


def load(tmp_path: Path, text: str, name: str = "m.json", limits: Limits = DEFAULT_LIMITS) -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_path(path, name, limits)


def only_error(loaded: LoadedSource) -> Any:
    assert loaded.documents == ()
    assert len(loaded.errors) == 1, [e.one_line() for e in loaded.errors]
    return loaded.errors[0]


def test_json_file_is_one_document_with_json_semantics(tmp_path: Path) -> None:
    loaded = load(tmp_path, '{"country": "NO", "mode": 755, "on": true, "n": null, "f": 1.5}')
    assert loaded.errors == ()
    assert len(loaded.documents) == 1
    doc = loaded.documents[0]
    assert (doc.index, doc.source) == (0, "m.json")
    assert doc.value == {"country": "NO", "mode": 755, "on": True, "n": None, "f": 1.5}


def test_json_is_chosen_by_extension_even_in_upper_case(tmp_path: Path) -> None:
    # YAML would accept the unquoted key; JSON must not.
    error = only_error(load(tmp_path, "{a: 1}", name="UPPER.JSON"))
    assert error.message.startswith("JSON syntax error: ")


def test_positions_of_nested_keys_and_items(tmp_path: Path) -> None:
    text = (
        '{\n  "spec": {\n    "stages": [\n      {"name": "a"},\n      7\n    ],\n'
        '    "esc\\"aped": "x"\n  }\n}\n'
    )
    doc = load(tmp_path, text).documents[0]
    assert doc.positions[()] == (1, 1)
    assert doc.positions[("spec",)] == (2, 11)
    assert doc.positions[("spec", "stages")] == (3, 15)
    assert doc.positions[("spec", "stages", 0)] == (4, 7)
    assert doc.positions[("spec", "stages", 0, "name")] == (4, 16)
    assert doc.positions[("spec", "stages", 1)] == (5, 7)
    assert doc.positions[("spec", 'esc"aped')] == (7, 18)


def test_positions_with_unicode_escapes_in_keys(tmp_path: Path) -> None:
    doc = load(tmp_path, '{"caf\\u00e9": [1, "\\u00e9", {"k": "v"}]}').documents[0]
    assert doc.value == {"café": [1, "é", {"k": "v"}]}
    assert doc.positions[("café", 2, "k")] == (1, 35)


def test_duplicate_keys_report_both_lines(tmp_path: Path) -> None:
    text = '{\n  "outer": {\n    "name": "a",\n    "name": "b"\n  }\n}\n'
    error = only_error(load(tmp_path, text))
    assert (error.span.line, error.span.column) == (4, 5)
    assert "duplicate key 'name' (first defined at line 3)" in error.message
    assert error.one_line().startswith("m.json:4:5: $.outer.name: duplicate key")


def test_same_key_in_sibling_objects_is_fine(tmp_path: Path) -> None:
    loaded = load(tmp_path, '[{"a": 1}, {"a": 2}]')
    assert loaded.errors == ()
    assert loaded.documents[0].value == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("literal", "column"), [("NaN", 11), ("Infinity", 11), ("-Infinity", 11), ("1e999", 11)]
)
def test_non_finite_numbers_are_rejected(tmp_path: Path, literal: str, column: int) -> None:
    error = only_error(load(tmp_path, f'{{"ok": 1,\n "ratio": {literal}}}'))
    assert (error.span.line, error.span.column) == (2, column)
    assert f"{literal} is not a finite number; JSON has no NaN/Infinity" in error.message
    assert error.json_path == "$.ratio"


def test_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, '{\n  "a": 1,\n  "b": \n}\n'))
    assert (error.span.line, error.span.column) == (4, 1)
    assert error.one_line() == "m.json:4:1: JSON syntax error: Expecting value"


def test_trailing_comma_is_a_syntax_error(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, '{"a": [1, 2,]}'))
    assert error.message.startswith("JSON syntax error")
    assert error.span.line == 1


def test_nesting_at_the_limit_is_accepted_and_beyond_it_rejected(tmp_path: Path) -> None:
    assert load(tmp_path, "[" * 64 + "]" * 64).errors == ()
    error = only_error(load(tmp_path, "[" * 65 + "]" * 65))
    assert (error.span.line, error.span.column) == (1, 65)
    assert error.message == "nesting is deeper than 64 levels"


def test_ten_thousand_deep_nesting_is_rejected_without_recursion_error(tmp_path: Path) -> None:
    for text in ("[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000):
        error = only_error(load(tmp_path, text))
        assert error.message == "nesting is deeper than 64 levels"
        assert error.span.line == 1


@pytest.mark.parametrize("text", ["", "   \n\t\n"])
def test_blank_file_has_no_documents_and_no_error(tmp_path: Path, text: str) -> None:
    loaded = load(tmp_path, text)
    assert loaded.documents == ()
    assert loaded.errors == ()


def test_two_values_are_not_two_documents(tmp_path: Path) -> None:
    error = only_error(load(tmp_path, '{"a": 1}\n{"b": 2}\n'))
    assert "Extra data" in error.message
    assert error.span.line == 2


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}')
    loaded = load_path(path, "bom.json")
    assert loaded.errors == ()
    assert loaded.documents[0].positions[("a",)] == (1, 7)


def test_huge_integer_is_an_input_error_not_a_crash() -> None:
    loaded = load_bytes(b"[" + b"9" * 5000 + b"]", "big.json")
    assert loaded.documents == ()
    assert len(loaded.errors) == 1


def test_non_utf8_json_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(b'{"a": "\xe9"}')
    error = only_error(load_path(path, "bad.json"))
    assert "not valid UTF-8" in error.message
    assert (error.span.line, error.span.column) == (1, 8)


_text = st.text(st.characters(codec="utf-8"))  # lone surrogates are not UTF-8
_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    # In the range the loader accepts (0, or 1e-300..1e300 in magnitude; limits.py).
    | st.floats(-1e300, 1e300).filter(lambda x: x == 0 or abs(x) >= 1e-300)
    | _text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_text, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(_values, st.sampled_from([None, 2]), st.booleans())
def test_any_json_round_trips_with_a_position_for_every_node(
    value: Any, indent: int | None, ascii_only: bool
) -> None:
    raw = json.dumps(value, indent=indent, ensure_ascii=ascii_only).encode("utf-8")
    loaded = load_bytes(raw, "p.json")
    assert loaded.errors == ()
    doc = loaded.documents[0]
    assert doc.value == value
    text = raw.decode("utf-8")
    lines = text.split("\n")
    for path, (line, column) in doc.positions.items():
        node = doc.value
        for part in path:
            node = node[part]
        # The recorded position is where that node's own JSON text starts.
        expected = json.dumps(node, indent=indent, ensure_ascii=ascii_only)
        first = expected.split("\n", 1)[0]
        assert lines[line - 1][column - 1 :].startswith(first.strip() if indent else first)
