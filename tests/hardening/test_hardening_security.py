"""Security properties: secrets stay secret, nothing touches the network unless an OPA URL is
given, nothing from a manifest is executed or used as a path, and a --policy directory can
neither replace nor quietly extend a built-in rule."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.engine import EngineOptions, create_engine
from checker.report import RENDERERS
from tests.conftest import FIXTURES, run_cli
from tests.hardening.servers import free_port
from tests.test_cli import CLEAN, PHI_ABROAD

TOKEN = "tdc-secret-7d1f0c-DO-NOT-PRINT"


# --- tokens ----------------------------------------------------------------------------------


def test_a_token_is_not_in_any_output_when_the_server_is_unreachable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TDCHECK_OPA_TOKEN", TOKEN)
    manifest = tmp_path / "m.yaml"
    manifest.write_text(CLEAN)
    for fmt in RENDERERS:
        report = tmp_path / f"report.{fmt}"
        result = run_cli(
            "check", "--engine", "opa", "--opa-url", f"http://127.0.0.1:{free_port()}",
            "-v", "-f", fmt, "-o", str(report), str(manifest),
        )  # fmt: skip
        assert result.code == 3, result.err
        for text in (result.out, result.err, report.read_text() if report.exists() else ""):
            assert TOKEN not in text


def test_a_token_with_a_newline_is_refused_without_echoing_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # requests would quote the whole header, token included, in its exception.
    monkeypatch.setenv("TDCHECK_OPA_TOKEN", f"{TOKEN}\nX-Injected: 1")
    manifest = tmp_path / "m.yaml"
    manifest.write_text(CLEAN)
    result = run_cli("check", "--engine", "opa", "--opa-url", "http://127.0.0.1:9", "-v",
                     str(manifest))  # fmt: skip
    assert result.code == 2
    assert "TDCHECK_OPA_TOKEN holds characters an HTTP header cannot carry" in result.err
    assert TOKEN not in result.out + result.err


def test_a_token_is_not_in_the_repr_of_the_options() -> None:
    assert TOKEN not in repr(EngineOptions(opa_urls=("https://opa",), opa_token=TOKEN))


def test_a_url_with_credentials_is_refused_without_echoing_them(tmp_path: Path) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(CLEAN)
    result = run_cli("check", "--engine", "opa", "--opa-url", f"https://user:{TOKEN}@opa",
                     str(manifest))  # fmt: skip
    assert result.code == 2
    assert "must not carry credentials" in result.err
    assert TOKEN not in result.out + result.err


def test_a_configuration_file_cannot_send_the_token_to_its_own_url(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A pull request could add .tdcheck.yaml; CI's token must not follow its URL."""
    (tmp_path / ".tdcheck.yaml").write_text("opa-url: [https://collector.example]\n")
    (tmp_path / "m.yaml").write_text(CLEAN)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TDCHECK_OPA_TOKEN", TOKEN)
    result = run_cli("check", "m.yaml")
    assert result.code == 2
    assert "opa-url comes from the configuration file while TDCHECK_OPA_TOKEN is set" in result.err
    assert TOKEN not in result.out + result.err


# --- the network -----------------------------------------------------------------------------


