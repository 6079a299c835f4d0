"""The audit report's provenance (generation time under SOURCE_DATE_EPOCH, commit and dirty
flag from git, the waivers file's digest), its view by framework and control, rule texts'
code spans rendered and still escaped, and diagram labels that no line crosses."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from checker.report import RENDERERS, RenderOptions
from checker.report.diagram import CHAR_W
from tests.conftest import FIXTURES, run_cli
from tests.report_data import FINDINGS, canonical_report
from tests.test_audit_report import FAILING
from tests.test_report_formats import parse_html

EPOCH, STAMP = "1764547200", "2025-12-01T00:00:00Z"
WAIVERS = """\
waivers:
  - rule: HIPAA-BAA-001
    reason: BAA in signature, ticket LEGAL-7
    approved_by: ciso@example.com
    expires: 2027-01-31
"""


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "a",
        "GIT_AUTHOR_EMAIL": "a@example.com",
        "GIT_COMMITTER_NAME": "a",
        "GIT_COMMITTER_EMAIL": "a@example.com",
        "PATH": "/usr/bin:/bin",
        "HOME": str(repo),
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not on PATH")
    git(tmp_path, "init", "-q")
    (tmp_path / "notes.yaml").write_text(FAILING)
    (tmp_path / "waivers.yaml").write_text(WAIVERS)
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "manifests")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return tmp_path


def report(repo: Path, suffix: str, *extra: str) -> str:
    out = repo.parent / f"{repo.name}-audit{suffix}"
    args = ("--engine", "embedded", "--as-of", "2026-11-28", "--waivers", "waivers.yaml")
    args += ("--fail-on", "warning")  # its unwaived failures are warnings (HIPAA severity)
    done = run_cli("report", *args, *extra, "notes.yaml", "-o", str(out))
    assert done.code == 1, done.err
    return out.read_text()


def test_evidence_names_time_commit_state_and_waivers_digest(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    digest = hashlib.sha256((repo / "waivers.yaml").read_bytes()).hexdigest()
    page = report(repo, ".html")
    assert f"<th>Generated</th><td><code>{STAMP}</code>" in page
    assert f"{head} (clean)" in page
    assert f"waivers.yaml (sha256:{digest})" in page
    markdown = report(repo, ".md")
    assert f"| Generated | `{STAMP}` |" in markdown and f"`{head} (clean)`" in markdown
    # A tracked file changed since the commit: the report says so.
    (repo / "notes.yaml").write_text(FAILING + "# edited\n")
    assert f"{head} (modified tracked files (dirty))" in report(repo, ".html")


def test_without_git_or_outside_a_repository_the_commit_is_left_out(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("empty-bin")))
    page = report(repo, ".html")
    assert "<th>Commit</th>" not in page and STAMP in page
    monkeypatch.undo()
    elsewhere = tmp_path_factory.mktemp("plain")
    if any((parent / ".git").exists() for parent in (elsewhere, *elsewhere.parents)):
        pytest.skip("the temporary directory is inside a repository")
    (elsewhere / "notes.yaml").write_text(FAILING)
    (elsewhere / "waivers.yaml").write_text(WAIVERS)
    monkeypatch.chdir(elsewhere)
    assert "<th>Commit</th>" not in report(elsewhere, ".html")


def test_source_date_epoch_that_is_not_a_time_is_a_usage_error(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    done = run_cli("report", "--engine", "embedded", "notes.yaml", "-o", "a.html")
    assert done.code == 2 and "SOURCE_DATE_EPOCH='yesterday'" in done.err
    assert not (repo / "a.html").exists()


def test_view_by_framework_and_control_counts_every_manifest(repo: Path) -> None:
    (repo / "more.yaml").write_text(FAILING.replace("notes-cloud", "notes-cloud-2"))
    page = report(repo, ".html", "more.yaml")
    assert page.index("By framework and control") < page.index('<section class="manifest"')
    rows = re.findall(r"<tr><td>hipaa</td><td>(.*?)</td><td>(.*?)</td>.*?</tr>", page)
    assert rows, "no hipaa control rows"
    baa = next(row for row in rows if "HIPAA-BAA-001" in row[1])
    line = next(r for r in page.split("<tr>") if baa[0] in r and "HIPAA-BAA-001" in r)
    assert 'data-control="waived"' in line  # both manifests' findings are waived
    markdown = report(repo, ".md", "more.yaml")
    assert "## By framework and control" in markdown


def test_remediation_code_spans_render_and_stay_escaped() -> None:
    text = "Set `air_gapped: true` and `<u>x</u>`, then <script>alert(1)</script> | done"
    findings = tuple(replace(f, remediation=text) for f in FINDINGS)
    page = RENDERERS["html"].render(replace(canonical_report(), findings=findings), RenderOptions())
    assert "<code>air_gapped: true</code>" in page
    assert "<code>&lt;u&gt;x&lt;/u&gt;</code>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "`" not in page.split("<body>")[1]
    assert not any(tag in ("script", "u") for tag, _ in parse_html(page))
    markdown = RENDERERS["markdown"].render(
        replace(canonical_report(), findings=findings), RenderOptions()
    )
    assert "- **Remediation:** Set `air_gapped: true` and `<u>x</u>`, then \\<script\\>" in markdown


def _label_boxes(svg: str) -> list[tuple[float, float, float, float]]:
    boxes = []
    for x, y, label in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" class="edge-label"[^>]*>'
        r"(?:<title>[^<]*</title>)?([^<]*)<",
        svg,
    ):
        width = len(label) * CHAR_W
        boxes.append((float(x), float(y) - 11, float(x) + width, float(y) + 3))
    return boxes


def _segments(svg: str) -> list[tuple[float, float, float, float]]:
    segments = []
    for d in re.findall(r'<path d="(M[^"]+)"', svg):
        if "z" in d:  # arrowhead shapes in <defs>
            continue
        x, y = (float(v) for v in d[1:].split()[0].split(","))
        for command in d.split()[1:]:
            kind, value = command[0], float(command[1:])
            nx, ny = (value, y) if kind == "H" else (x, value)
            segments.append((min(x, nx), min(y, ny), max(x, nx), max(y, ny)))
            x, y = nx, ny
    return segments


def test_no_line_of_the_diagram_crosses_a_label(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    paths = [str(p) for p in sorted((FIXTURES / "examples").glob("*.yaml"))]
    (tmp_path / "notes.yaml").write_text(FAILING)
    done = run_cli("report", "--engine", "embedded", *paths, str(tmp_path / "notes.yaml"),
                   "-o", str(out))  # fmt: skip
    assert done.code in (0, 1), done.err
    figures = re.findall(r"<svg class=\"flow\".*?</svg>", out.read_text(), re.S)
    labelled = 0
    for svg in figures:
        boxes, segments = _label_boxes(svg), _segments(svg)
        labelled += len(boxes)
        for left, top, right, bottom in boxes:
            for x1, y1, x2, y2 in segments:
                apart = x2 < left or x1 > right or y2 < top or y1 > bottom
                assert apart, ((left, top, right, bottom), (x1, y1, x2, y2))
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg)[1])  # type: ignore[index]
        assert all(right <= width for _, _, right, _ in boxes)  # labels inside the picture
    assert labelled >= 3
