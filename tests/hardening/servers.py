"""Servers for the fault and fleet tests: real OPA processes, and a fake for what OPA cannot do.

Real `opa run --server` wherever a real server can produce the fault (refused, hang via
SIGSTOP, killed mid-run, undefined decision, wrong shape, compile and runtime errors,
token authorization, TLS); the fake http.server only for what OPA never answers (an HTML
500/502 from a proxy, a body that is not JSON).
"""

from __future__ import annotations

import http.server
import json
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import run_cli


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class OpaProcess:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def pause(self) -> None:  # a hung server: the socket accepts, nothing answers
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def start_opa(
    opa: str,
    workdir: Path,
    paths: Sequence[Path],
    *,
    args: Sequence[str] = (),
    scheme: str = "http",
    ca_file: Path | None = None,
    token: str | None = None,
    port: int | None = None,
) -> OpaProcess:
    """`opa run --server` on a loopback port, returned once GET /health answers."""
    port = port or free_port()
    log = workdir / f"opa-{port}.log"
    command = [opa, "run", "--server", "--addr", f"127.0.0.1:{port}", "--skip-version-check"]
    command += ["--log-level", "error", *args]
    if paths:
        command += ["--bundle", *map(str, paths)]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"{scheme}://127.0.0.1:{port}"
    context = ssl.create_default_context(cafile=str(ca_file)) if ca_file else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"opa exited: {log.read_text()}")
        try:
            request = urllib.request.Request(url + "/health", headers=headers)
            with urllib.request.urlopen(request, timeout=1, context=context):
                return OpaProcess(process, url, log)
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"opa did not become healthy: {log.read_text()}")


@contextmanager
def opa_server(
    opa: str, workdir: Path, paths: Sequence[Path], **kw: object
) -> Iterator[OpaProcess]:
    server = start_opa(opa, workdir, paths, **kw)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.resume()
        server.kill()


def tdcheck_bundle(workdir: Path, *extra: str) -> Path:
    """The policies the way a fleet loads them: `tdcheck bundle`."""
    target = workdir / "tdcheck-bundle.tar.gz"
    result = run_cli("bundle", "-q", "-o", str(target), *extra)
    assert result.code == 0, result.err
    return target


def rego_bundle(workdir: Path, name: str, roots: Sequence[str], files: dict[str, str]) -> Path:
    """A directory bundle of a few Rego files, with roots that do not overlap tdcheck's."""
    root = workdir / name
    root.mkdir()
    (root / ".manifest").write_text(json.dumps({"roots": list(roots)}))
    for path, text in files.items():
        (root / path).write_text(text)
    return root


Reply = tuple[int, str, bytes]  # status, content type, body


@contextmanager
def fake_server(reply: Callable[[str, bytes], Reply]) -> Iterator[str]:
    """A tiny HTTP server in a thread; `reply(path, body)` decides every answer."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, kind, body = reply(self.path, self.rfile.read(length))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def healthy_then(decision: Reply) -> Callable[[str, bytes], Reply]:
    """GET /health is fine; every decision gets `decision`."""

    def reply(path: str, _body: bytes) -> Reply:
        if path.startswith("/health"):
            return 200, "application/json", b"{}"
        return decision

    return reply


def make_tls(openssl: str, workdir: Path) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for 127.0.0.1 signed by it: (ca, cert, key)."""
    ca_key, ca = workdir / "ca.key", workdir / "ca.pem"
    key, csr, cert = workdir / "server.key", workdir / "server.csr", workdir / "server.pem"
    ext = workdir / "server.ext"
    ext.write_text(
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid\n"
    )
    _openssl(
        openssl, "req", "-x509", *_EC, "-keyout", ca_key, "-out", ca,
        "-subj", "/CN=tdcheck test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    _openssl(openssl, "req", *_EC, "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1")
    _openssl(
        openssl, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
        "-out", cert, "-days", "2", "-extfile", ext,
    )  # fmt: skip
    return ca, cert, key


def make_self_signed(openssl: str, workdir: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (no CA anyone trusts): (cert, key)."""
    key, cert = workdir / "self.key", workdir / "self.pem"
    _openssl(
        openssl, "req", "-x509", *_EC, "-keyout", key, "-out", cert, "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1",
    )  # fmt: skip
    return cert, key


_EC = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2")


def _openssl(openssl: str, *args: str | Path) -> None:
    subprocess.run([openssl, *map(str, args)], check=True, capture_output=True, timeout=60)
