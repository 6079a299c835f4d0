"""The compiled-policy cache (checker/engine/policy_cache.py): hit, miss, stale, corrupt, off.

A cached bundle decides findings, so the tests show that it is used when it should be (a
policy set that cannot compile but carries a cached digest still evaluates: the bundle came
from the cache, in-process and in engine workers), and never when it should not (a changed
policy or data file is a new key with its own findings; a corrupt file is rebuilt; a
directory others can write is not trusted; --no-cache and TDCHECK_NO_CACHE compile).
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from checker.engine import ENGINES, EngineOptions, create_engine
from checker.engine.isolation import IsolatedEngine
from checker.engine.policy_cache import KEEP, BundleCache, cache_dir
from checker.errors import PolicyError
from checker.policy import PolicySet, load_policy_set
from tests.conftest import ROOT, run_cli
from tests.test_cli import PHI_ABROAD

ORG_RULE = """# METADATA
# title: Org rule
# custom:
#   id: ORG-CACHE-001
#   framework: hipaa
#   severity: error
#   subject: stage
#   citation: internal policy 7
#   remediation: do the thing
package tdcheck.rules.org_cache

import data.tdcheck.lib
import rego.v1

findings contains lib.stage_finding("ORG-CACHE-001", stage_id, verdict) if {
	some stage_id in object.keys(lib.stages)
	verdict := {"failed": FAILED, "message": ["org rule"], "path": ["spec"]}
}
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("TDCHECK_CACHE_DIR", str(directory))
    monkeypatch.delenv("TDCHECK_NO_CACHE", raising=False)
    # Every run here evaluates: the result cache would answer the repeated runs without
    # loading the policy at all (tests/test_result_cache.py covers it).
    from checker.cache import store

    monkeypatch.setattr(store, "result_dir", lambda environ=None: None)
    return directory


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """Small, with a failing finding: cheap to evaluate, and a wrong bundle would show."""
    path = tmp_path / "phi-abroad.yaml"
    path.write_text(PHI_ABROAD)
    return path