def test_the_embedded_engine_opens_no_socket(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import socket

    def refuse(*_args: Any) -> None:
        raise AssertionError("the embedded engine opened a network connection")

    for name in ("connect", "connect_ex", "bind", "sendto"):
        monkeypatch.setattr(socket.socket, name, refuse)
    manifest = tmp_path / "m.yaml"
    manifest.write_text(PHI_ABROAD)
    result = run_cli("check", "--engine", "embedded", str(manifest))
    assert result.code == 1, result.err


OFFLINE_HOOK = """\
import os, sys

def _offline(event, args):
    if event in ("socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto"):
        with open(os.environ["TDCHECK_TEST_NET_LOG"], "a") as log:
            log.write(f"{os.getpid()} {event} {args[1:]!r}\\n")

sys.addaudithook(_offline)
"""


@pytest.mark.parametrize("online", [False, True], ids=["embedded-batch", "control-opa-url"])
def test_a_batch_with_the_embedded_engine_and_its_workers_stays_offline(
    tmp_path: Path, online: bool
) -> None:
    """An audit hook in every process (sitecustomize): the workers are checked too."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(OFFLINE_HOOK)
    log = tmp_path / "net.log"
    paths = []
    for i, text in enumerate((CLEAN, PHI_ABROAD)):
        (tmp_path / f"m{i}.yaml").write_text(text)
        paths.append(str(tmp_path / f"m{i}.yaml"))
    engine = ["--engine", "opa", "--opa-url", "http://127.0.0.1:9"] if online else []
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": f"{hook}:{Path.cwd()}"}
    done = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--engine", "embedded", *engine, *paths],
        capture_output=True, text=True, timeout=300, cwd=Path.cwd(),
        env={**env, "TDCHECK_TEST_NET_LOG": str(log)},
    )  # fmt: skip
    if online:  # the control: the hook does see a connection when one is made
        assert "socket.connect" in log.read_text()
    else:
        assert done.returncode == 1, done.stderr
        assert not log.exists(), log.read_text()


def test_the_local_opa_server_answers_only_this_run_and_sees_no_secrets(
    policy_set: Any, opa_binary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", TOKEN)
    monkeypatch.setenv("TDCHECK_OPA_TOKEN", TOKEN)
    engine = create_engine("opa", policy_set, EngineOptions())
    try:
        server = engine._server  # type: ignore[attr-defined]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.url + "/v1/policies", timeout=10)
        assert refused.value.code == 401
        query = json.dumps({"query": "x := opa.runtime().env"}).encode()
        request = urllib.request.Request(
            server.url + "/v1/query", data=query,
            headers={"Authorization": f"Bearer {server.token}"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as answer:
            env = json.load(answer)["result"][0]["x"]
        assert TOKEN not in json.dumps(env)
        assert set(env) <= {"PATH", "HOME", "TMPDIR", "TEMP", "TMP", "LANG", "LC_ALL"}
    finally:
        engine.close()


# --- nothing from a manifest is executed or used as a path -----------------------------------

SENTINEL = "zq7sentinel"
PAYLOADS = (
    f"../../{SENTINEL}", f"/tmp/{SENTINEL}", f"$(touch /tmp/{SENTINEL})", f"`{SENTINEL}`",
    f"file:///{SENTINEL}", f"{{{{{SENTINEL}}}}}", f"__import__('{SENTINEL}')",
    f"<img src=x onerror={SENTINEL}>",
)  # fmt: skip
_EVENTS: list[tuple[str, str]] = []
_RECORDING: list[bool] = []


# Audit events that open, list, change, import, compile or run something. Data handed to
# the engine (ctypes.create_string_buffer of the input JSON) is what should happen to it.
_ACTING = ("open", "compile", "exec", "import", "glob.", "os.", "shutil.", "subprocess.",
           "_posixsubprocess.", "ctypes.dlopen", "socket.", "urllib.", "http.")  # fmt: skip


def _record(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDING and event.startswith(_ACTING) and SENTINEL in repr(args):
        _EVENTS.append((event, repr(args)[:200]))


def with_payloads() -> dict[str, Any]:
    """CLEAN with a payload in every free-text field the contract has."""
    value: dict[str, Any] = yaml.safe_load(CLEAN)
    meta, spec = value["metadata"], value["spec"]
    meta.update(description=PAYLOADS[0], owner=PAYLOADS[1], labels={"a": PAYLOADS[2]})
    spec["model"] = {"name": PAYLOADS[3]}
    spec["transfers"][0].update(approval_ref=PAYLOADS[4], tia_ref=PAYLOADS[5])
    spec["datasets"][1]["deidentification"] = {"method": "none", "evidence_ref": PAYLOADS[6]}
    spec["locations"][1]["provider"] = PAYLOADS[7]
    return value


def test_nothing_from_a_manifest_is_executed_or_opened(tmp_path: Path) -> None:
    if not _RECORDING:
        sys.addaudithook(_record)  # audit hooks cannot be removed: it records only while on
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(with_payloads()))
    other = tmp_path / "b.yaml"
    other.write_text(PHI_ABROAD)
    _RECORDING.append(True)
    try:
        (tmp_path / "control").mkdir()
        (tmp_path / "control" / SENTINEL).write_text("")  # the hook does see an open
        assert [event for event, _ in _EVENTS] == ["open"]
        _EVENTS.clear()
        for fmt in RENDERERS:
            out = tmp_path / f"report-{fmt}"
            result = run_cli("check", "--engine", "embedded", "-f", fmt, "-o", str(out),
                             str(manifest))  # fmt: skip
            assert result.code in (0, 1), result.err
        # Two manifests: the contained engine's worker processes too.
        batch = run_cli("check", "--engine", "embedded", "-f", "json", "--show-passed",
                        str(manifest), str(other))  # fmt: skip
        assert batch.code == 1, batch.err
    finally:
        _RECORDING.clear()
    assert _EVENTS == []
    assert not list(Path("/tmp").glob(f"*{SENTINEL}*"))
    assert not list(tmp_path.glob(f"*{SENTINEL}*"))


# --- --policy cannot replace or quietly extend a built-in rule -------------------------------


def org_policy(tmp_path: Path, files: dict[str, str]) -> str:
    root = tmp_path / "org"
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    return str(root)


DECLARED_ALWAYS = "package tdcheck.lib\n\nimport rego.v1\n\ndeclared(m) if m\n"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"baa.rego": "package tdcheck.rules.hipaa_baa_001\n\nfindings := set()\n"},
         "package tdcheck.rules.hipaa_baa_001 is already defined by builtin/"),
        # Without the check this one turns HYB-DECL-001 failures into silent passes.
        ({"lib.rego": DECLARED_ALWAYS},
         "package tdcheck.lib belongs to the built-in policies"),
        ({"lib.rego": DECLARED_ALWAYS.replace("tdcheck.lib", 'tdcheck["lib"]')},
         "package tdcheck.lib belongs to the built-in policies"),
        ({"up.rego": "package tdcheck.rules\n\nhipaa_baa_001 := {}\n"},
         "package tdcheck.rules belongs to the built-in policies"),
        ({"r.rego": "package tdcheck.rules.org_x\n\nfindings := set()\n",
          "data.json": '{"tdcheck": {"org": {"phi_allowed_countries": ["US", "DE"]}}}'},
         "data key 'phi_allowed_countries' would replace a value already set"),
    ],
    ids=["same-package", "extend-lib", "bracket-spelling", "ancestor-package", "data-override"],
)  # fmt: skip
def test_a_policy_directory_cannot_replace_or_extend_a_builtin(
    tmp_path: Path, files: dict[str, str], message: str
) -> None:
    manifest = FIXTURES / "rules" / "HYB-DECL-001" / "fail.yaml"
    result = run_cli("check", "--engine", "embedded", "--policy", org_policy(tmp_path, files),
                     str(manifest))  # fmt: skip
    assert result.code == 3
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.err
    assert "cannot replace" in lines[0] or "--data" in lines[0]


def test_a_policy_directory_may_add_its_own_rules_and_data(tmp_path: Path) -> None:
    files = {
        "r.rego": "package tdcheck.rules.org_x\n\nfindings := set()\n",
        "data.json": '{"tdcheck": {"org": {"org_x_threshold": 3}}}',
    }
    manifest = FIXTURES / "rules" / "HYB-DECL-001" / "fail.yaml"
    result = run_cli("check", "--engine", "embedded", "--policy", org_policy(tmp_path, files),
                     str(manifest))  # fmt: skip
    assert result.code == 1, result.err
