"""Fault injection against the OPA engine: every fault ends in exit 3 with a clear line.

Never a partial pass: a manifest whose decision did not come back is listed as not
evaluated and the run exits 3, while the manifests that were evaluated keep their findings.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from checker.engine import opa_http
from tests.conftest import CliResult, run_cli
from tests.hardening.servers import (
    OpaProcess,
    fake_server,
    free_port,
    healthy_then,
    opa_server,
    rego_bundle,
    start_opa,
)


def check(url: str, *paths: str, timeout: str = "5") -> CliResult:
    # Servers without our bundle: trusted, so that the fault, not the revision, is tested.
    return run_cli("check", "--engine", "opa", "--opa-url", url, "--opa-timeout", timeout,
                   "--opa-trust-remote-policy", "-f", "json", *paths)  # fmt: skip


def is_ours(document: dict[str, object]) -> bool:
    """One of the `manifests` fixture's documents (m0-..., m1-...), not a canary manifest."""
    name = str(document.get("metadata", {}).get("name", ""))  # type: ignore[union-attr]
    return re.match(r"m[0-9]-", name) is not None


def assert_fails_closed(result: CliResult, *fragments: str) -> list[str]:
    """Exit 3, one `not evaluated` line per failed manifest naming the fault, no traceback."""
    assert result.code == 3, result.err
    assert "Traceback" not in result.err + result.out
    lines = [line for line in result.err.splitlines() if "not evaluated" in line]
    assert lines, result.err
    for line in lines:
        assert all(fragment in line for fragment in fragments), line
    return lines


