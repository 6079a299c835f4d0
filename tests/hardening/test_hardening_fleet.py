"""Fleet mode against real OPA servers loaded with `tdcheck bundle`: spreading, failover,
bearer token with OPA's token authentication, TLS with a CA made in the test."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import certifi
import pytest

from checker.engine import opa_http
from checker.engine.canary import cases as canary_cases
from tests.conftest import CliResult, run_cli
from tests.hardening.servers import OpaProcess, make_self_signed, make_tls, opa_server, rego_bundle
from tests.hardening.test_hardening_opa_faults import is_ours

TOKEN = "tdc-9f2b7c1e-TEST-token-aa41"

AUTHZ = f"""\
package system.authz

import rego.v1

default allow := false

allow if input.identity == "{TOKEN}"
"""


def check(*args: str) -> CliResult:
    return run_cli("check", "--engine", "opa", "-f", "json", "--opa-timeout", "10", *args)


def urls(*servers: OpaProcess) -> list[str]:
    return [arg for server in servers for arg in ("--opa-url", server.url)]


def decisions(server: OpaProcess) -> int:
    """Decision requests the server logged (started with --log-level info)."""
    return sum(
        '"req_path":"/v1/data/tdcheck/main/findings"' in line
        and "Received request" in line
        for line in server.log.read_text().splitlines()
    )  # fmt: skip


def reference(manifests: list[str]) -> CliResult:
    return run_cli("check", "--engine", "embedded", "-f", "json", *manifests)


def findings(result: CliResult) -> list[dict[str, object]]:
    report = json.loads(result.out)
    return list(report["findings"])


def test_documents_are_spread_round_robin(
    opa_binary: str, bundle: Path, tmp_path: Path, manifests: list[str]
) -> None:
    info = ["--log-level", "info"]
    with (
        opa_server(opa_binary, tmp_path, [bundle], args=info) as one,
        opa_server(opa_binary, tmp_path, [bundle], args=info) as two,
    ):
        result = check(*urls(one, two), *manifests)
        assert result.code == 1, result.err
        assert findings(result) == findings(reference(manifests))
        canary = len(canary_cases())  # each server answers the canary first
        assert decisions(one) == decisions(two) == canary + len(manifests) // 2


def test_a_server_killed_mid_run_fails_over_to_the_other(
    opa_binary: str, bundle: Path, tmp_path: Path, manifests: list[str], monkeypatch
) -> None:
    with (
        opa_server(opa_binary, tmp_path, [bundle]) as one,
        opa_server(opa_binary, tmp_path, [bundle]) as two,
    ):
        decide = opa_http.Endpoint.decide
        calls: list[str] = []

        def kill_after_the_first(self, path, document):  # type: ignore[no-untyped-def]
            calls.append(self.url)
            if len(calls) == 2:
                one.kill()
            return decide(self, path, document)

        monkeypatch.setattr(opa_http.Endpoint, "decide", kill_after_the_first)
        result = check(*urls(one, two), *manifests)
    # Nothing lost: every manifest evaluated (by the survivor), the same findings as ever.
    assert result.code == 1, result.err
    assert "not evaluated" not in result.err
    assert findings(result) == findings(reference(manifests))
    assert one.url in calls and two.url in calls


def test_every_server_down_mid_run_exits_3_and_keeps_what_was_evaluated(
    opa_binary: str, bundle: Path, tmp_path: Path, manifests: list[str], monkeypatch
) -> None:
    with (
        opa_server(opa_binary, tmp_path, [bundle]) as one,
        opa_server(opa_binary, tmp_path, [bundle]) as two,
    ):
        decide = opa_http.Endpoint.decide
        done: list[str] = []
        one_at_a_time = threading.Lock()  # so that exactly two decisions come back

        def kill_both_after_two(self, path, document):  # type: ignore[no-untyped-def]
            if not is_ours(document):  # the canary, before the run's manifests
                return decide(self, path, document)
            with one_at_a_time:
                if len(done) == 2:
                    one.kill()
                    two.kill()
                answer = decide(self, path, document)
                done.append(document["metadata"]["name"])
                return answer

        monkeypatch.setattr(opa_http.Endpoint, "decide", kill_both_after_two)
        result = check(*urls(one, two), *manifests)
    assert result.code == 3
    lost = [line for line in result.err.splitlines() if "not evaluated" in line]
    assert lost and all("every OPA server is down" in line for line in lost), result.err
    assert all("connection refused" in line for line in lost)
    evaluated = {f["manifest"] for f in findings(result)}
    assert evaluated and len(evaluated) + len(lost) == len(manifests)


def test_a_server_with_another_bundle_is_not_used(
    opa_binary: str, bundle: Path, tmp_path: Path, manifests: list[str]
) -> None:
    """A report names the policy digest that judged it; a stale server would make it a lie."""
    org = tmp_path / "org.yaml"
    org.write_text("tdcheck:\n  org:\n    phi_allowed_countries: [US, DE]\n")
    (tmp_path / "stale").mkdir()
    stale = run_cli("bundle", "-q", "-o", str(tmp_path / "stale/b.tar.gz"), "--data", str(org))
    assert stale.code == 0, stale.err
    with (
        opa_server(opa_binary, tmp_path, [tmp_path / "stale/b.tar.gz"]) as old,
        opa_server(opa_binary, tmp_path, [bundle]) as current,
    ):
        assert check(*urls(old), *manifests).code == 3
        result = check(*urls(old, current), *manifests)
        alone = check(*urls(old), manifests[0])
    assert result.code == 1, result.err
    assert findings(result) == findings(reference(manifests))
    assert "serves bundle revision sha256:" in alone.err
    assert "--data" in alone.err


@pytest.fixture
def token_server(opa_binary: str, bundle: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    authz = rego_bundle(tmp_path, "authz", ["system"], {"authz.rego": AUTHZ})
    args = ["--authentication=token", "--authorization=basic"]
    with opa_server(opa_binary, tmp_path, [bundle, authz], args=args, token=TOKEN) as server:
        yield server


def test_the_right_bearer_token_is_accepted(
    token_server: OpaProcess, manifests: list[str], monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TDCHECK_OPA_TOKEN", TOKEN)
    report = tmp_path / "report.json"
    result = check(*urls(token_server), "-v", "-o", str(report), *manifests)
    assert result.code == 1, result.err
    assert json.loads(report.read_text())["summary"]["manifests"] == len(manifests)
    for text in (result.out, result.err, report.read_text()):
        assert TOKEN not in text


@pytest.mark.parametrize("given", [None, "not-the-token", TOKEN[:-1]])
def test_a_wrong_or_missing_token_exits_3_without_printing_it(
    token_server: OpaProcess, manifests: list[str], monkeypatch, given: str | None
) -> None:
    if given is None:
        monkeypatch.delenv("TDCHECK_OPA_TOKEN", raising=False)
    else:
        monkeypatch.setenv("TDCHECK_OPA_TOKEN", given)
    result = check(*urls(token_server), "-v", *manifests)
    assert result.code == 3
    lost = [line for line in result.err.splitlines() if "not evaluated" in line]
    assert len(lost) == len(manifests)
    assert all("HTTP 401" in line and "check TDCHECK_OPA_TOKEN" in line for line in lost)
    assert "Traceback" not in result.err
    for secret in {TOKEN, given} - {None}:
        assert secret not in result.out + result.err


def test_tls_with_the_ca_that_signed_the_server(
    opa_binary: str, bundle: Path, tmp_path: Path, openssl: str, manifests: list[str], monkeypatch
) -> None:
    # CI images often set REQUESTS_CA_BUNDLE; requests lets it override a session's CA file.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())
    ca, cert, key = make_tls(openssl, tmp_path)
    tls = ["--tls-cert-file", str(cert), "--tls-private-key-file", str(key)]
    with opa_server(opa_binary, tmp_path, [bundle], args=tls, scheme="https", ca_file=ca) as s:
        trusted = check(*urls(s), "--opa-ca-file", str(ca), *manifests)
        untrusted = check(*urls(s), *manifests)
    assert trusted.code == 1, trusted.err
    assert findings(trusted) == findings(reference(manifests))
    assert untrusted.code == 3
    assert "TLS certificate verification failed" in untrusted.err
    assert "--opa-ca-file" in untrusted.err


def test_tls_verification_is_on_by_default(
    opa_binary: str, bundle: Path, tmp_path: Path, openssl: str, manifests: list[str]
) -> None:
    cert, key = make_self_signed(openssl, tmp_path)
    tls = ["--tls-cert-file", str(cert), "--tls-private-key-file", str(key)]
    with opa_server(opa_binary, tmp_path, [bundle], args=tls, scheme="https", ca_file=cert) as s:
        result = check(*urls(s), *manifests)
    assert result.code == 3
    assert "TLS certificate verification failed: self-signed certificate" in result.err
    assert json.loads(result.out)["findings"] == []