def _bundles(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.rbb")) if directory.is_dir() else []


def _check(*args: str) -> tuple[int, list[tuple[str, str, str]]]:
    result = run_cli("check", "--engine", "embedded", "-f", "json", "--as-of", "2026-11-28", *args)
    assert result.code in (0, 1), result.err
    report = json.loads(result.out)
    found = [(f["rule_id"], f["status"], f.get("stage") or "") for f in report["findings"]]
    return result.code, sorted(found)


def _uncompilable(policy: PolicySet) -> PolicySet:
    """The digest of `policy` with sources that cannot compile: evaluates only from the cache."""
    return dataclasses.replace(policy, modules=(("broken.rego", "package x\nthis is not rego"),))


def _findings(engine: Any, path: Path) -> list[Any]:
    import yaml

    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["_tdcheck"] = {"as_of": "2026-11-28"}
    [evaluation] = engine.evaluate([document])
    assert evaluation.error is None, evaluation.error
    return sorted(json.dumps(f, sort_keys=True) for f in evaluation.findings)


def test_a_miss_writes_the_bundle_and_a_hit_uses_it(cache: Path, manifest: Path) -> None:
    policy = load_policy_set()
    compiled = create_engine("embedded", policy, EngineOptions(documents=1))
    expected = _findings(compiled, manifest)
    compiled.close()
    assert len(_bundles(cache)) == 1
    with pytest.raises(PolicyError):  # the control: this policy set cannot compile
        create_engine("embedded", _uncompilable(policy), EngineOptions(policy_cache=False))
    cached = create_engine("embedded", _uncompilable(policy), EngineOptions(documents=1))
    try:
        assert _findings(cached, manifest) == expected
    finally:
        cached.close()


QUOTES_RULE = ORG_RULE.replace("org_cache", "org_quotes").replace(
    'verdict := {"failed": FAILED, "message": ["org rule"], "path": ["spec"]}',
    """lits := ["with \\"quotes\\"", "back\\\\slash", "tab\\tnew\\nline",
		`raw "s" \\n`, "é ✓", "a\\u0000b"]
	quoted := data.tdcheck.org.quoted
	message := array.concat(lits, [quoted, sprintf("%s|%v", [lits[0], quoted]), concat("-", lits)])
	verdict := {"failed": true, "message": message, "path": ["spec"]}""",
)


def test_a_cached_bundle_answers_exactly_as_the_compiled_one(
    cache: Path, manifest: Path, tmp_path: Path
) -> None:
    """Strings in rules and data (quotes, escapes, raw strings, non-ASCII, NUL) come back
    identical. (The same held for every fixture manifest, 92, when the cache was built.)"""
    rules = tmp_path / "org"
    rules.mkdir()
    (rules / "quotes.rego").write_text(QUOTES_RULE, encoding="utf-8")
    data = tmp_path / "org.yaml"
    data.write_text('tdcheck: {org: {quoted: ["x\\"y", "b\\\\", "é", {"k\\"": "\\t"}]}}')
    policy = load_policy_set((rules,), (data,))
    compiled = create_engine("embedded", policy, EngineOptions(documents=1, policy_cache=False))
    create_engine("embedded", policy, EngineOptions(documents=1)).close()
    cached = create_engine("embedded", _uncompilable(policy), EngineOptions(documents=1))
    try:
        for path in (manifest, ROOT / "fixtures" / "examples" / "research-cloud-spot.yaml"):
            found = _findings(cached, path)
            assert found == _findings(compiled, path), path
            assert any('"with \\"quotes\\""' in f for f in found)
    finally:
        compiled.close()
        cached.close()


def test_engine_workers_load_the_cached_bundle(cache: Path, manifest: Path) -> None:
    policy = load_policy_set()
    create_engine("embedded", policy, EngineOptions(documents=1)).close()  # fills the cache
    engine = IsolatedEngine(ENGINES["embedded"], _uncompilable(policy), EngineOptions())
    try:
        assert _findings(engine, manifest)
    finally:
        engine.close()


def test_a_changed_policy_or_data_file_is_a_new_key_with_its_own_findings(
    cache: Path, manifest: Path, tmp_path: Path
) -> None:
    rules = tmp_path / "org"
    rules.mkdir()
    (rules / "org.rego").write_text(ORG_RULE.replace("FAILED", "true"))
    data = tmp_path / "org.yaml"
    data.write_text("tdcheck:\n  org:\n    phi_allowed_countries: [US]\n")
    options = ("--policy", str(rules), "--data", str(data), str(manifest))

    code, first = _check(*options)
    assert ("ORG-CACHE-001", "fail", "train") in first
    assert ("HIPAA-RES-001", "fail", "train") in first
    assert _check(*options) == (code, first)  # a hit: the same findings
    assert len(_bundles(cache)) == 1

    (rules / "org.rego").write_text(ORG_RULE.replace("FAILED", "false"))
    _, second = _check(*options)
    assert ("ORG-CACHE-001", "pass", "train") in second
    assert ("HIPAA-RES-001", "fail", "train") in second
    data.write_text("tdcheck:\n  org:\n    phi_allowed_countries: [US, DE]\n")
    _, third = _check(*options)
    assert ("HIPAA-RES-001", "pass", "train") in third
    assert len(_bundles(cache)) == 3  # one per policy digest


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "bit flip"])
def test_a_corrupt_cache_file_is_rebuilt_and_never_fails_the_run(
    cache: Path, manifest: Path, damage: str, capfd: pytest.CaptureFixture[str]
) -> None:
    before = _check(str(manifest))
    [bundle] = _bundles(cache)
    good = bundle.read_bytes()
    damaged = {
        "garbage": os.urandom(4096),
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "bit flip": good[:1000] + bytes([good[1000] ^ 0x40]) + good[1001:],
    }[damage]
    bundle.write_bytes(damaged)
    capfd.readouterr()
    assert _check(str(manifest)) == before
    native = capfd.readouterr()  # rego-cpp's "Mismatched CRC" is no news to the user
    assert native.out == native.err == "", native
    assert bundle.read_bytes() == good  # rebuilt: the same compiled policy


