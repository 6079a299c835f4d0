"""Control characters and line breaks from a manifest, through every registered renderer and
the audit report: escaped the way each format escapes, so nothing reaches a terminal or a CI
log raw, and no data starts a line (where a log showing the file would run `::error`)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from checker.report import RENDERERS
from tests.conftest import run_cli
from tests.hardening.test_hardening_escaping import MANIFEST

CONTROLS = "c\x1b[31mred\x07\x00\x08\x0b\x0c\x7f\x85\u2028\u2029\u202e\x9bz"
COMMAND = "n\n::error file=x::forged\r\n  ::warning::y ##[error]z"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Machine-readable formats keep the strings exactly (their own escaping is the parser's).
EXACT = {"json", "sarif"}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("controls")
    manifest = json.loads(json.dumps(MANIFEST))
    spec = manifest["spec"]
    spec["datasets"][0]["id"] = CONTROLS
    spec["stages"][0]["outputs"] = spec["stages"][1]["inputs"] = [CONTROLS]
    spec["locations"][0]["id"] = spec["stages"][0]["location"] = COMMAND
    path = root / "controls.json"
    path.write_text(json.dumps(manifest))
    texts = {}
    for fmt in RENDERERS:
        out = root / f"out.{fmt}"
        result = run_cli("check", "--engine", "embedded", "-f", fmt, "-o", str(out), str(path))
        assert result.code == 1, result.err
        texts[fmt] = out.read_text(encoding="utf-8")
    for suffix in ("html", "md"):
        out = root / f"report.{suffix}"
        assert run_cli("report", "--engine", "embedded", "-o", str(out), str(path)).code == 1
        texts[f"report.{suffix}"] = out.read_text(encoding="utf-8")
    return texts


def _names() -> list[str]:
    return [*sorted(RENDERERS), "report.html", "report.md"]


@pytest.mark.parametrize("name", _names())
def test_no_control_character_reaches_an_output_raw(outputs: dict[str, str], name: str) -> None:
    text = outputs[name]
    assert not RAW.findall(text), sorted({hex(ord(c)) for c in RAW.findall(text)})
    assert "\r" not in text


@pytest.mark.parametrize("name", _names())
def test_no_data_starts_a_line(outputs: dict[str, str], name: str) -> None:
    commands = [line for line in outputs[name].split("\n") if line.lstrip().startswith("::")]
    if name == "github":  # its own annotations, one per failing finding, none forged
        failing = [f for f in json.loads(outputs["json"])["findings"] if f["status"] == "fail"]
        assert len(commands) == len(failing)
        assert all(
            re.match(r"::(error|warning|notice) file=[^:]*controls\.json,", c) for c in commands
        )
    else:
        assert commands == []
    if name not in EXACT:
        assert "##[" not in outputs[name]


@pytest.mark.parametrize("name", sorted(EXACT))
def test_machine_readable_formats_keep_the_strings_exactly(
    outputs: dict[str, str], name: str
) -> None:
    text = json.dumps(json.loads(outputs[name]), ensure_ascii=False)
    assert json.dumps(CONTROLS, ensure_ascii=False)[1:-1] in text
    assert json.dumps(COMMAND, ensure_ascii=False)[1:-1] in text


def test_junit_stays_xml_and_shows_the_escapes(outputs: dict[str, str]) -> None:
    suites = ET.fromstring(outputs["junit"])
    strings = " ".join([*suites.itertext(), *(v for e in suites.iter() for v in e.attrib.values())])
    assert "\\x1b[31mred" in strings and "\\n::error" in strings


def test_html_shows_line_breaks_as_references(outputs: dict[str, str]) -> None:
    assert "n&#10;&#58;:error" in outputs["html"] or "n&#10;::error" in outputs["html"]
    assert "c\\x1b[31mred" in outputs["html"]
