"""Hostile strings from a manifest, a waivers file and a file name, through every format.

Ids, names, reasons and the file name carry HTML (`<script>`, an `onerror` attribute),
Markdown table and fence syntax (`|`, backticks, a line of ```), line breaks (LF and CR),
Mermaid syntax and GitHub workflow commands (`::error::`, `%0A`, `,` and `:`). Each format
must show them as text and keep its structure: no element or attribute from the data in
the HTML page (nor in the Markdown rendered as GitHub would, raw HTML allowed), every
Markdown table row with its header's columns, every Mermaid line of the diagram's grammar,
one workflow command per annotation with its properties intact, valid JSON, SARIF and XML.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from checker.report import RENDERERS
from tests.conftest import run_cli

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FENCE = "a|b`c`\n```\n<script>x</script>"
LOC_A = "x\ny\r::error file=z::forged"
LOC_B = "%0A::error::,a:b " + IMG
STAGE_B = 'end\n#35;"]\n  click S0 call alert(1)\r|x|'
REASON = "<b>bold</b>|pipe\n::warning::forged %0A `tick` \r\n```\n" + SCRIPT
APPROVER = "a,b:c@example.com <img src=x onerror=alert(1)>"
FILE_NAME = "h|b <i>%0A,c:d`x&amp;.json"
HOSTILE = (SCRIPT, IMG, FENCE, LOC_A, LOC_B, STAGE_B, REASON, APPROVER)

PROTECTED = {
    "encryption_at_rest": "customer_managed",
    "audit_logging": True,
    "access_control": {"unique_user_ids": True, "mfa": True},
}
MANIFEST = {
    "apiVersion": "tdcheck/v1",
    "kind": "TrainingDeployment",
    "metadata": {"name": "hostile"},
    "spec": {
        "datasets": [
            {"id": SCRIPT, "classifications": ["phi"]},
            {"id": FENCE, "classifications": ["internal"]},
        ],
        "locations": [
            {"id": LOC_A, "kind": "on_premises", "country": "US", **PROTECTED},
            {"id": LOC_B, "kind": "public_cloud", "country": "DE", "hipaa_baa": True, **PROTECTED},
        ],
        # The PHI moves undeclared from LOC_A to LOC_B (four failing movement findings, with
        # every hostile id in the message) and sits in DE (HIPAA-RES-001, waived).
        "stages": [
            {"id": IMG, "type": "ingestion", "location": LOC_A, "outputs": [SCRIPT]},
            {
                "id": STAGE_B,
                "type": "training",
                "location": LOC_B,
                "inputs": [SCRIPT],
                "outputs": [FENCE],
            },
        ],  # fmt: skip
    },
}
WAIVERS = {
    "waivers": [
        {"rule": "HIPAA-RES-001", "reason": REASON, "approved_by": APPROVER,
         "expires": "2026-12-01"},
    ]
}  # fmt: skip
# What the renderers themselves write: anything else came from the data.
HTML_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4",
    "section", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "p", "small", "b",
    "code", "figure", "figcaption", "svg", "defs", "marker", "path", "g", "rect", "text",
    "article", "span", "dl", "dt", "dd",
}  # fmt: skip
MARKDOWN_TAGS = {
    "h1", "h2", "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "ul", "li",
    "strong", "code", "pre", "em",
}  # fmt: skip
MERMAID_LINE = re.compile(
    r"flowchart LR"
    r'|  subgraph L\d+\["[^"]*"\]'
    r"|    direction TB"
    r'|    S\d+\["[^"]*"\]'
    r"|  end"
    r'|  L\d+ (?:-->|-\.->)\|"[^"|]*"\| L\d+'
    r"|  classDef fail [^\s]+"
    r"|  class [LS\d,]+ fail"
    r"|  linkStyle \d+ [^\s]+"
)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every format's output for the hostile inputs, plus the `report` command's two."""
    root = tmp_path_factory.mktemp("hostile")
    manifest = root / FILE_NAME
    manifest.write_text(json.dumps(MANIFEST))
    waivers = root / "waivers.json"
    waivers.write_text(json.dumps(WAIVERS))
    common = ("--engine", "embedded", "--as-of", "2026-06-01", "--waivers", str(waivers))
    texts = {}
    for fmt in RENDERERS:
        out = root / f"out.{fmt}"
        result = run_cli("check", *common, "-f", fmt, "-o", str(out), str(manifest))
        assert result.code == 1, result.err
        texts[fmt] = out.read_text(encoding="utf-8")
    for suffix in ("html", "md"):
        out = root / f"report.{suffix}"
        assert run_cli("report", *common, "-o", str(out), str(manifest)).code == 1
        texts[f"report.{suffix}"] = out.read_text(encoding="utf-8")
    texts["path"] = str(manifest)
    return texts


