"""`tdcheck bundle`: what a fleet loads must be what the checker evaluates, unchanged."""

from __future__ import annotations

import json
import socket
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

MANIFEST = FIXTURES / "rules" / "HIPAA-BAA-001" / "fail.yaml"


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers()}  # type: ignore[union-attr]


def test_bundle_holds_the_checker_modules_data_and_manifest(tmp_path: Path, policy_set) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "bundle.tar.gz"
    result = run_cli("bundle", "-o", str(out))
    assert result.code == 0, result.err
    members = _members(out)
    manifest = json.loads(members[".manifest"])
    assert manifest["revision"] == policy_set.digest
    assert manifest["roots"] == ["tdcheck"]
    assert json.loads(members["data.json"]) == policy_set.data
    rego = {name for name in members if name.endswith(".rego")}
    assert rego == {name for name, _ in policy_set.modules}
    assert not any(name.endswith("_test.rego") or "conftest/" in name for name in rego)
    assert "builtin/main.rego" in rego


def test_bundle_is_reproducible(tmp_path: Path) -> None:
    first, second = tmp_path / "a.tar.gz", tmp_path / "b.tar.gz"
    assert run_cli("bundle", "-o", str(first), "-q").code == 0
    assert run_cli("bundle", "-o", str(second), "-q").code == 0
    assert first.read_bytes() == second.read_bytes()


def test_data_and_policy_change_the_revision(tmp_path: Path, policy_set) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "org.yaml"
    data.write_text("tdcheck:\n  org:\n    phi_allowed_countries: [US, CA]\n")
    out = tmp_path / "bundle.tar.gz"
    assert run_cli("bundle", "-o", str(out), "--data", str(data)).code == 0
    members = _members(out)
    assert json.loads(members[".manifest"])["revision"] != policy_set.digest
    assert json.loads(members["data.json"])["tdcheck"]["org"]["phi_allowed_countries"] == [
        "US",
        "CA",
    ]


def test_package_outside_the_root_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "org"
    extra.mkdir()
    (extra / "helpers.rego").write_text("package acme.helpers\n\nimport rego.v1\n\nx := 1\n")
    result = run_cli("bundle", "-o", str(tmp_path / "b.tar.gz"), "--policy", str(extra))
    assert result.code == 2
    assert "package acme.helpers is outside data.tdcheck" in result.err
    assert not (tmp_path / "b.tar.gz").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _post(url: str, body: object) -> object:
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            with urllib.request.urlopen(f"{url}/health?bundles", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    pytest.fail("OPA did not become healthy with the bundle")


def test_opa_server_loads_the_bundle_and_agrees_with_the_embedded_engine(
    tmp_path: Path,
    opa_binary: str,
    embedded_engine,  # type: ignore[no-untyped-def]
    policy_set,  # type: ignore[no-untyped-def]
) -> None:
    from checker.loader import load_path
    from checker.run import _engine_input

    bundle = tmp_path / "bundle.tar.gz"
    assert run_cli("bundle", "-o", str(bundle), "-q").code == 0
    inspect = subprocess.run(
        [opa_binary, "inspect", "--format", "json", str(bundle)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(inspect.stdout)["manifest"]["revision"] == policy_set.digest
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    args = [opa_binary, "run", "--server", "--addr", f"127.0.0.1:{port}", "--bundle", str(bundle)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_healthy(url, process)
        document = _engine_input(load_path(MANIFEST, "m.yaml").documents[0], "2026-11-28")
        answer = _post(f"{url}/v1/data/tdcheck/main/findings", {"input": document})
        bundles = _post(f"{url}/v1/data/system/bundles", {})
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert isinstance(answer, dict) and isinstance(bundles, dict)
    (loaded,) = bundles["result"].values()
    assert loaded["manifest"]["revision"] == policy_set.digest
    (expected,) = embedded_engine.evaluate([document])
    assert expected.error is None
    served = sorted(json.dumps(f, sort_keys=True) for f in answer["result"])
    assert served == sorted(json.dumps(f, sort_keys=True) for f in expected.findings)
    assert any(f["rule_id"] == "HIPAA-BAA-001" and f["status"] == "fail" for f in answer["result"])
