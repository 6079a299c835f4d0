"""The pre-commit path imports only what it uses (issue 5: one manifest within 2x of conftest).

jsonschema (~60 ms), the renderers of other formats and the other subcommands are imported
only when a run needs them. Checked by the modules a fresh interpreter holds, never by
timing: `import checker.cli` alone, then a whole `check` of one valid manifest, with an
invalid manifest as the control that jsonschema is still there when an error needs words.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.commands import COMMAND_MODULES, load_command
from tests.conftest import ROOT, run_cli

VALID = ROOT / "fixtures" / "examples" / "research-cloud-spot.yaml"
RENDERER_MODULES = {
    "checker.report.html",
    "checker.report.sarif",
    "checker.report.junit",
    "checker.report.markdown",
    "checker.report.github",
}
COMMANDS = {f"checker.commands.{name}" for name in COMMAND_MODULES}


def _modules_after(code: str) -> set[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.stdout, done.stderr
    modules: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return set(modules)


def _heavy(modules: set[str]) -> set[str]:
    third_party = {m for m in modules if m.split(".")[0] in ("jsonschema", "regopy", "requests")}
    return third_party | (modules & RENDERER_MODULES) | (modules & COMMANDS)


def test_importing_the_cli_imports_no_engine_validator_renderer_or_subcommand() -> None:
    modules = _modules_after("import checker.cli")
    assert "click" in modules
    assert _heavy(modules) == set()


def _check(path: str) -> str:
    return (
        "import io\nfrom checker.cli import main\n"
        f"code = main(['check', '--format', 'json', {path!r}], stdout=io.StringIO(), "
        "stderr=io.StringIO())\nassert code in (0, 2), code"
    )


def test_checking_a_valid_manifest_imports_neither_regopy_nor_jsonschema() -> None:
    """regopy runs in the contained worker (a single manifest's is forked), never here."""
    modules = _modules_after(_check(str(VALID)))
    assert "checker.report.json_report" in modules
    assert _heavy(modules) == set()


def test_an_invalid_manifest_still_gets_jsonschema_s_located_errors(tmp_path: Path) -> None:
    broken = VALID.read_text(encoding="utf-8").replace("kind: public_cloud", "kind: cloudy")
    assert broken != VALID.read_text(encoding="utf-8")
    target = tmp_path / "invalid.yaml"
    target.write_text(broken, encoding="utf-8")
    assert "jsonschema" in _modules_after(_check(str(target)))
    result = run_cli("validate", str(target))
    assert result.code == 2
    assert "'cloudy' is not one of" in result.out + result.err


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_every_lazy_subcommand_is_named_like_its_module_and_listed(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert load_command(name).name == name  # else `tdcheck NAME` would not find it
    assert run_cli(name, "--help").code == 0
    capsys.readouterr()
    assert run_cli("--help").code == 0  # click prints help on sys.stdout
    assert f"\n  {name} " in capsys.readouterr().out
