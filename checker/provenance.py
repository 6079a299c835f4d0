"""The audit report's provenance: when it was generated, from which commit, under which
waivers file.

The time honours SOURCE_DATE_EPOCH (reproducible-builds.org): with it set, two runs over the
same inputs give byte-identical reports. The commit and dirty flag come from `git` run with
fixed arguments (checker/vcs.py); the waivers file's digest is of its bytes as they are now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

from checker.errors import UsageError
from checker.model import Provenance
from checker.vcs import vcs_state


def generation_time(environ: Mapping[str, str]) -> str:
    raw = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        moment = dt.datetime.now(dt.UTC)
    else:
        try:
            moment = dt.datetime.fromtimestamp(int(raw), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH={raw!r} is not a time: expected whole seconds since "
                "1970-01-01 UTC"
            ) from None
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _digest(path: Path) -> str:
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"unreadable ({exc.strerror})"


def collect(
    waivers: Path | None, cwd: Path | None = None, environ: Mapping[str, str] | None = None
) -> Provenance:
    state = vcs_state(cwd if cwd is not None else Path.cwd())
    return Provenance(
        generated_at=generation_time(os.environ if environ is None else environ),
        commit=state.commit if state else "",
        dirty=state.dirty if state else False,
        waivers_file=str(waivers) if waivers is not None else "",
        waivers_sha256=_digest(waivers) if waivers is not None else "",
    )