def test_connection_refused(manifests: list[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = check(url, *manifests)
    lines = assert_fails_closed(result, f"OPA at {url}", "connection refused")
    assert len(lines) == len(manifests)
    assert json.loads(result.out)["findings"] == []


def test_a_hung_server_is_given_up_after_the_timeout(
    opa_binary: str, bundle: Path, tmp_path: Path, manifests: list[str]
) -> None:
    with opa_server(opa_binary, tmp_path, [bundle]) as server:
        server.pause()  # SIGSTOP: connections are accepted, nothing is ever answered
        # A subprocess, so that a missing timeout fails the test instead of hanging it.
        done = subprocess.run(
            [sys.executable, "-m", "checker", "check", "--engine", "opa", "--opa-url",
             server.url, "--opa-timeout", "1", manifests[0]],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "no answer within 1s (--opa-timeout)" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_a_server_that_hangs_mid_run(
    opa_binary: str, bundle: Path, tmp_path: Path, manifests: list[str], monkeypatch
) -> None:
    with opa_server(opa_binary, tmp_path, [bundle]) as server:
        decide = opa_http.Endpoint.decide
        calls = []

        def decide_then_hang(self, path, document):  # type: ignore[no-untyped-def]
            if not is_ours(document):  # the canary, before the run's manifests
                return decide(self, path, document)
            calls.append(document["metadata"]["name"])
            if len(calls) == 2:
                server.pause()
            return decide(self, path, document)

        monkeypatch.setattr(opa_http.Endpoint, "decide", decide_then_hang)
        box: list[CliResult] = []
        runner = threading.Thread(
            target=lambda: box.append(check(server.url, *manifests, timeout="1"))
        )
        runner.start()
        runner.join(timeout=120)  # a guard against a missing timeout, not a measurement
        server.resume()
        runner.join()
    result = box[0]
    lines = assert_fails_closed(result, "OPA at")
    assert any("no answer within 1s" in line for line in lines)
    assert len(lines) < len(manifests) or not json.loads(result.out)["findings"]


@pytest.mark.parametrize(
    ("status", "retried"),
    [(500, False), (502, True), (503, True), (504, True)],
)
def test_html_error_pages(manifests: list[str], status: int, retried: bool) -> None:
    page = b"<html><body><h1>Bad Gateway</h1></body></html>"
    seen: list[str] = []

    def reply(path: str, body: bytes) -> tuple[int, str, bytes]:
        seen.append(path)
        return healthy_then((status, "text/html; charset=utf-8", page))(path, body)

    with fake_server(reply) as url:
        result = check(url, manifests[0])
    assert_fails_closed(result, f"HTTP {status} with a non-JSON body (text/html)")
    decisions = [path for path in seen if path.startswith("/v1/data/tdcheck")]
    # Retried only where safe and useful: a gateway error, once, for a lone server.
    assert len(decisions) == (2 if retried else 1)


def test_invalid_json(manifests: list[str]) -> None:
    with fake_server(healthy_then((200, "application/json", b'{"result": [{"rule'))) as url:
        result = check(url, manifests[0])
    assert_fails_closed(result, "answered with something that is not JSON")


def test_a_policy_error_answer_is_not_retried(manifests: list[str]) -> None:
    seen: list[str] = []
    body = json.dumps({"code": "internal_error", "message": "eval_conflict_error: boom"})

    def reply(path: str, _body: bytes) -> tuple[int, str, bytes]:
        seen.append(path)
        if path.startswith("/health"):
            return 200, "application/json", b"{}"
        return 500, "application/json", body.encode()

    with fake_server(reply) as url:
        result = check(url, manifests[0])
    assert_fails_closed(result, "HTTP 500: eval_conflict_error: boom")
    assert len([p for p in seen if p.startswith("/v1/data/tdcheck")]) == 1


def test_undefined_decision_from_a_server_without_our_policies(
    opa_binary: str, tmp_path: Path, manifests: list[str]
) -> None:
    with opa_server(opa_binary, tmp_path, []) as server:
        result = check(server.url, *manifests)
    assert_fails_closed(result, "data.tdcheck.main.findings is undefined")


@pytest.mark.parametrize(
    ("rego", "fragment"),
    [
        ("findings := 42", "decision of the wrong shape"),
        ('findings := [{"rule_id": 7}]', "malformed finding"),
    ],
)
def test_decision_of_the_wrong_shape(
    opa_binary: str, tmp_path: Path, manifests: list[str], rego: str, fragment: str
) -> None:
    wrong = rego_bundle(
        tmp_path, "wrong", ["tdcheck"], {"main.rego": f"package tdcheck.main\n\n{rego}\n"}
    )
    with opa_server(opa_binary, tmp_path, [wrong]) as server:
        result = check(server.url, *manifests)
    assert len(assert_fails_closed(result, fragment)) == len(manifests)


CONFLICT = """\
package tdcheck.rules.org_conflict

import rego.v1

# Two values for one complete rule when the name starts with m1: a runtime conflict error.
tag := "a" if startswith(input.metadata.name, "m1")

tag := "b" if contains(input.metadata.name, "1")

findings := set() if tag != ""
"""

BUILTIN_ERROR = """\
package tdcheck.rules.org_builtin

import rego.v1

# to_number fails for every name but a number: strict builtin errors on both engines.
findings := set() if to_number(input.metadata.name) > 1
"""


@pytest.mark.parametrize("engine", ["opa", "embedded"])
@pytest.mark.parametrize(
    ("rego", "fragment", "failing"),
    [
        (CONFLICT, "eval_conflict_error", 1),
        (BUILTIN_ERROR, "eval_builtin_error", 4),
    ],
)
def test_a_policy_that_raises_at_runtime(
    tmp_path: Path, manifests: list[str], engine: str, rego: str, fragment: str, failing: int,
    request: pytest.FixtureRequest,
) -> None:  # fmt: skip
    if engine == "opa":
        request.getfixturevalue("opa_binary")
    policies = tmp_path / "org"
    policies.mkdir()
    (policies / "org.rego").write_text(rego)
    result = run_cli("check", "--engine", engine, "--policy", str(policies), "-f", "json",
                     *manifests)  # fmt: skip
    lines = assert_fails_closed(result)
    assert len(lines) == failing, lines
    assert all(fragment in line for line in lines), lines
    evaluated = {f["manifest"] for f in json.loads(result.out)["findings"]}
    assert len(evaluated) == len(manifests) - failing  # the others are still reported


@pytest.mark.parametrize("engine", ["opa", "embedded"])
def test_a_policy_that_fails_to_compile(
    tmp_path: Path, manifests: list[str], engine: str, request: pytest.FixtureRequest
) -> None:
    if engine == "opa":
        request.getfixturevalue("opa_binary")
    policies = tmp_path / "org"
    policies.mkdir()
    (policies / "bad.rego").write_text("package tdcheck.rules.bad\n\nfindings contains x if {\n")
    result = run_cli(
        "check", "--engine", engine, "--policy", str(policies), "-f", "json", *manifests
    )
    assert_fails_closed(result, "bad.rego")


def test_a_lone_server_killed_mid_run(
    opa_binary: str, bundle: Path, tmp_path: Path, manifests: list[str], monkeypatch
) -> None:
    """What was evaluated before is kept; the rest is not evaluated, exit 3, nothing passes."""
    with opa_server(opa_binary, tmp_path, [bundle]) as server:
        decide = opa_http.Endpoint.decide
        done: list[str] = []
        one_at_a_time = threading.Lock()

        def kill_after_two(self, path, document):  # type: ignore[no-untyped-def]
            if not is_ours(document):  # the canary, before the run's manifests
                return decide(self, path, document)
            with one_at_a_time:
                if len(done) == 2:
                    server.kill()
                answer = decide(self, path, document)
                done.append(document["metadata"]["name"])
                return answer

        monkeypatch.setattr(opa_http.Endpoint, "decide", kill_after_two)
        result = check(server.url, *manifests)
    lines = assert_fails_closed(result, f"cannot use OPA at {server.url}: connection refused")
    assert len(lines) == 2
    assert len({f["manifest"] for f in json.loads(result.out)["findings"]}) == 2


def test_a_server_restarted_between_decisions_loses_nothing(
    opa_binary: str, bundle: Path, tmp_path: Path, manifests: list[str], monkeypatch
) -> None:
    with opa_server(opa_binary, tmp_path, [bundle]) as server:
        port = int(server.url.rsplit(":", 1)[1])
        decide = opa_http.Endpoint.decide
        calls: list[str] = []
        one_at_a_time = threading.Lock()
        restarted: list[OpaProcess] = []

        def restart_after_two(self, path, document):  # type: ignore[no-untyped-def]
            if not is_ours(document):  # the canary, before the run's manifests
                return decide(self, path, document)
            with one_at_a_time:
                calls.append(document["metadata"]["name"])
                if len(calls) == 3:
                    server.kill()
                    restarted.append(start_opa(opa_binary, tmp_path, [bundle], port=port))
                return decide(self, path, document)

        monkeypatch.setattr(opa_http.Endpoint, "decide", restart_after_two)
        try:
            result = check(server.url, *manifests)
        finally:
            for process in restarted:
                process.kill()
    assert result.code == 1, result.err
    assert len({f["manifest"] for f in json.loads(result.out)["findings"]}) == len(manifests)


def _trickling_server() -> tuple[socket.socket, threading.Thread]:
    """Answers GET /health at once; any other request gets headers promising 100,000 bytes,
    then one byte every 0.2 s: each read finishes well within a 1 s read timeout."""
    listener = socket.create_server(("127.0.0.1", 0))

    def serve(conn: socket.socket) -> None:
        with conn:
            request = conn.recv(65536)
            if request.startswith(b"GET /health"):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
                return
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            conn.sendall(head + b"Content-Length: 100000\r\n\r\n")
            try:
                for _ in range(100000):
                    conn.sendall(b" ")
                    time.sleep(0.2)
            except OSError:
                return

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    return listener, thread


def test_a_trickling_server_cannot_hold_a_run(manifests: list[str]) -> None:
    listener, _ = _trickling_server()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "checker", "check", "--engine", "opa", "--opa-url", url,
             "--opa-timeout", "1", "--opa-trust-remote-policy", manifests[0]],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    finally:
        listener.close()
    assert done.returncode == 3, done.stderr
    assert "within 1s (--opa-timeout)" in done.stdout + done.stderr
    assert time.monotonic() - started < 30


TOKEN = "s3cr3t-token-value-0123456789"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "markdown", "html"])
def test_a_gateway_echoing_the_token_never_publishes_it(
    manifests: list[str], fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    echo = {
        "code": "internal_error",
        "message": f"denied; request headers: Authorization: Bearer {TOKEN}, "
        f"X-Token: {TOKEN}; see authorization={TOKEN}",
    }
    body = json.dumps(echo).encode()
    monkeypatch.setenv("TDCHECK_OPA_TOKEN", TOKEN)
    out = tmp_path / f"report.{fmt}"
    with fake_server(healthy_then((500, "application/json", body))) as url:
        result = run_cli("check", "--engine", "opa", "--opa-url", url, "--opa-trust-remote-policy",
                         "-f", fmt, "-o", str(out), "-v", manifests[0])  # fmt: skip
    assert result.code == 3, result.err
    published = result.out + result.err + out.read_text(encoding="utf-8")
    assert "HTTP 500" in published
    assert TOKEN not in published
    assert "Authorization: [redacted]," in published or "Authorization%3A [redacted]" in published
    assert "[redacted]]" not in published  # redacting twice changes nothing
