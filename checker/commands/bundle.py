"""`tdcheck bundle -o bundle.tar.gz`: the policy set as an OPA bundle, for a fleet of OPA servers.

The bundle holds exactly what the checker's engines load (the built-in and --policy
modules, never *_test.rego nor the conftest entry package), one data.json merged from the
defaults and every --data file, and a `.manifest` whose revision is the policy digest the
JSON report records, so a report says which bundle revision judged it. `opa run --server
--bundle bundle.tar.gz` loads it unchanged; the archive is byte-for-byte reproducible.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import tarfile
from collections.abc import Sequence
from pathlib import Path

import click

from checker import __version__
from checker.cli import Streams, policy_option
from checker.errors import UsageError
from checker.output_file import write_atomically

ROOT = "tdcheck"  # every package and every data key lives under data.tdcheck
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)


@click.command(name="bundle")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True)
@policy_option("more Rego rules (directory), as for check")
@click.option(
    "--data",
    "data_files",
    multiple=True,
    envvar="TDCHECK_DATA",
    type=click.Path(path_type=Path),
    help="policy data merged over the defaults, as for check",
)
@click.option("-q", "--quiet", is_flag=True)
@click.pass_obj
def command(
    streams: Streams,
    output: Path,
    policy_dirs: Sequence[Path],
    data_files: Sequence[Path],
    quiet: bool,
) -> None:
    """An OPA bundle of the policies (for `opa run --server --bundle`)."""
    from checker.policy import load_policy_set

    policy = load_policy_set(tuple(policy_dirs), tuple(data_files))
    files = bundle_files(policy.modules, policy.data, policy.digest)
    content = tar_gz(files)
    # A fleet may be polling this path: never let it read half a bundle.
    write_atomically(
        output, lambda handle: handle.write(content), what="bundle", binary=True, mode=0o644
    )
    if not quiet:
        streams.stderr.write(
            f"tdcheck: wrote {output} ({len(policy.modules)} modules, revision {policy.digest})\n"
        )


def bundle_files(
    modules: Sequence[tuple[str, str]], data: dict[str, object] | object, digest: str
) -> list[tuple[str, bytes]]:
    """(path in the archive, content), sorted; refuses what would fall outside the root."""
    for name, source in modules:
        match = _PACKAGE.search(source)
        package = match.group(1) if match else ""
        if package != ROOT and not package.startswith(ROOT + "."):
            raise UsageError(
                f"{name}: package {package or '(none)'} is outside data.{ROOT}; a bundle "
                f"with roots [{ROOT!r}] cannot carry it (name --policy packages tdcheck.rules.*)"
            )
    if not isinstance(data, dict) or set(data) - {ROOT}:
        extra = sorted(set(data) - {ROOT}) if isinstance(data, dict) else ["(not an object)"]
        raise UsageError(f"--data keys outside {ROOT}: {', '.join(extra)}")
    manifest = {
        "revision": digest,
        "roots": [ROOT],
        "metadata": {"tdcheck": {"version": __version__, "policy_digest": digest}},
    }
    files = [(name, source.encode("utf-8")) for name, source in modules]
    files.append(("data.json", json.dumps(data, sort_keys=True, indent=1).encode("utf-8")))
    files.append((".manifest", json.dumps(manifest, sort_keys=True, indent=1).encode("utf-8")))
    return sorted(files)


def tar_gz(files: Sequence[tuple[str, bytes]]) -> bytes:
    """Same files, same bytes: no timestamps, owners or modes from this machine."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for name, content in files:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o644
            info.mtime = 0
            archive.addfile(info, io.BytesIO(content))
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=0, filename="") as stream:
        stream.write(raw.getvalue())
    return packed.getvalue()