def test_no_cache_flag_and_environment_compile_every_time(
    cache: Path, manifest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _check("--no-cache", str(manifest))
    assert not _bundles(cache)
    monkeypatch.setenv("TDCHECK_NO_CACHE", "1")
    assert _check(str(manifest)) == before
    assert not _bundles(cache)
    monkeypatch.setenv("TDCHECK_NO_CACHE", "0")
    assert _check(str(manifest)) == before
    assert len(_bundles(cache)) == 1


def test_a_directory_others_can_write_or_a_file_in_the_way_is_not_used(
    cache: Path, manifest: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _check(str(manifest))
    [bundle] = _bundles(cache)
    bundle.write_bytes(b"planted")
    cache.chmod(0o777)  # anyone could have planted it: not loaded, not replaced
    assert _check(str(manifest)) == before
    assert bundle.read_bytes() == b"planted"
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    monkeypatch.setenv("TDCHECK_CACHE_DIR", str(blocked / "cache"))
    assert _check(str(manifest)) == before


def test_cache_location_follows_the_environment(tmp_path: Path) -> None:
    home = Path.home()
    assert cache_dir({}) == home / ".cache" / "tdcheck"
    assert cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "tdcheck"
    assert cache_dir({"XDG_CACHE_HOME": "relative"}) == home / ".cache" / "tdcheck"
    explicit = {"TDCHECK_CACHE_DIR": str(tmp_path / "c"), "XDG_CACHE_HOME": str(tmp_path)}
    assert cache_dir(explicit) == tmp_path / "c"
    assert cache_dir({**explicit, "TDCHECK_NO_CACHE": "1"}) is None
    assert cache_dir({**explicit, "TDCHECK_NO_CACHE": "false"}) == tmp_path / "c"


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    store = BundleCache(tmp_path / "c")
    store.store("k", lambda tmp: tmp.write_bytes(b"first"))

    def dies_midway(tmp: Path) -> None:
        tmp.write_bytes(b"half")
        raise OSError("disk full")

    store.store("k", dies_midway)
    assert [p.name for p in (tmp_path / "c").iterdir()] == ["tdcheck-k.rbb"]
    assert store.path("k").read_bytes() == b"first"


def test_only_the_newest_bundles_are_kept(tmp_path: Path) -> None:
    store = BundleCache(tmp_path / "c")
    for index in range(KEEP + 3):
        store.store(f"{index:064x}", lambda tmp: tmp.write_bytes(b"x"))
        os.utime(store.path(f"{index:064x}"), (1_000_000 + index, 1_000_000 + index))
    kept = sorted(p.stem for p in (tmp_path / "c").glob("*.rbb"))
    assert kept == sorted(f"tdcheck-{index:064x}" for index in range(3, KEEP + 3))


def test_prune_touches_only_files_carrying_the_tdcheck_mark(tmp_path: Path) -> None:
    """TDCHECK_CACHE_DIR may name a directory holding other files: they are never deleted."""
    directory = tmp_path / "c"
    directory.mkdir(mode=0o700)
    foreign = [directory / name for name in ("notes.tmp", "model.rbb", f"{0:064x}.rbb")]
    foreign += [directory / f"other{index}.rbb" for index in range(KEEP + 2)]
    for path in foreign:
        path.write_bytes(b"theirs")
        os.utime(path, (1_000_000, 1_000_000))  # old: both prune rules would apply
    store = BundleCache(directory)
    for index in range(KEEP + 1):
        store.store(f"{index:064x}", lambda tmp: tmp.write_bytes(b"x"))
    assert all(path.read_bytes() == b"theirs" for path in foreign)
    assert len(list(directory.glob("tdcheck-*.rbb"))) == KEEP
