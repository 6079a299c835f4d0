"""Hostile strings in every plain-text output: one finding per line, nothing for a terminal or
a GitHub Actions log to act on, nothing dropped; and advise's Markdown keeps its table.

The manifest is the one of test_hardening_escaping.py (LF, CR, `::error file=z::forged`,
HTML, `|`), in a file whose name starts with `::`, and with a stage id that starts with
blanks and `::` and carries ESC sequences (a clear-screen, an OSC 8 link), a C1 CSI, a line
separator, a right-to-left override and a legacy `##[error]` command: the runner reads a
line that starts with `::` after blanks as a workflow command, and `##[name]` anywhere.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from checker import cli, errors, model
from checker.advise.render import text as advise_text
from checker.report import text as text_report
from checker.textsafe import inline
from tests.conftest import FIXTURES, run_cli
from tests.hardening.test_hardening_escaping import (
    IMG,
    LOC_A,
    LOC_B,
    MANIFEST,
    MARKDOWN_TAGS,
    SCRIPT,
    STAGE_B,
    WAIVERS,
    Page,
    assert_inert,
    cells,
)

# A stage id: blanks and `::` first (it starts lines of the advise matrix), then terminal
# sequences, a C1 CSI, a line separator, a right-to-left override and a legacy command.
STAGE_A = "  ::error file=z::forged \x1b]8;;http://x\x07a\x1b[2J\x9b31m\u2028\u202eb ##[error]x"
# Everything a terminal or log may act on; `\n` ends the renderer's own lines and is allowed.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[\d+m")  # the colours the text renderer writes itself
MANIFEST_NAME = "::error file=z::forged.json"
ADVISED = FIXTURES / "violations" / "healthcare-phi-on-premises.yaml"


def hostile_manifest() -> str:
    manifest = copy.deepcopy(MANIFEST)
    manifest["spec"]["stages"][0]["id"] = STAGE_A  # was IMG, which LOC_B still holds
    return json.dumps(manifest)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The hostile manifest under a relative name that starts a line of the text report."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / MANIFEST_NAME).write_text(hostile_manifest())
    (tmp_path / "waivers.json").write_text(json.dumps(WAIVERS))
    return tmp_path


COMMON = ("--engine", "embedded", "--as-of", "2026-06-01", "--waivers", "waivers.json")


def assert_plain(text: str) -> None:
    """No control character, separator or override, and no workflow command, on any line."""
    assert not UNSAFE.findall(text)
    assert "##[" not in text
    for line in text.split("\n"):
        assert not line.lstrip().startswith("::"), line


@pytest.mark.parametrize("text", ["", "stage train at eu-gpu", "C:\\data\\m.yaml", "a::b", "é"])
def test_ordinary_strings_are_left_as_they_are(text: str) -> None:
    assert inline(text) is text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("x\ny\r::error file=z::forged", "x\\ny\\r::error file=z::forged"),
        ("::error::x", "\\x3a:error::x"),
        (" \u00a0::warning::x", " \u00a0\\x3a:warning::x"),
        ("\t::x", "\\t::x"),
        ("a ##[error]b", "a ##\\x5berror]b"),
        ("\x1b[2J\x9b\x00\x7f", "\\x1b[2J\\x9b\\x00\\x7f"),
        ("\u2028\u202e\u2066", "\\u2028\\u202e\\u2066"),
    ],
)
def test_hostile_characters_are_shown_as_escapes(text: str, shown: str) -> None:
    assert inline(text) == shown


def unescape(text: str) -> str:
    return re.sub(
        r"\\(n|r|t|x[0-9a-f]{2}|u[0-9a-f]{4})",
        lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m[1]) or chr(int(m[1][1:], 16)),
        text,
    )


@given(st.text().filter(lambda s: "\\" not in s))
def test_any_string_becomes_one_safe_line_and_nothing_is_lost(text: str) -> None:
    once = inline(text)
    assert_plain(once)
    assert inline(once) == once  # a line built from escaped pieces may be escaped again
    assert unescape(once) == text


@pytest.mark.parametrize("flags", [(), ("-v", "--show-passed")])
def test_text_report_keeps_every_finding_on_its_line(workdir: Path, flags: tuple[str, ...]) -> None:
    result = run_cli("check", *COMMON, *flags, "-f", "text", MANIFEST_NAME)
    assert result.code == 1, result.err
    assert_plain(result.out + result.err)
    report = json.loads(run_cli("check", *COMMON, "-f", "json", MANIFEST_NAME).out)
    shown = [f for f in report["findings"] if f["status"] != "pass" or flags]
    finding = re.compile(
        # mid-line; PASS* marks a pass resting on an asserted fact
        r"    (FAIL  |WAIVED|PASS  |PASS\* ) .* \(::error file=z::forged\.json:\d+:\d+\)"
    )
    lines = result.out.split("\n")
    assert len([line for line in lines if finding.fullmatch(line)]) == len(shown) >= 5
    assert lines[0] == "\\x3a:error file=z::forged.json (hostile)"
    # Nothing lost: each hostile id is there, escaped (mid-line: a leading `::` stays).
    for needle in (LOC_A, STAGE_B, SCRIPT, *([STAGE_A] if flags else [])):
        assert inline("." + needle)[1:] in result.out


def test_coloured_text_report_has_only_its_own_escape_sequences(workdir: Path) -> None:
    result = run_cli("check", *COMMON, "--color", "always", "-f", "text", MANIFEST_NAME)
    assert result.code == 1
    assert SGR.search(result.out)  # coloured indeed
    assert_plain(SGR.sub("", result.out))


def test_error_lines_name_a_hostile_file_on_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "a\n::error file=z::forged\r\x1b[2J.yaml"
    bad.write_text("kind: [\n")
    for fmt, stream in (("text", "out"), ("json", "err")):
        result = run_cli("check", "--engine", "embedded", "-f", fmt, str(bad))
        assert result.code == 2
        assert_plain(result.out + result.err)
        errors = [line for line in getattr(result, stream).splitlines() if "YAML syntax" in line]
        assert len(errors) == 1
        assert "a\\n::error file=z::forged\\r\\x1b[2J.yaml:2:1: YAML syntax error" in errors[0]


def test_usage_errors_with_hostile_names_are_one_line(tmp_path: Path) -> None:
    missing = str(tmp_path / "org\n::error file=z::forged")
    result = run_cli("check", "--engine", "embedded", "--policy", missing, str(tmp_path))
    assert result.code == 2
    assert_plain(result.err)
    assert result.err.count("\n") == 1 and "org\\n::error file=z::forged" in result.err


def test_advise_text_keeps_its_matrix_and_lines(workdir: Path) -> None:
    result = run_cli("advise", "--engine", "embedded", "--as-of", "2026-06-01", MANIFEST_NAME)
    assert result.code == 0, result.err
    assert_plain(result.out + result.err)
    lines = result.out.split("\n")
    assert lines[0].startswith("\\x3a:error file=z::forged.json (hostile): 2 stages x 2 locations")
    head, first, second = lines[1:4]  # the matrix: a header and a row per stage, aligned
    assert head.startswith("  stage ") and first.startswith(f"  {inline(STAGE_A)} ")
    assert second.startswith(f"  {inline(STAGE_B)} ")
    assert head.index("type") == first.index("ingestion") == second.index("training")
    assert lines[4] == "where not simply allowed:"
    for needle in (LOC_A, LOC_B, STAGE_A, STAGE_B):
        assert inline(needle) in result.out


def test_advise_markdown_keeps_its_table_and_injects_nothing(workdir: Path) -> None:
    result = run_cli("advise", "--engine", "embedded", "--as-of", "2026-06-01", "-f", "markdown",
                     MANIFEST_NAME)  # fmt: skip
    assert result.code == 0, result.err
    text = result.out
    assert "\r" not in text
    lines = text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("| stage | type |"))
    width = len(cells(lines[header]))
    assert width == 4
    assert lines[header + 1] == "|---|---|---|---|"
    assert [len(cells(row)) for row in lines[header + 2 : header + 4]] == [width, width]
    assert not lines[header + 4].startswith("|")
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    page = Page(rendered)
    assert_inert(page, MARKDOWN_TAGS)
    shown = "".join(page.data)
    for needle in (SCRIPT, IMG):
        assert needle in shown  # escaped, not dropped
    assert page.tags >= {"table", "th", "td", "code"}


RULE = """\
# METADATA
# title: "Org rule \\u001b[2J with ##[error]legacy"
# description: >-
#   A long description that textwrap breaks so that the next word starts its own line
#   ::warning::forged and then more words follow it.
# custom:
#   id: ORG-TXT-001
#   framework: hybrid
#   severity: warning
#   subject: stage
#   citation: "internal \\u001b]8;;http://x\\u0007policy"
#   remediation: do the thing
package tdcheck.rules.org_txt

