"""`tdcheck policy test`: the Rego unit tests of the built-in rules and of any --policy DIR.

Runs `opa test` on the built-in policy directory plus every --policy directory, so an
organisation's tests see the same `data.tdcheck.lib` the checker evaluates with. Exit 0
when every test passes, 1 when one fails, 2 for a bad --policy, 3 when the tests could
not run (opa absent, a module that does not compile, a module calling a builtin tdcheck
forbids): never 0 for tests that did not run.

The --policy directories get the same static guard as `check` (checker/policy_guard.py),
tests included, before `opa test` runs anything. `opa test --capabilities` would refuse
those builtins too, but for every module loaded: the built-in conftest/ package reads the
clock (conftest has no --as-of), and its tests run here as well.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import click

from checker.cli import Streams, policy_option
from checker.errors import EXIT_EVALUATION, EXIT_FINDINGS, EXIT_OK, PolicyError, UsageError

# opa test: 0 all passed, 2 a test failed, 1 could not load or compile (checked with v1.22).
_OPA_TEST_FAILED = 2


@click.group(name="policy")
def command() -> None:
    """Work on Rego policies (the built-in rules and --policy directories)."""


@command.command(name="test")
@policy_option("directory of more Rego rules and their *_test.rego files")
@click.option("-v", "--verbose", is_flag=True, help="list every test (opa test -v)")
@click.pass_obj
def test(streams: Streams, policy_dirs: Sequence[Path], verbose: bool) -> None:
    """Run the Rego unit tests with `opa test` (opa must be on PATH)."""
    from checker.engine.opa_server import find_opa
    from checker.policy import builtin_policy_dir
    from checker.policy_guard import check_policy_files

    for directory in policy_dirs:
        if not directory.is_dir():
            raise UsageError(f"{directory}: --policy must name a directory of .rego files")
    check_policy_files(policy_dirs)
    binary = find_opa()
    if binary is None:
        raise PolicyError(
            "opa is not on PATH: `tdcheck policy test` runs `opa test` "
            "(install OPA: https://www.openpolicyagent.org/docs/latest/#1-download-opa)"
        )
    argv = [binary, "test", *(["-v"] if verbose else []), str(builtin_policy_dir())]
    argv += [str(d) for d in policy_dirs]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise PolicyError(f"cannot run {binary}: {exc.strerror or exc}") from None
    streams.stdout.write(done.stdout)
    streams.stderr.write(done.stderr)
    if done.returncode == 0:
        streams.code = EXIT_OK
    elif done.returncode == _OPA_TEST_FAILED:
        streams.code = EXIT_FINDINGS
    else:
        streams.stderr.write("tdcheck: error: the policy tests could not run (see above)\n")
        streams.code = EXIT_EVALUATION
