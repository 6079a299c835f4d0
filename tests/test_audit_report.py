"""`tdcheck report`: the audit report through the CLI, and the HTML page rendered by real
headless Chromium to PNG and PDF (skipped with a reason without `chromium`, a failure
under TDCHECK_REQUIRE_TOOLS=1)."""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

from tests.conftest import ROOT, require_tool, run_cli
from tests.test_report_formats import assert_self_contained, parse_html

EXAMPLE = ROOT / "tests" / "data" / "example-manifest.yaml"
# PHI trained in a cloud without a BAA, shipped over the internet without encryption: a
# failing stage and a failing movement (the red edge of the diagram).
FAILING = """\
apiVersion: tdcheck/v1
kind: TrainingDeployment
metadata: {name: notes-cloud}
spec:
  datasets:
    - {id: notes, classifications: [phi]}
    - {id: model, classifications: [internal]}
  locations:
    - id: dc
      kind: on_premises
      country: US
      encryption_at_rest: customer_managed
      audit_logging: true
      access_control: {unique_user_ids: true, mfa: true}
    - id: gpu-cloud
      kind: public_cloud
      country: US
      encryption_at_rest: provider_managed
      audit_logging: true
      access_control: {unique_user_ids: true, mfa: true}
  stages:
    - {id: ingest, type: ingestion, location: dc, outputs: [notes]}
    - {id: train, type: training, location: gpu-cloud, inputs: [notes], outputs: [model]}
  transfers:
    - {from: dc, to: gpu-cloud, datasets: [notes], channel: internet}
"""
FAIL_RED = (0xB0, 0x00, 0x20)  # checker.report.diagram.COLORS["fail"]
FAIL_CELL = (0xFD, 0xE7, 0xEA)  # td.fail's background in checker/report/html.py


def write_failing(tmp_path: Path) -> str:
    path = tmp_path / "notes-cloud.yaml"
    path.write_text(FAILING)
    return str(path)


def test_report_writes_html_and_markdown_with_the_exit_code_of_check(tmp_path: Path) -> None:
    failing = write_failing(tmp_path)
    args = ("--engine", "embedded", "--as-of", "2026-11-28", failing, str(EXAMPLE))
    checked = run_cli("check", *args)
    html, md = tmp_path / "audit.html", tmp_path / "audit.md"
    result = run_cli("report", *args, "-o", str(html))
    assert result.code == checked.code == 1, result.err
    assert result.out == "" and "tdcheck: 2 manifest(s)" in result.err
    page = html.read_text()
    assert "notes-cloud" in page and "card-fraud-retraining" in page
    assert "HIPAA-BAA-001" in page and "sha256:" in page
    assert run_cli("report", *args, "-o", str(md)).code == 1
    text = md.read_text()
    assert text.count("```mermaid") == 2 and "## Evidence" in text


def test_report_needs_an_html_or_markdown_output(tmp_path: Path) -> None:
    failing = write_failing(tmp_path)
    missing = run_cli("report", "--engine", "embedded", failing)
    assert missing.code == 2 and "-o FILE.html" in missing.err
    pdf = tmp_path / "audit.pdf"
    wrong = run_cli("report", "--engine", "embedded", failing, "-o", str(pdf))
    assert wrong.code == 2 and ".html or .md" in wrong.err and not pdf.exists()
    clash = run_cli("report", failing, "-o", str(tmp_path / "a.md"), "-f", "html")
    assert clash.code == 2 and "does not match" in clash.err


def png_pixels(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Width, height, unfiltered rows and bytes per pixel of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], (0, 0, 0, 0, 0)
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            header = (width, height, depth, color, interlace)
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, color, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    bpp = 3 if color == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        unfilter(raw[start], line, prev, bpp)
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> None:
    """Undo one scanline's PNG filter (None, Sub, Up, Average, Paeth) in place."""
    if kind == 0:
        return
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        if kind == 1:
            line[i] = (line[i] + a) & 255
        elif kind == 2:
            line[i] = (line[i] + b) & 255
        elif kind == 3:
            line[i] = (line[i] + ((a + b) >> 1)) & 255
        else:
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255


def chromium(binary: str, tmp_path: Path, *args: str) -> None:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]
    done = subprocess.run(
        [binary, *flags, *args], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_html_report_renders_in_headless_chromium_to_png_and_pdf(tmp_path: Path) -> None:
    binary = require_tool("chromium")
    html = tmp_path / "audit.html"
    failing = write_failing(tmp_path)
    args = ("--engine", "embedded", "--as-of", "2026-11-28", failing, str(EXAMPLE))
    assert run_cli("report", *args, "-o", str(html)).code == 1

    page = html.read_text()
    assert_self_contained(page)
    tags = parse_html(page)
    assert ("table", {"class": "matrix"}) in tags
    statuses = {a["data-status"] for t, a in tags if t == "td" and "data-status" in a}
    assert {"fail", "pass", "n/a"} <= statuses
    assert sum(1 for t, _ in tags if t == "svg") == 2  # one diagram per manifest
    red_edges = [a for t, a in tags if t == "g" and a.get("class", "").startswith("edge fail")]
    assert [(e["data-from"], e["data-to"]) for e in red_edges] == [("dc", "gpu-cloud")]

    png, pdf = tmp_path / "audit.png", tmp_path / "audit.pdf"
    url = html.as_uri()
    chromium(binary, tmp_path, "--window-size=1100,1400", f"--screenshot={png}", url)
    chromium(binary, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", url)

    width, height, rows, bpp = png_pixels(png.read_bytes())
    assert (width, height) == (1100, 1400)
    pixels = {row[x : x + 3] for row in rows[::4] for x in range(0, width * bpp, bpp * 4)}
    assert len(pixels) > 50, "the screenshot is (nearly) a single colour"
    # The first screen shows what fails: the failing cells of the view by framework and
    # control and of the matrix (their background), or the diagram's red edges and labels.
    red = sum(row.count(bytes(FAIL_RED)) + row.count(bytes(FAIL_CELL)) for row in rows)
    assert red > 200, "no failing (red) element visible in the first screen"

    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages >= 2, "each manifest starts on a new printed page"