import rego.v1

findings := set()
"""


def test_rules_and_explain_print_policy_metadata_as_text(tmp_path: Path) -> None:
    policy = tmp_path / "org"
    policy.mkdir()
    (policy / "txt.rego").write_text(RULE)
    listed = run_cli("rules", "--policy", str(policy))
    explained = run_cli("explain", "ORG-TXT-001", "--policy", str(policy))
    assert listed.code == explained.code == 0, listed.err + explained.err
    for result in (listed, explained):
        assert_plain(result.out)
        assert "\\x1b[2J with ##\\x5berror]legacy" in result.out
    assert "\\x3a:warning::forged" in explained.out  # the wrapped line that started with it


@pytest.mark.parametrize("command", ["check", "advise"])
def test_ordinary_output_is_byte_identical_with_and_without_escaping(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # advise evaluates each stage at each location: one manifest is enough there.
    paths = [FIXTURES / "violations"] if command == "check" else [ADVISED]
    args = (command, "--engine", "embedded", "--as-of", "2026-06-01", "-v", *map(str, paths))
    if command == "check":
        args += ("--show-passed",)
    escaped = run_cli(*args)
    for module in (text_report, advise_text, cli, errors, model):
        monkeypatch.setattr(module, "inline", lambda text: text)
    raw = run_cli(*args)
    assert escaped.out.count("\n") > 30
    assert (escaped.code, escaped.out, escaped.err) == (raw.code, raw.out, raw.err)
