"""The README and the documentation site stay short, current and about the product.

`mkdocs build --strict` in .ci/run checks links and anchors; these check what it cannot:
the README's length, that the pages speak of the product and not of how it was built, that
the rule table is the catalogue, and that the manifest page documents exactly the
schema's fields.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
HISTORY = re.compile(r"\bissue #?[0-9]+|\bsessions?\b|\bbefore this\b", re.IGNORECASE)


def test_readme_is_at_most_200_lines() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; guides belong in docs/"


@pytest.mark.parametrize(
    "path", [ROOT / "README.md", ROOT / "mkdocs.yml", *PAGES], ids=lambda p: p.name
)
def test_text_speaks_of_the_product_not_its_history(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"{path.name}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)!r}"
        for m in HISTORY.finditer(text)
    ]
    assert not found, found


def test_history_pattern_catches_what_it_should() -> None:
    for leak in ("Against the targets of issue 5", "Before this work", "this session's work"):
        assert HISTORY.search(leak), leak
    assert not HISTORY.search("an OPA server that issues 502 errors")


def test_rule_table_is_the_catalogue() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "rules_table.py"), "--check"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_rule_table_lists_every_rule_once(policy_set) -> None:  # type: ignore[no-untyped-def]
    page = (DOCS / "rules.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([A-Z]+(?:-[A-Z0-9]+)+)` \|", page, re.MULTILINE)
    assert sorted(listed) == sorted(m.rule_id for m in policy_set.rules)


SECTIONS = {
    "Datasets": "Dataset",
    "Locations": "Location",
    "Stages": "Stage",
    "Transfers": "Transfer",
}


def documented_fields(heading: str) -> set[str]:
    """The field names in the first column of the table under `## heading`."""
    page = (DOCS / "manifests.md").read_text(encoding="utf-8")
    body = page.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for row in re.findall(r"^\| (.+?) \|", body, re.MULTILINE)[1:]:  # skip the header row
        names |= set(re.findall(r"`([a-z_0-9]+)`", row))
    return names


@pytest.mark.parametrize(("heading", "definition"), SECTIONS.items())
def test_manifest_page_documents_exactly_the_schema_fields(heading: str, definition: str) -> None:
    schema = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))
    fields = set(schema["$defs"][definition]["properties"])
    assert documented_fields(heading) == fields


def test_readme_links_to_pages_of_the_site() -> None:
    """Every docs page the README sends a reader to is in the site's navigation."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    nav = set(re.findall(r"^\s+- [^:]+: (\S+\.md)$", (ROOT / "mkdocs.yml").read_text(), re.M))
    linked = set(re.findall(r"\]\(docs/([^)#]+\.md)", readme))
    assert linked, "the README links to no docs page"
    assert linked <= nav, linked - nav
