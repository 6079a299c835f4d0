"""Check the provider catalogue: its shape, a source on every entry, and its age.

    python tools/check_catalogue.py                      # policies/reference/data.json
    python tools/check_catalogue.py --data private.json  # an organisation's --data file too
    python tools/check_catalogue.py --as-of 2027-06-01 --max-age-days 365

Exit 1 on a shape error or an entry without sources (an unsourced fact must be left out,
not guessed). An entry read more than --max-age-days before --as-of (default: today,
365 days) is reported: it no longer verifies anything (VER-006) and its sources need a
re-read (docs/providers.md); --fail-stale makes that an error too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "policies" / "reference" / "data.json"

KINDS = {"on_premises", "colocation", "private_cloud", "public_cloud", "government_cloud"}
FEDRAMP_LEVELS = {"li_saas", "low", "moderate", "high"}
FEDRAMP_STATUSES = {"authorized", "ready", "in_process"}
DOD_LEVELS = {"il2", "il4", "il5", "il6"}
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


def providers_of(doc: Any) -> Mapping[str, Any]:
    providers = doc.get("tdcheck", {}).get("reference", {}).get("providers")
    if not isinstance(providers, Mapping):
        raise SystemExit("no tdcheck.reference.providers object")
    return providers


def _sources(where: str, entry: Mapping[str, Any], key: str = "sources") -> Iterator[str]:
    sources = entry.get(key)
    if not isinstance(sources, list) or not sources:
        yield f"{where}: no {key} (a fact without a public source is left out)"
    elif not all(isinstance(u, str) and u.startswith("https://") for u in sources):
        yield f"{where}: {key} must be https:// addresses"


def _date(where: str, value: Any) -> Iterator[str]:
    if not isinstance(value, str) or not DATE.match(value):
        yield f"{where}: date {value!r} is not YYYY-MM-DD"


def _levels(where: str, fedramp: Any, dod: Any) -> Iterator[str]:
    if fedramp is not None and (
        not isinstance(fedramp, Mapping)
        or fedramp.get("level") not in FEDRAMP_LEVELS
        or fedramp.get("status") not in FEDRAMP_STATUSES
    ):
        yield f"{where}: fedramp must be {{level: low|moderate|high|li_saas, status: ...}}"
    if dod is not None and (not isinstance(dod, list) or not set(dod) <= DOD_LEVELS):
        yield f"{where}: DoD levels must be a list of {', '.join(sorted(DOD_LEVELS))}"


def problems(pid: str, entry: Any) -> Iterator[str]:
    """Shape and sourcing problems of one provider entry."""
    if not isinstance(entry, Mapping):
        yield f"{pid}: not an object"
        return
    yield from _date(f"{pid}.as_of", entry.get("as_of"))
    yield from _sources(pid, entry, "region_sources")
    boundaries = entry.get("boundaries", {})
    for bid, boundary in boundaries.items():
        where = f"{pid}.boundaries.{bid}"
        yield from _sources(where, boundary)
        yield from _levels(where, boundary.get("fedramp"), boundary.get("dod_impact_levels"))
    for rid, region in entry.get("regions", {}).items():
        where = f"{pid}.regions.{rid}"
        if region.get("boundary") not in boundaries:
            yield f"{where}: boundary {region.get('boundary')!r} is not one of {pid}'s"
        if not COUNTRY.match(str(region.get("country"))):
            yield f"{where}: country must be an ISO 3166-1 alpha-2 code"
        if region.get("kind") not in KINDS:
            yield f"{where}: kind {region.get('kind')!r} is not a manifest location kind"
    for sid, service in entry.get("services", {}).items():
        where = f"{pid}.services.{sid}"
        yield from _sources(where, service)
        for bid, scope in service.get("scope", {}).items():
            if bid not in boundaries:
                yield f"{where}.scope: {bid!r} is not one of {pid}'s boundaries"
            level = scope.get("fedramp")
            yield from _levels(
                f"{where}.scope.{bid}",
                None if level is None else {"level": level, "status": "authorized"},
                scope.get("dod"),
            )


def stale(pid: str, entry: Mapping[str, Any], as_of: dt.date, max_age: int) -> Iterator[str]:
    try:
        read = dt.date.fromisoformat(str(entry.get("as_of")))
    except ValueError:
        return
    if (as_of - read).days > max_age:
        yield f"{pid}: read {read}, {(as_of - read).days} days before {as_of}: re-read its sources"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", default=[], help="more --data")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--max-age-days", type=int, default=365)
    parser.add_argument("--fail-stale", action="store_true", help="exit 1 on a stale entry")
    args = parser.parse_args(argv)
    failures: list[str] = []
    warnings: list[str] = []
    counts: list[str] = []
    for path in [CATALOGUE, *args.data]:
        providers = providers_of(json.loads(path.read_text(encoding="utf-8")))
        for pid, entry in providers.items():
            found = [*problems(pid, entry)]
            old = [f"{path.name}: {p}" for p in stale(pid, entry, args.as_of, args.max_age_days)]
            (failures if args.fail_stale else warnings).extend(old)
            if not found:
                counts.append(
                    f"{pid}: {len(entry.get('regions', {}))} regions, "
                    f"{len(entry.get('boundaries', {}))} boundaries, "
                    f"{len(entry.get('services', {}))} services, read {entry.get('as_of')}"
                )
            failures += [f"{path.name}: {p}" for p in found]
    for line in counts:
        print(line)
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    for line in failures:
        print(f"error: {line}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
