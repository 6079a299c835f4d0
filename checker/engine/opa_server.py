"""A local `opa run --server` on a free loopback port, started for one run and stopped after.

Hardened for a shared machine and for untrusted `--policy` rules: the server answers only
requests carrying a random per-run token (another local user cannot read or replace the
policies mid-run), it gets no environment beyond PATH and the temp dirs (`opa.runtime()`
would otherwise hand CI secrets to a policy), and it skips OPA's version check (the
checker stays offline unless an OPA URL is given).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from checker.errors import EngineError, PolicyError
from checker.lifecycle import die_with_parent
from checker.policy import PolicySet

_START_TIMEOUT_S = 20.0
_KEPT_ENV = ("PATH", "HOME", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "LANG", "LC_ALL")
_AUTHZ = """package tdcheck_local.system.authz

import rego.v1

default allow := false

allow if input.identity == "{token}"
"""


def find_opa() -> str | None:
    return shutil.which("opa")


def opa_version(binary: str) -> str:
    try:
        out = subprocess.run(
            [binary, "version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    for line in out.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_policy_tree(policy: PolicySet, root: Path) -> None:
    """The policy set as a bundle directory: modules by name, one merged data.json at the root."""
    for name, source in policy.modules:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(source, encoding="utf-8")
    (root / "data.json").write_text(json.dumps(policy.data), encoding="utf-8")


class LocalOpaServer:
    def __init__(self, binary: str, policy: PolicySet) -> None:
        self.binary = binary
        self._workdir = tempfile.TemporaryDirectory(prefix="tdcheck-opa-")
        bundle = Path(self._workdir.name) / "bundle"
        self.bundle_prefix = f"{bundle}{os.sep}"  # OPA's messages name modules by full path
        write_policy_tree(policy, bundle)
        self.token = secrets.token_urlsafe(32)
        (bundle / "tdcheck_local_authz.rego").write_text(
            _AUTHZ.format(token=self.token), encoding="utf-8"
        )
        self._process: subprocess.Popen[bytes] | None = None
        self.url = ""
        try:
            for _attempt in range(3):
                port = _free_port()
                if self._start(bundle, port):
                    self.url = f"http://127.0.0.1:{port}"
                    return
        except BaseException:  # interrupted while it starts: it must not outlive the run
            self.stop()
            raise
        self.stop()
        raise EngineError("could not start a local OPA server on a free loopback port")

    def _start(self, bundle: Path, port: int) -> bool:
        log = Path(self._workdir.name) / f"opa-{port}.log"
        args = [self.binary, "run", "--server", "--addr", f"127.0.0.1:{port}"]
        args += ["--log-level", "error", "--skip-version-check", "--bundle", str(bundle)]
        args += ["--authentication=token", "--authorization=basic"]
        args += ["--set", "default_authorization_decision=/tdcheck_local/system/authz/allow"]
        env = {key: os.environ[key] for key in _KEPT_ENV if key in os.environ}
        with log.open("wb") as sink:
            self._process = subprocess.Popen(
                args,
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                preexec_fn=die_with_parent(),  # noqa: PLW1509 - before any thread of the run
            )
        # Straight to loopback: an HTTP(S)_PROXY in the environment must not see this.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        probe = urllib.request.Request(
            f"http://127.0.0.1:{port}/health", headers={"Authorization": f"Bearer {self.token}"}
        )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                text = log.read_text(encoding="utf-8", errors="replace")
                if "address already in use" in text:
                    return False
                problem = _opa_problem(text).replace(self.bundle_prefix, "")
                # `error: load error: bundle DIR: 1 error occurred: FILE:ROW: ...`: keep FILE on.
                problem = problem.rsplit(" occurred: ", 1)[-1]
                raise PolicyError(f"OPA could not load the policies: {problem}")
            try:
                with opener.open(probe, timeout=1) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise EngineError(f"local OPA server did not become healthy in {_START_TIMEOUT_S:.0f}s")

    def exit_status(self) -> str | None:
        """None while the server runs; else how it ended, for the not-evaluated message."""
        process = self._process
        if process is None or process.poll() is None:
            return None
        code = process.returncode
        if code < 0:
            try:
                return f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"was killed by signal {-code}"
        return f"exited with code {code}"

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        self._workdir.cleanup()


def _opa_problem(text: str) -> str:
    """OPA prints compile errors as `N errors occurred:` then `file:row: code: message`."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "rego_" in line or "error" in line.lower():
            try:
                return str(json.loads(line).get("err", line))  # JSON log line
            except ValueError:
                return line
    return lines[0] if lines else "opa exited without a message"
