"""Where the embedded engine spends its time: CPU per library rule and per rule package.

    python bench/rule_costs.py [--policies DIR] [--count 20] [--manifests 2] [--repeat 3]
    python bench/rule_costs.py --policies OLD_DIR --against policies --count 200

Loads a policy directory (default: policies/) with regopy the way
checker/engine/embedded.py does (every .rego except `*_test.rego` and conftest/, plus
data.json, compiled once into a bundle) and times queries on a few manifests: the
`--manifests` largest of the first `--count` of bench/generate.py's corpus (seed 1) and
bench/advise_bench.py's 30-stage x 10-location manifest, once as `check` sends it and once
with `_tdcheck.advise` as `advise` does. CPU milliseconds (time.process_time, the best of
`--repeat` runs: the machine is shared, wall time is noise), largest first:

- `main`: the entry point `data.tdcheck.main.findings`, what the checker evaluates;
- `lib (all)`: every complete rule of `package tdcheck.lib` in one query, the shared work;
- `lib/<rule>`: one library rule alone, with the library rules it reads;
- `rules/<package>`: that package's findings on top of `lib (all)`, minus `lib (all)`: what
  the rule itself costs once the library is computed (noise is a few ms either way).

Each query starts from an empty cache. On regopy a lookup in a rule body is cheap, while
a function that indexes an input-derived rule with its parameter scans the whole rule, and
a set of findings costs a deep comparison per insertion (bench/regopy_lookups.py,
policies/README.md "Speed").

`--against DIR`: instead of timing, evaluate `--count` corpus manifests (and the advise
manifest) with both policy directories and report any manifest whose findings differ: the
quick regopy-only check that a refactoring changed no finding (the test suite then checks
both engines).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-28"
_PACKAGE = re.compile(r"^package[ \t]+(\S+)", re.MULTILINE)
# A complete or partial rule head at column 0 (not a function: no parenthesis before `:=`).
_RULE_HEAD = re.compile(r"^([a-z_][\w]*)(?:\[[^\]]*\])?\s*(?::=|contains\b)", re.MULTILINE)


def load_modules(directory: Path) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    """The modules and data an engine loads from a policy directory (checker/policy.py)."""
    modules = [
        (f"builtin/{path.relative_to(directory).as_posix()}", path.read_text(encoding="utf-8"))
        for path in sorted(directory.rglob("*.rego"))
        if not path.name.endswith("_test.rego") and "conftest" not in path.parts
    ]
    data_path = directory / "data.json"
    data = json.loads(data_path.read_text(encoding="utf-8")) if data_path.is_file() else {}
    return modules, data


def _packages(modules: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Rule packages under tdcheck.rules (as path segments) and complete rules of tdcheck.lib."""
    rules: list[str] = []
    library: set[str] = set()
    for _name, source in modules:
        match = _PACKAGE.search(source)
        package = match.group(1) if match else ""
        if package.startswith("tdcheck.rules."):
            rules.append(package.removeprefix("tdcheck.rules."))
        elif package == "tdcheck.lib":
            library.update(_RULE_HEAD.findall(source))
    return sorted(rules), sorted(library)


def probe_module(rules: list[str], library: list[str]) -> tuple[str, list[tuple[str, str]]]:
    """A module of entry points: the whole library, and each rule package on top of it.

    A rule's marginal cost is `rule_<package>` minus `lib_all`: both compute every library
    rule once, as the real entry point does."""
    every = ", ".join(f'count({{"v": lib.{name}}})' for name in library)
    lines = ["package bench_probe", "", "import data.tdcheck.lib", "import rego.v1", ""]
    lines.append(f"lib_all := [{every}]")
    entries = [("main", "tdcheck/main/findings"), ("lib (all)", "bench_probe/lib_all")]
    for index, package in enumerate(rules):
        lines.append(f"rule_{index} := [[{every}], count(data.tdcheck.rules.{package}.findings)]")
        entries.append((f"rules/{package}", f"bench_probe/rule_{index}"))
    entries += [(f"lib/{name}", f"tdcheck/lib/{name}") for name in library]
    return "\n".join(lines) + "\n", entries


_QUIETED = False


