"""`tdcheck policy test` refuses what `check` refuses: a --policy module, or one of its tests,
that calls a forbidden builtin (`http.send`, `time.now_ns`, ...) is named in one located
line, exit 3, before `opa test` runs anything: no request leaves, no test passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.policy_guard import FORBIDDEN_BUILTINS
from tests.conftest import run_cli
from tests.hardening.servers import Reply, fake_server

RULE = """\
package tdcheck.rules.org_guard

import rego.v1

ok if input.kind == "TrainingDeployment"
"""
TEST = """\
package tdcheck.rules.org_guard_test

import rego.v1

import data.tdcheck.rules.org_guard

test_ok if {{
\torg_guard.ok with input as {{"kind": "TrainingDeployment"}}
\t{body}
}}
"""


def org(tmp_path: Path, body: str, in_rule: bool = False) -> Path:
    root = tmp_path / "org"
    root.mkdir()
    rule = RULE + (f"\nx if {body}\n" if in_rule else "")
    (root / "guard.rego").write_text(rule)
    (root / "guard_test.rego").write_text(TEST.format(body="true" if in_rule else body))
    return root


def test_a_test_calling_http_send_is_refused_and_sends_nothing(
    tmp_path: Path, opa_binary: str
) -> None:
    requests: list[str] = []

    def reply(path: str, _body: bytes) -> Reply:
        requests.append(path)
        return 200, "application/json", b"{}"

    with fake_server(reply) as url:
        body = f'http.send({{"method": "GET", "url": "{url}/leak"}}).status_code == 200'
        result = run_cli("policy", "test", "--policy", str(org(tmp_path, body)))
    assert requests == []  # `opa test` never ran the test (it passes when it does)
    assert result.code == 3, result.out + result.err
    assert result.out == ""
    assert result.err == (
        f"tdcheck: error: {tmp_path}/org/guard_test.rego:9:2: `http.send` is not allowed in "
        f"tdcheck policies: {FORBIDDEN_BUILTINS['http.send']}\n"
    )


@pytest.mark.parametrize("in_rule", [True, False], ids=["rule", "test"])
def test_a_clock_reading_module_is_refused(tmp_path: Path, opa_binary: str, in_rule: bool) -> None:
    policy = org(tmp_path, "time.now_ns() > 0", in_rule)
    result = run_cli("policy", "test", "--policy", str(policy))
    assert result.code == 3, result.out + result.err  # `opa test` alone: exit 0, PASS
    assert "`time.now_ns` is not allowed in tdcheck policies" in result.err
    assert "PASS" not in result.out