class Page(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.data: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def assert_inert(page: Page, allowed: set[str]) -> None:
    assert page.tags <= allowed, page.tags - allowed
    assert not [a for a in page.attributes if a[0].startswith("on")]
    assert not [a for a in page.attributes if "javascript:" in (a[1] or "").lower()]


@pytest.mark.parametrize("name", ["html", "report.html"])
def test_html_shows_the_hostile_strings_as_text(outputs: dict[str, str], name: str) -> None:
    page = Page(outputs[name])
    assert_inert(page, HTML_TAGS)
    text = "".join(page.data)
    for needle in (SCRIPT, IMG, APPROVER, outputs["path"]):
        assert needle in text  # escaped, not dropped


def cells(row: str) -> list[str]:
    """The cells of a GFM table row: split at `|` unless escaped by a backslash."""
    out, current, escaped = [], "", False
    for char in row.strip()[1:-1]:
        if char == "|" and not escaped:
            out.append(current)
            current = ""
            continue
        escaped = char == "\\" and not escaped
        current += char
    return [*out, current]


@pytest.mark.parametrize("name", ["markdown", "report.md"])
def test_markdown_keeps_its_tables_fences_and_diagrams(outputs: dict[str, str], name: str) -> None:
    text = outputs[name]
    assert "\r" not in text  # CommonMark ends a line at CR as at LF
    lines = text.split("\n")
    tables = 0
    in_fence = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            in_fence = line == "```mermaid"
            continue
        if in_fence:
            assert MERMAID_LINE.fullmatch(line), line
            assert "`" not in line and "<" not in line.replace("<br/>", ""), line
        elif line.startswith("|") and not lines[i - 1].startswith("|"):
            tables += 1
            width = len(cells(line))
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                assert len(cells(lines[j])) == width, lines[j]
                j += 1
    assert not in_fence
    assert tables >= 6


@pytest.mark.parametrize("name", ["markdown", "report.md"])
def test_markdown_rendered_as_github_would_injects_nothing(
    outputs: dict[str, str], name: str
) -> None:
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(outputs[name])
    page = Page(rendered)
    assert_inert(page, MARKDOWN_TAGS)
    text = "".join(page.data)
    for needle in (SCRIPT, IMG):
        assert needle in text
    # The file name and its `|` stay in their cell of the inputs table.
    assert outputs["path"].replace("`", "'") in text


def unescape_property(value: str) -> str:
    for escaped, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escaped, char)
    return value


def test_github_annotations_are_one_command_each(outputs: dict[str, str]) -> None:
    text = outputs["github"]
    assert "\r" not in text  # the runner ends a line at CR too
    lines = text.split("\n")
    assert lines.pop() == ""
    report = json.loads(outputs["json"])
    failing = [f for f in report["findings"] if f["status"] == "fail"]
    assert len(lines) == len(failing) == 4
    command = re.compile(r"::(error|warning|notice) ([^:]*)::(.*)")
    for line, finding in zip(lines, failing, strict=True):
        match = command.fullmatch(line)
        assert match, line
        properties = dict(p.split("=", 1) for p in match.group(2).split(","))
        assert set(properties) == {"file", "line", "col", "title"}
        assert unescape_property(properties["file"]) == outputs["path"]
        assert properties["title"] == finding["rule_id"]
        assert SCRIPT in match.group(3)


def test_json_sarif_and_junit_parse_and_keep_the_strings_exactly(
    outputs: dict[str, str],
) -> None:
    report = json.loads(outputs["json"])
    messages = " ".join(f["message"] for f in report["findings"])
    for needle in (SCRIPT, IMG, LOC_A, LOC_B, STAGE_B, FENCE):
        assert needle in messages
    waived = [f for f in report["findings"] if f["status"] == "waived"]
    assert waived and waived[0]["waiver"]["reason"] == REASON
    sarif = json.loads(outputs["sarif"])
    assert len(sarif["runs"][0]["results"]) == 4  # the four failures (waived: left out)
    suites = ET.fromstring(outputs["junit"])
    strings = [*suites.itertext(), *(v for e in suites.iter() for v in e.attrib.values())]
    assert any(SCRIPT in s for s in strings)
    assert outputs["path"] in strings