class Evaluator:
    """One regopy interpreter and bundle, queried like the embedded engine does."""

    def __init__(self, directory: Path, probe: bool = False) -> None:
        global _QUIETED
        import regopy
        from regopy import rego_shared

        if not _QUIETED:
            regopy.set_default_log_level("None")  # aborts the process when set twice
            _QUIETED = True
        modules, data = load_modules(directory)
        self.entries = [("main", "tdcheck/main/findings")]
        if probe:
            source, self.entries = probe_module(*_packages(modules))
            modules.append(("bench_probe.rego", source))
        self._raw = rego_shared
        self._interpreter = regopy.Interpreter()
        self._interpreter.strict_built_in_errors = True
        for name, source in modules:
            self._interpreter.add_module(name, source)
        self._interpreter.add_data_json(json.dumps(data))
        self._bundle = self._interpreter.build(None, [entry for _, entry in self.entries])

    def query(self, document: dict[str, Any], entry: str) -> str:
        raw, interp = self._raw, self._interpreter._impl
        raw.rego_set_input_term(interp, json.dumps(document))
        output = raw.rego_bundle_query_entrypoint(interp, self._bundle._impl, entry)
        try:
            return str(raw.rego_output_string(output))
        finally:
            raw.rego_free_output(output)


def corpus(count: int) -> Iterator[tuple[str, dict[str, Any]]]:
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    for index in range(count):
        yield f"m{index:05d}", generate.manifest(random.Random(f"1-{index}"), index)


def advise_manifest() -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "bench"))
    import advise_bench

    return advise_bench.generate_manifest(30, 10)


def engine_input(manifest: dict[str, Any], advise: bool = False) -> dict[str, Any]:
    flags: dict[str, Any] = {"as_of": AS_OF, "advise": True} if advise else {"as_of": AS_OF}
    return {**manifest, "_tdcheck": flags}


def _size(manifest: dict[str, Any]) -> int:
    return len(manifest["spec"]["stages"]) * max(1, len(manifest["spec"].get("transfers", [])))


def time_entries(args: argparse.Namespace) -> None:
    evaluator = Evaluator(args.policies, probe=True)
    picked = sorted(corpus(args.count), key=lambda item: -_size(item[1]))[: args.manifests]
    big = advise_manifest()
    inputs = [(name, engine_input(m)) for name, m in picked]
    inputs += [("advise-30x10", engine_input(big)), ("advise+facts", engine_input(big, True))]
    names = ", ".join(f"{n} ({len(d['spec']['stages'])} stages)" for n, d in inputs)
    print(f"policies {args.policies}; manifests: {names}")
    costs: dict[str, list[float]] = {label: [] for label, _ in evaluator.entries}
    for _name, document in inputs:
        best = {label: float("inf") for label, _ in evaluator.entries}
        for _ in range(args.repeat):  # interleaved, so a busy moment hits every entry alike
            for label, entry in evaluator.entries:
                started = time.process_time()
                evaluator.query(document, entry)
                best[label] = min(best[label], time.process_time() - started)
        for label, _ in evaluator.entries:
            costs[label].append(best[label] * 1000)
    base = costs["lib (all)"]
    for label in costs:
        if label.startswith("rules/"):
            costs[label] = [ms - lib for ms, lib in zip(costs[label], base, strict=True)]
    header = "".join(f"{name[:12]:>13}" for name, _ in inputs)
    print(f"{'CPU ms, best of ' + str(args.repeat):<40}{'total':>9}{header}")
    ranked = sorted(costs.items(), key=lambda item: -sum(item[1]))
    for label, row in ranked[: args.top]:
        cells = "".join(f"{ms:>13.1f}" for ms in row)
        print(f"{label:<40}{sum(row):>9.1f}{cells}")


def compare(args: argparse.Namespace) -> int:
    old, new = Evaluator(args.policies), Evaluator(args.against)
    documents = [(name, engine_input(m)) for name, m in corpus(args.count)]
    big = advise_manifest()
    documents += [("advise-30x10", engine_input(big)), ("advise+facts", engine_input(big, True))]
    differ = 0
    for name, document in documents:
        before = _canonical(old.query(document, "tdcheck/main/findings"))
        after = _canonical(new.query(document, "tdcheck/main/findings"))
        if before != after:
            differ += 1
            print(f"{name}: {len(before)} findings before, {len(after)} after")
            for line in sorted(set(before) ^ set(after))[:6]:
                print(f"  {'-' if line in before else '+'} {line[:300]}")
    print(f"{len(documents)} manifests, {differ} with different findings")
    return 1 if differ else 0


def _canonical(text: str) -> list[str]:
    """Findings as sorted JSON lines; an error or undefined result as itself."""
    try:
        value = json.loads(text)["expressions"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return [f"NOT FINDINGS: {text[:200]}"]
    return sorted(json.dumps(finding, sort_keys=True) for finding in value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--policies", type=Path, default=ROOT / "policies")
    parser.add_argument("--against", type=Path, help="compare findings with this policy dir")
    parser.add_argument("--count", type=int, default=20, help="corpus manifests to consider")
    parser.add_argument("--manifests", type=int, default=2, help="largest of them to time")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if args.against:
        return compare(args)
    time_entries(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
