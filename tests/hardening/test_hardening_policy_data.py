"""Policy data parameterises decisions and never makes them, whichever way it arrives and
whichever engine runs: a data key under tdcheck.main/rules/lib/advise is refused with its
key path, before any engine sees it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.errors import PolicyError, UsageError
from checker.policy_data import check_data_keys
from tests.conftest import run_cli
from tests.test_cli import PHI_ABROAD

SHADOWS = {
    "tdcheck.main.findings": {"tdcheck": {"main": {"findings": []}}},
    "tdcheck.rules.hipaa_res_001.findings": {
        "tdcheck": {"rules": {"hipaa_res_001": {"findings": []}}}
    },
    "tdcheck.lib.org": {"tdcheck": {"lib": {"org": {}}}},
    "tdcheck.advise.x": {"tdcheck": {"advise": {"x": 1}}},
}


def _check(tmp_path: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(PHI_ABROAD)
    result = run_cli("check", *extra, str(manifest))
    return result.code, result.err


@pytest.mark.parametrize("engine", ["embedded", "opa"])
@pytest.mark.parametrize("key", sorted(SHADOWS))
def test_data_file_cannot_shadow_decisions(
    tmp_path: Path, key: str, engine: str, request: pytest.FixtureRequest
) -> None:
    if engine == "opa":
        request.getfixturevalue("opa_binary")
    data = tmp_path / "shadow.json"
    data.write_text(json.dumps(SHADOWS[key]))
    code, err = _check(tmp_path, "--engine", engine, "--data", str(data))
    assert code == 2, err
    assert f"data key {key} " in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("arrival", ["env", "config", "policy-dir"])
def test_every_way_data_arrives_is_checked(
    tmp_path: Path, arrival: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shadow = json.dumps(SHADOWS["tdcheck.main.findings"])
    extra: list[str] = []
    monkeypatch.chdir(tmp_path)
    if arrival == "env":
        (tmp_path / "d.json").write_text(shadow)
        monkeypatch.setenv("TDCHECK_DATA", str(tmp_path / "d.json"))
    elif arrival == "config":
        (tmp_path / "d.json").write_text(shadow)
        (tmp_path / ".tdcheck.yaml").write_text("data: [d.json]\n")
    else:
        (tmp_path / "rules").mkdir()
        (tmp_path / "rules" / "data.json").write_text(shadow)
        extra = ["--policy", str(tmp_path / "rules")]
    code, err = _check(tmp_path, "--engine", "embedded", *extra)
    assert code == 2, err
    assert "data key tdcheck.main.findings " in err


def test_organisation_parameters_and_own_keys_still_work(tmp_path: Path) -> None:
    data = tmp_path / "org.json"
    data.write_text(
        json.dumps(
            {"tdcheck": {"org": {"phi_allowed_countries": ["US", "DE"]}}, "acme": {"limit": 3}}
        )
    )
    code, err = _check(tmp_path, "--engine", "embedded", "--data", str(data))
    assert code == 0, err  # PHI in DE is now allowed: the parameter took effect


def test_own_data_cannot_replace_a_policy_package() -> None:
    packages = ("tdcheck.main", "acme.helpers")
    with pytest.raises(UsageError, match=r"data key acme\.helpers\.limit would replace"):
        check_data_keys({"acme": {"helpers": {"limit": 1}}}, packages, "d.json", shipped=False)
    with pytest.raises(UsageError, match=r"data key acme would replace package acme\.helpers"):
        check_data_keys({"acme": 5}, packages, "d.json", shipped=False)
    check_data_keys({"acme": {"other": 1}}, packages, "d.json", shipped=False)


def test_shipped_data_that_shadows_is_an_evaluation_failure() -> None:
    with pytest.raises(PolicyError, match=r"data key tdcheck\.main\.findings"):
        check_data_keys(SHADOWS["tdcheck.main.findings"], (), "data.json", shipped=True)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"tdcheck": []}, "tdcheck"),
        ({"tdcheck": {"org": 1}}, "tdcheck.org"),
        ({"tdcheck.main": {"findings": []}}, "tdcheck.main.findings"),
    ],
)
def test_malformed_namespace_is_refused(data: dict[str, object], key: str) -> None:
    with pytest.raises(UsageError, match=f"data key {key} "):
        check_data_keys(data, (), "d.json", shipped=False)


def test_data_cannot_replace_a_policy_package_under_an_extension_point() -> None:
    """A --policy package `tdcheck.org.helpers` is policy, not data: data replacing its
    rules turned an organisation rule's failure into a pass on the embedded engine."""
    data = {"tdcheck": {"org": {"helpers": {"allowed": True}, "threshold": 3}}}
    with pytest.raises(UsageError, match=r"tdcheck\.org\.helpers\.allowed would replace rules"):
        check_data_keys(data, ["tdcheck.org.helpers"], "d.json", shipped=False)
    check_data_keys(
        {"tdcheck": {"org": {"threshold": 3}}}, ["tdcheck.org.helpers"], "d.json", shipped=False
    )
