"""The result cache (checker/cache/): a hit is byte-identical to a fresh run in every format,
anything that can change a file's findings re-evaluates it, and only whole evaluations are kept.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from checker import run
from checker.cache import store
from checker.cache.entry import MARKER
from checker.engine import EngineOptions, Evaluation
from checker.report import RENDERERS, RenderOptions
from checker.run import RunOptions, execute
from tests.conftest import ROOT, require_tool, run_cli
from tests.test_cli import BROKEN, CLEAN, PHI_ABROAD
from tests.test_policy_cache import ORG_RULE
from tests.test_waivers import RES_WAIVER

AS_OF = "2026-11-28"
WAIVER = RES_WAIVER.format(expires="2027-01-31")


@pytest.fixture
def results(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    directory = tmp_path / "cache" / "results"
    monkeypatch.setattr(store, "result_dir", lambda environ=None: directory)
    monkeypatch.delenv("TDCHECK_NO_CACHE", raising=False)
    return directory


@pytest.fixture
def evaluated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The metadata.name of every manifest an engine evaluates, in order."""
    seen: list[str] = []
    create = run.create_engine

    def counting(name: str, policy: Any, options: EngineOptions) -> Any:
        engine = create(name, policy, options)
        evaluate = engine.evaluate

        def wrapped(documents: Sequence[Any]) -> list[Evaluation]:
            seen.extend(str(d["metadata"]["name"]) for d in documents)
            return evaluate(documents)

        engine.evaluate = wrapped  # type: ignore[method-assign]
        return engine

    monkeypatch.setattr(run, "create_engine", counting)
    return seen


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Three manifests: one failing HIPAA-RES-001 in eu-gpu, two clean."""
    directory = tmp_path / "repo"
    directory.mkdir()
    (directory / "a.yaml").write_text(PHI_ABROAD)
    (directory / "b.yaml").write_text(CLEAN)
    (directory / "c.yaml").write_text(CLEAN.replace("phi-home", "phi-other"))
    return directory


def _options(repo: Path, **kw: Any) -> RunOptions:
    base = RunOptions(paths=(str(repo),), as_of=AS_OF, engine="embedded", cache=True)
    return replace(base, **kw)


def _rendered(options: RunOptions) -> dict[str, str]:
    report = execute(options)
    out = {}
    for name in sorted(RENDERERS):
        handle = io.StringIO()
        RENDERERS[name].write(report, RenderOptions(show_passed=True), handle)
        out[name] = handle.getvalue()
    out["exit"] = str(report.exit_code())
    return out


def _entries(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.tdr")) if directory.is_dir() else []


@pytest.mark.parametrize("engine", ["embedded", "opa", "auto"])
def test_a_hit_renders_byte_identical_in_every_format(
    results: Path, repo: Path, evaluated: list[str], tmp_path: Path, engine: str
) -> None:
    if engine != "embedded":
        require_tool("opa")
    waivers = tmp_path / "w.yaml"
    waivers.write_text(WAIVER)
    fresh = _rendered(_options(repo, cache=False, waivers=waivers, engine=engine))
    assert sorted(evaluated) == ["phi-abroad", "phi-home", "phi-other"]
    cold = _rendered(_options(repo, waivers=waivers, engine=engine))
    assert len(_entries(results)) == 3
    evaluated.clear()
    warm = _rendered(_options(repo, waivers=waivers, engine=engine))
    assert evaluated == []  # every file from the cache, no engine call
    assert set(fresh) == {*RENDERERS, "exit"}
    for name in fresh:
        assert cold[name] == fresh[name], name
        assert warm[name] == fresh[name], name
    assert '"status": "waived"' in warm["json"]


def test_without_waivers_a_hit_is_spooled_as_stored_and_renders_the_same(
    results: Path, repo: Path, evaluated: list[str], tmp_path: Path
) -> None:
    """No waiver names these deployments: each file's stored records go to the spool as
    they are, and the counts behind the summary come from the entry."""
    waivers = tmp_path / "w.yaml"
    waivers.write_text(WAIVER.replace("phi-*", "other-team-*"))
    fresh = _rendered(_options(repo, cache=False, waivers=waivers))
    _rendered(_options(repo, waivers=waivers))
    evaluated.clear()
    assert _rendered(_options(repo, waivers=waivers)) == fresh
    assert _rendered(_options(repo)) == _rendered(_options(repo, cache=False))
    assert evaluated == ["phi-abroad", "phi-home", "phi-other"]  # the --no-cache run only


def test_a_waiver_or_framework_change_needs_no_evaluation(
    results: Path, repo: Path, evaluated: list[str], tmp_path: Path
) -> None:
    execute(_options(repo))
    evaluated.clear()
    waivers = tmp_path / "w.yaml"
    waivers.write_text(WAIVER)
    waived = execute(_options(repo, waivers=waivers))
    only_gdpr = execute(_options(repo, frameworks=("gdpr",)))
    assert evaluated == []
    assert waived.exit_code() == 0
    assert [f.status for f in waived.findings if f.rule_id == "HIPAA-RES-001" and f.waiver]
    assert {f.framework for f in only_gdpr.findings} <= {"gdpr"}


def _findings(report: Any) -> list[tuple[str, str, str | None]]:
    return sorted((f.rule_id, f.status, f.stage) for f in report.findings)


def test_each_part_of_the_key_invalidates(
    results: Path, repo: Path, evaluated: list[str], tmp_path: Path
) -> None:
    rules = tmp_path / "org"
    rules.mkdir()
    (rules / "org.rego").write_text(ORG_RULE.replace("FAILED", "true"))
    data = tmp_path / "org.yaml"
    data.write_text("tdcheck:\n  org:\n    phi_allowed_countries: [US]\n")
    options = _options(repo, policy_dirs=(rules,), data_files=(data,))

    first = execute(options)
    assert ("ORG-CACHE-001", "fail", "train") in _findings(first)
    evaluated.clear()
    assert _findings(execute(options)) == _findings(first) and evaluated == []

    (rules / "org.rego").write_text(ORG_RULE.replace("FAILED", "false"))  # the policy
    second = execute(options)
    assert ("ORG-CACHE-001", "pass", "train") in _findings(second)
    assert len(evaluated) == 3

    evaluated.clear()
    data.write_text("tdcheck:\n  org:\n    phi_allowed_countries: [US, DE]\n")  # the data
    third = execute(options)
    assert ("HIPAA-RES-001", "pass", "train") in _findings(third)
    assert len(evaluated) == 3

    evaluated.clear()
    execute(replace(options, as_of="2026-12-01"))  # the date rules are judged at
    assert len(evaluated) == 3

    evaluated.clear()
    (repo / "b.yaml").write_text(PHI_ABROAD.replace("phi-abroad", "phi-home"))  # a manifest
    fourth = execute(options)
    assert evaluated == ["phi-home"]
    assert fourth.manifests_valid == 3


def test_a_changed_evidence_file_invalidates_through_the_key(
    results: Path, repo: Path, evaluated: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files an evaluation reads besides the manifest (Intake.evidence) are part of the key."""
    evidence = tmp_path / "main.tf"
    evidence.write_text('resource "aws_s3_bucket" "lake" {}\n')
    take_in = run.take_in

    def with_evidence(*args: Any) -> Any:
        item = take_in(*args)
        if item.loaded.source.endswith("a.yaml"):
            item.evidence.append(evidence)
        return item

    monkeypatch.setattr(run, "take_in", with_evidence)
    execute(_options(repo))
    evaluated.clear()
    execute(_options(repo))
    assert evaluated == []
    evidence.write_text('resource "aws_s3_bucket" "lake" { bucket = "x" }\n')
    execute(_options(repo))
    assert evaluated == ["phi-abroad"]
    evaluated.clear()
    evidence.unlink()
    execute(_options(repo))
    assert evaluated == ["phi-abroad"]


