"""A --policy rule cannot reach the network or the host, nor depend on the clock: builtins
such as `http.send` and `opa.runtime` are refused with a located one-line error before any
engine sees the policy, on both engines; the built-in policies use none of them.

The scan is checked against real OPA: a module is refused exactly when `opa check` with
OPA's own capabilities minus the forbidden builtins rejects it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from checker.errors import PolicyError
from checker.policy import builtin_policy_dir, load_policy_set
from checker.policy_guard import FORBIDDEN_BUILTINS, check_builtins
from tests.conftest import FIXTURES, run_cli

MANIFEST = FIXTURES / "rules" / "HYB-DECL-001" / "pass.yaml"
RULE = """\
# METADATA
# title: An organisation's rule
# custom:
#   id: ORG-NET-001
#   framework: hybrid
#   severity: error
#   subject: stage
#   citation: internal policy 7
#   remediation: do the thing
package tdcheck.rules.org_net

import data.tdcheck.lib

findings contains lib.stage_finding("ORG-NET-001", "train", verdict) if {{
	{body}
	verdict := {{"failed": false, "message": ["ok"], "path": ["spec", "stages", 0]}}
}}
"""
URL = '{"method": "GET", "url": "http://127.0.0.1:9/tdcheck-must-not-call"}'

# (forbidden builtin, the rule body line that uses it)
REFUSED = [
    ("http.send", f"http.send({URL})"),
    ("http.send", f"r := http.send({URL})"),
    ("http.send", f'r := http["send"]({URL})'),
    ("http.send", f"r := http[`send`]({URL})"),
    ("http.send", f'r := http["\\u0073end"]({URL})'),
    ("http.send", f"http.send({URL}, r)"),
    ("net.lookup_ip_addr", 'net.lookup_ip_addr("example.com")'),
    ("opa.runtime", "count(opa.runtime().env) >= 0"),
    ("opa.runtime", 'opa["runtime"]().env.HOME'),
    ("time.now_ns", "time.now_ns() > 0"),
    ("rand.intn", 'rand.intn("x", 10) >= 0'),
    ("uuid.rfc4122", 'uuid.rfc4122("x") != ""'),
]
ALLOWED = [
    'x := "http.send(r) opa.runtime()"',  # a string
    "x := 1 # http.send(r) in a comment",
    "x := `net.lookup_ip_addr(h)`",  # a raw string
    'x := object.get(data.tdcheck.org, ["http", "send"], 1)',
]
# Allowed too, but regopy lacks them; data.http.send is a rule, not the builtin.
ALLOWED_ON_OPA = [
    "x := data.http.send",
    'trace("fine")',
    'time.parse_ns("2006", "2026") > 0',
    'net.cidr_contains("10.0.0.0/8", "10.1.2.3")',  # net.* without the network is fine
]


def org_policy(tmp_path: Path, body: str) -> Path:
    root = tmp_path / "org-rules"
    root.mkdir(exist_ok=True)
    (root / "net.rego").write_text(RULE.format(body=body))
    return root


@pytest.fixture(params=["embedded", "opa"])
def engine(request: pytest.FixtureRequest) -> str:
    if request.param == "opa":
        request.getfixturevalue("opa_binary")
    return str(request.param)


@pytest.mark.parametrize(("builtin", "body"), REFUSED, ids=[b for _, b in REFUSED])
def test_a_forbidden_builtin_is_refused_with_a_located_line(
    tmp_path: Path, engine: str, builtin: str, body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    org_policy(tmp_path, body)
    result = run_cli("check", "--engine", engine, "--policy", "org-rules", str(MANIFEST))
    assert result.code == 3, result.out + result.err
    assert result.out == ""
    lines = result.err.strip().splitlines()
    column = body.index(builtin.split(".")[0]) + 2  # the body is indented by one tab
    assert lines == [
        f"tdcheck: error: org-rules/net.rego:15:{column}: `{builtin}` is not allowed in tdcheck "
        f"policies: {FORBIDDEN_BUILTINS[builtin]}"
    ]


@pytest.mark.parametrize("body", ALLOWED)
def test_names_in_strings_comments_and_data_refs_are_not_refused(tmp_path: Path, body: str) -> None:
    result = run_cli("check", "--engine", "embedded", "--policy", str(org_policy(tmp_path, body)),
                     str(MANIFEST))  # fmt: skip
    assert result.code == 0, result.err


def test_the_reasons_say_why() -> None:
    assert FORBIDDEN_BUILTINS["http.send"] == "rules must decide from the manifest and data only"
    assert "as_of" in FORBIDDEN_BUILTINS["time.now_ns"]


def test_the_bundle_command_refuses_them_too(tmp_path: Path) -> None:
    policy = org_policy(tmp_path, REFUSED[0][1])
    result = run_cli("bundle", "--policy", str(policy), "-o", str(tmp_path / "b.tar.gz"))
    assert result.code == 3
    assert "`http.send` is not allowed" in result.err
    assert not (tmp_path / "b.tar.gz").exists()


# --- against real OPA --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def restricted_capabilities(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import require_tool

    opa = require_tool("opa")
    current = json.loads(
        subprocess.run([opa, "capabilities", "--current"], capture_output=True, check=True).stdout
    )
    names = {b["name"] for b in current["builtins"]}
    assert set(FORBIDDEN_BUILTINS) <= names  # a misspelt name would guard nothing
    current["builtins"] = [b for b in current["builtins"] if b["name"] not in FORBIDDEN_BUILTINS]
    path = tmp_path_factory.mktemp("caps") / "capabilities.json"
    path.write_text(json.dumps(current))
    return path


def opa_check(opa: str, capabilities: Path, *paths: str | Path) -> subprocess.CompletedProcess[str]:
    argv = [opa, "check", "--capabilities", str(capabilities), *map(str, paths)]
    return subprocess.run(argv, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("body", [b for _, b in REFUSED] + ALLOWED + ALLOWED_ON_OPA)
def test_the_scan_refuses_exactly_what_opa_refuses_without_those_builtins(
    tmp_path: Path, opa_binary: str, restricted_capabilities: Path, body: str
) -> None:
    module = RULE.format(body=body).replace("import data.tdcheck.lib\n", "")
    module = module.replace('lib.stage_finding("ORG-NET-001", "train", verdict)', "verdict")
    path = tmp_path / "m.rego"
    path.write_text(module)
    opa = opa_check(opa_binary, restricted_capabilities, path)
    try:
        check_builtins(str(path), module)
        refused = False
    except PolicyError:
        refused = True
    assert refused == (opa.returncode != 0), opa.stdout + opa.stderr


def test_the_builtin_policies_use_none_of_them(
    opa_binary: str, restricted_capabilities: Path
) -> None:
    for name, source in load_policy_set().modules:
        check_builtins(name, source)  # raises on the first use
    # Every module the engines load, tests included; conftest/ is for conftest users only
    # (it reads the clock: conftest has no --as-of) and never loaded by the checker.
    result = opa_check(
        opa_binary, restricted_capabilities, "--ignore", "conftest", builtin_policy_dir()
    )
    assert result.returncode == 0, result.stdout + result.stderr