def test_an_evidence_directory_is_digested_by_the_files_it_holds(tmp_path: Path) -> None:
    from checker.cache.key import evidence_digests

    module = tmp_path / "infra"
    (module / "modules" / "lake").mkdir(parents=True)
    (module / ".terraform" / "providers").mkdir(parents=True)
    (module / "main.tf").write_text('module "lake" { source = "./modules/lake" }\n')
    (module / "modules" / "lake" / "bucket.tf").write_text('resource "aws_s3_bucket" "x" {}\n')
    first = evidence_digests([module])
    (module / ".terraform" / "providers" / "aws.json").write_text("{}")  # not the code
    (module / "README.md").write_text("notes")
    assert evidence_digests([module]) == first
    (module / "modules" / "lake" / "bucket.tf").write_text('resource "aws_s3_bucket" "y" {}\n')
    assert evidence_digests([module]) != first
    (module / "terraform.tfvars").write_text('region = "eu-central-1"\n')
    assert evidence_digests([module, module]) == evidence_digests([module]) != first


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_evaluated_again_never_trusted(
    results: Path, repo: Path, evaluated: list[str], damage: str
) -> None:
    fresh = _rendered(_options(repo, cache=False))
    _rendered(_options(repo))
    for entry in _entries(results):
        blob = entry.read_bytes()
        damaged = {
            "truncate": blob[: len(blob) // 2],
            "flip": blob[:-1] + bytes([blob[-1] ^ 0xFF]),
            "garbage": MARKER + os.urandom(64),
            "empty": b"",
        }[damage]
        entry.write_bytes(damaged)
    evaluated.clear()
    assert _rendered(_options(repo)) == fresh
    assert len(evaluated) == 3
    evaluated.clear()
    assert _rendered(_options(repo)) == fresh  # the damaged entries were replaced
    assert evaluated == []


def test_an_unevaluated_manifest_is_never_stored(
    results: Path, repo: Path, evaluated: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    create = run.create_engine

    def failing_for_a(name: str, policy: Any, options: EngineOptions) -> Any:
        engine = create(name, policy, options)
        evaluate = engine.evaluate

        def wrapped(documents: Sequence[Any]) -> list[Evaluation]:
            answers = evaluate(documents)
            return [
                Evaluation(error="engine crashed") if d["metadata"]["name"] == "phi-abroad" else a
                for d, a in zip(documents, answers, strict=True)
            ]

        engine.evaluate = wrapped  # type: ignore[method-assign]
        return engine

    monkeypatch.setattr(run, "create_engine", failing_for_a)
    broken = execute(_options(repo))
    assert broken.exit_code() == 3
    assert len(_entries(results)) == 2
    monkeypatch.setattr(run, "create_engine", failing_for_a)
    again = execute(_options(repo))
    assert again.exit_code() == 3  # not a cached pass
    assert any("not evaluated: engine crashed" in p.message for p in again.problems)


def test_files_with_errors_or_without_manifests_are_cached_too(
    results: Path, repo: Path, evaluated: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "broken.yaml").write_text(BROKEN)
    (repo / "cm.yaml").write_text("kind: ConfigMap\nmetadata: {name: x}\n")
    fresh = _rendered(_options(repo, cache=False))
    assert fresh["exit"] == "2"
    _rendered(_options(repo))
    # The ConfigMap does not declare a manifest: a walk skips it unparsed, so it has no entry.
    assert len(_entries(results)) == 4
    parsed: list[str] = []
    take_in = run.take_in
    monkeypatch.setattr(
        run, "take_in", lambda ref, *a: parsed.append(ref.display) or take_in(ref, *a)
    )
    assert _rendered(_options(repo)) == fresh
    # Not one file read as YAML again (the ConfigMap only gets the intake's cheap look).
    assert [p for p in parsed if not p.endswith("cm.yaml")] == []


def test_a_cached_name_reused_by_an_earlier_file_is_still_a_duplicate(
    results: Path, repo: Path, evaluated: list[str]
) -> None:
    execute(_options(repo))
    (repo / "0.yaml").write_text(CLEAN)  # read before b.yaml: the same metadata.name
    fresh = _rendered(_options(repo, cache=False))
    assert "duplicate" in fresh["text"] or "already" in fresh["text"]
    assert _rendered(_options(repo)) == fresh


def test_no_cache_and_an_untrusted_directory_write_and_read_nothing(
    results: Path, repo: Path, evaluated: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("check", "--no-cache", "--engine", "embedded", str(repo)).code == 1
    assert _entries(results) == []
    monkeypatch.setenv("TDCHECK_NO_CACHE", "1")
    assert run_cli("check", "--engine", "embedded", str(repo)).code == 1
    assert _entries(results) == []
    monkeypatch.delenv("TDCHECK_NO_CACHE")
    assert run_cli("check", "--engine", "embedded", str(repo)).code == 1
    assert len(_entries(results)) == 3
    evaluated.clear()
    results.chmod(0o777)  # others could plant findings: ignored
    try:
        assert run_cli("check", "--engine", "embedded", str(repo)).code == 1
        assert len(evaluated) == 3
    finally:
        results.chmod(0o700)


def test_pruning_removes_the_least_recently_used_entries_only(results: Path, repo: Path) -> None:
    execute(_options(repo))
    entries = sorted(_entries(results), key=lambda p: p.stat().st_size)
    for age, entry in enumerate(entries):
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))
    foreign = results / "notes.tdr"
    foreign.write_bytes(b"not an entry")
    os.utime(foreign, (1, 1))
    # Pruning goes down to 80% of the bound: room for all but the oldest entry.
    kept = sum(p.stat().st_size for p in [foreign, *entries[1:]])
    bound = int(kept / 0.8) + 1
    assert kept + entries[0].stat().st_size > bound
    store.ResultStore(results, max_bytes=bound).prune()
    left = _entries(results)
    assert foreign in left  # not ours: never removed
    assert left == sorted([foreign, *entries[1:]])


def _subprocess_check(repo: Path, cache: Path, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TDCHECK_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("TDCHECK_NO_CACHE", None)
    argv = [sys.executable, "-m", "checker", "check", "--engine", "embedded", "--as-of", AS_OF]
    argv += ["-f", "json", "-o", str(out), str(repo)]
    return subprocess.Popen(argv, env=env, cwd=repo.parent)


def _many(repo: Path, count: int) -> Iterator[Path]:
    for i in range(count):
        path = repo / f"m{i:02}.yaml"
        text = PHI_ABROAD if i % 2 else CLEAN
        path.write_text(text.replace("name: phi-", f"name: m{i:02}-phi-"))
        yield path


def test_two_processes_at_once_share_the_cache_safely(repo: Path, tmp_path: Path) -> None:
    list(_many(repo, 12))
    cache = tmp_path / "shared-cache"
    outs = [tmp_path / f"out{i}.json" for i in range(3)]
    first = [_subprocess_check(repo, cache, out) for out in outs[:2]]
    assert [p.wait(timeout=300) for p in first] == [1, 1]
    assert _subprocess_check(repo, cache, outs[2]).wait(timeout=300) == 1
    texts = [json.loads(out.read_text()) for out in outs]
    assert texts[0] == texts[1] == texts[2]
    entries = _entries(cache / "results")
    assert len(entries) == 15
    assert not list((cache / "results").glob("*.tmp"))


def test_every_engine_names_its_version_without_starting(policy_set: Any) -> None:
    """The key (and a run answered wholly from the cache) names the engine as it would."""
    from checker.engine import ENGINES, create_engine
    from checker.engine.identity import VERSIONS, engine_version

    assert set(VERSIONS) == set(ENGINES)
    options = EngineOptions(documents=1)
    for name in ("embedded", "wasm"):
        engine = create_engine(name, policy_set, options)
        try:
            assert engine_version(name, options, policy_set) == engine.version()
        finally:
            engine.close()
    remote = EngineOptions(opa_urls=("http://opa:8181",))
    assert engine_version("opa", remote, policy_set) is None


TEXT_VIEWS = [
    RenderOptions(),
    RenderOptions(quiet=True),
    RenderOptions(show_passed=True, verbose=True),
    RenderOptions(color=True, show_passed=True),
]


def _text(options: RunOptions, render: RenderOptions) -> str:
    return RENDERERS["text"].render(execute(options), render)


def test_text_of_a_hit_comes_from_its_entry_byte_identical(
    results: Path, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text a run renders of a cached file is kept with its entry, one per view (the
    options the text depends on), and a later run writes it out without decoding a finding."""
    fresh = [_text(_options(repo, cache=False), view) for view in TEXT_VIEWS]
    execute(_options(repo))  # the entries, without any text yet
    for view in TEXT_VIEWS:  # each view rendered once from the findings, and kept
        _text(_options(repo), view)
    entries = [store.ResultStore(results).get(path.stem) for path in _entries(results)]
    assert all(e is not None and len(e.views) == 3 for e in entries)  # bounded: newest 3

    from checker import spool

    def undecodable(self: Any, index: int) -> Any:
        raise AssertionError("a finding was decoded")

    monkeypatch.setattr(spool.Spool, "findings_at", undecodable)
    for view, expected in list(zip(TEXT_VIEWS, fresh, strict=True))[1:]:
        assert _text(_options(repo), view) == expected
    with pytest.raises(AssertionError, match="decoded"):  # the oldest view was let go
        _text(_options(repo), TEXT_VIEWS[0])


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_json_and_annotations_of_a_hit_come_from_its_entry_byte_identical(
    results: Path, repo: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    def as_json(options: RunOptions) -> str:
        return RENDERERS[fmt].render(execute(options), RenderOptions())

    fresh = as_json(_options(repo, cache=False))
    assert as_json(_options(repo)) == fresh  # evaluated, stored, rendered and kept
    from checker import spool

    def undecodable(self: Any, index: int) -> Any:
        raise AssertionError("a finding was decoded")

    monkeypatch.setattr(spool.Spool, "findings_at", undecodable)
    assert as_json(_options(repo)) == fresh


def test_kept_text_is_not_used_where_a_waiver_or_filter_changes_the_findings(
    results: Path, repo: Path, tmp_path: Path
) -> None:
    view = RenderOptions(show_passed=True)
    waivers = tmp_path / "w.yaml"
    waivers.write_text(WAIVER)
    # Evaluated and stored under waivers and a filter: no text of theirs is kept as the file's.
    _text(_options(repo, waivers=waivers), view)
    _text(_options(repo, frameworks=("gdpr",)), view)
    assert _text(_options(repo), view) == _text(_options(repo, cache=False), view)
    _text(_options(repo), view)  # every file's text kept
    waived = _text(_options(repo, waivers=waivers), view)
    assert waived == _text(_options(repo, waivers=waivers, cache=False), view)
    assert "waived by" in waived and "WAIVED" in waived
    only_gdpr = _text(_options(repo, frameworks=("gdpr",)), view)
    assert only_gdpr == _text(_options(repo, frameworks=("gdpr",), cache=False), view)
    assert "HIPAA-" not in only_gdpr
    assert _text(_options(repo), view) == _text(_options(repo, cache=False), view)


def test_kept_text_that_does_not_decode_is_rendered_from_the_findings(
    results: Path, repo: Path
) -> None:
    """An entry's checksum covers its kept text; should a text still not decompress (an entry
    written by a faulty build), the file is rendered from its findings, never guessed."""
    from checker.cache.entry import decode, encode

    view = RenderOptions(show_passed=True)
    fresh = _text(_options(repo, cache=False), view)
    _text(_options(repo), view)
    for path in _entries(results):
        entry = decode(path.read_bytes())
        assert entry is not None and entry.views
        garbled = tuple((name, b"not zlib") for name, _ in entry.views)
        path.write_bytes(encode(replace(entry, views=garbled)))
    assert _text(_options(repo), view) == fresh


def test_a_file_without_a_manifest_is_read_once_with_the_cache_on(
    results: Path, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's look at a file serves the intake too: a large non-manifest file (a lock
    file in a walk) is read once, not once for the cache and again to be skipped."""
    lock = repo / "package-lock.json"
    lock.write_text('{"name": "app", "lockfileVersion": 3}\n' + " " * 100_000)
    opened: list[Path] = []
    real_open = Path.open

    def counting(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == lock.name:
            opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting)
    report = execute(_options(repo))
    assert len(opened) == 1
    assert report.exit_code() == 1 and not report.problems  # still skipped, not an error
    assert not any(f.manifest.endswith("package-lock.json") for f in report.findings)
