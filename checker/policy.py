"""Policy sources, data and the rule catalogue, read from the Rego files themselves."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from checker.errors import PolicyError, UsageError
from checker.loader import load_path
from checker.model import FRAMEWORKS, SUBJECTS, RuleMeta, Severity
from checker.policy_data import check_data_keys
from checker.policy_guard import check_builtins

ENTRYPOINT = "tdcheck/main/findings"
_PACKAGE = re.compile(r"^package[ \t]+([^#\n]+)", re.MULTILINE)
_PACKAGE_KEY = re.compile(r"""\[\s*"([\w]+)"\s*\]""")  # package a["b"] is package a.b
# Indented and `=` heads too: a head this misses can crash the embedded engine.
_FUNCTION_HEAD = re.compile(
    r"^[ \t]*([a-z_][\w]*)\(([^()]*)\)\s*(?::=|=(?!=)|if\b|\{)", re.MULTILINE
)
_REQUIRED = ("id", "framework", "severity", "subject", "citation", "remediation")
# Built-in policy directories that the checker's engines never load: conftest/ is the entry
# package for conftest users (`package main`, with `with` and string building, which the
# embedded engine cannot evaluate).
CONFTEST_ONLY = ("conftest",)
# libyaml when present: the pure-Python loader spent a fifth of a one-manifest run on the
# METADATA blocks. Both are safe loaders with the same (YAML 1.1) resolution.
_METADATA_LOADER: type[yaml.SafeLoader | yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


def builtin_policy_dir() -> Path:
    """Installed wheels carry the policies inside the package; a source checkout beside it."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "policies", here.parent / "policies"):
        if (candidate / "main.rego").is_file():
            return candidate
    raise PolicyError("built-in policies not found (the installation is incomplete)")


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Everything an engine loads: modules (name, source), merged data and the catalogue."""

    modules: tuple[tuple[str, str], ...]
    data: Mapping[str, Any]
    rules: tuple[RuleMeta, ...]
    digest: str
    # Data beyond the shipped data.json (--data, a --policy directory's data.json): rules
    # may then pass where the shipped defaults fail (the canary allows for it).
    extended_data: bool = False

    def rule(self, rule_id: str) -> RuleMeta | None:
        for meta in self.rules:
            if meta.rule_id == rule_id:
                return meta
        return None


def load_policy_set(extra_dirs: Sequence[Path] = (), data_files: Sequence[Path] = ()) -> PolicySet:
    modules: list[tuple[str, str]] = []
    rules: list[RuleMeta] = []
    packages: dict[str, str] = {}
    dirs = [("builtin", builtin_policy_dir())] + [
        (f"policy{i}", d) for i, d in enumerate(extra_dirs, 1)
    ]
    data: dict[str, Any] = {}
    data_sources: list[tuple[Path, bool, Mapping[str, Any]]] = []
    for prefix, directory in dirs:
        if not directory.is_dir():
            raise UsageError(f"{directory}: --policy must name a directory of .rego files")
        for path in sorted(directory.rglob("*.rego")):
            if path.name.endswith("_test.rego") or _not_for_engines(prefix, directory, path):
                continue
            name = f"{prefix}/{path.relative_to(directory).as_posix()}"
            source = _read(path)
            package = _package_of(source, name)
            if package in packages and not package.startswith("tdcheck.lib"):
                raise PolicyError(
                    f"{name}: package {package} is already defined by {packages[package]}; "
                    "a --policy rule cannot replace a built-in one"
                )
            if prefix != "builtin":
                _check_not_builtin(name, package, packages)
                check_builtins(str(path), source)
            packages.setdefault(package, name)
            modules.append((name, source))
            meta = rule_metadata(source, name, package)
            if meta is not None:
                rules.append(meta)
        for data_path in sorted(directory.rglob("data.json")):
            extra = _read_data(data_path)
            if prefix != "builtin":
                _check_no_override(data, extra, data_path)
            data_sources.append((data_path, prefix == "builtin", copy.deepcopy(extra)))
            _merge(data, extra)
    for data_file in data_files:
        extra = _read_data(data_file)
        data_sources.append((data_file, False, copy.deepcopy(extra)))
        _merge(data, extra)
    # Checked here, where every engine's data is assembled (embedded, OPA, bundles).
    package_names = tuple(packages)
    for data_path, shipped, added in data_sources:
        check_data_keys(added, package_names, str(data_path), shipped=shipped)
    _check_unique(rules)
    _check_function_arities(modules)
    extended = any(not shipped for _, shipped, _ in data_sources)
    return PolicySet(tuple(modules), data, tuple(rules), _digest(modules, data), extended)


def _not_for_engines(prefix: str, directory: Path, path: Path) -> bool:
    return prefix == "builtin" and path.relative_to(directory).parts[0] in CONFTEST_ONLY


def rule_metadata(source: str, name: str, package: str) -> RuleMeta | None:
    """The `# METADATA` block before `package`: rego.metadata is not portable, so read it here."""
    block = _metadata_block(source)
    if block is None:
        return None
    try:
        meta = yaml.load(block, Loader=_METADATA_LOADER) or {}
    except yaml.YAMLError as exc:
        raise PolicyError(f"{name}: METADATA is not valid YAML: {exc}") from None
    custom = meta.get("custom") or {}
    if custom.get("library") or "id" not in custom:
        return None
    missing = [key for key in _REQUIRED if not custom.get(key)]
    if missing or not meta.get("title"):
        raise PolicyError(f"{name}: METADATA lacks {', '.join(missing or ['title'])}")
    if custom["framework"] not in FRAMEWORKS or custom["subject"] not in SUBJECTS:
        raise PolicyError(f"{name}: METADATA framework or subject is not one of the contract's")
    try:
        severity = Severity(custom["severity"])
    except ValueError:
        raise PolicyError(f"{name}: METADATA severity {custom['severity']!r} is unknown") from None
    return RuleMeta(
        rule_id=str(custom["id"]),
        title=_squash(meta["title"]),
        description=_squash(meta.get("description", "")),
        framework=custom["framework"],
        severity=severity,
        subject=custom["subject"],
        citation=_squash(custom["citation"]),
        remediation=_squash(custom["remediation"]),
        package=package,
        source=name,
        severity_from=str(custom.get("severity_from", "")),
        verifies=_verifies(custom.get("verifies", []), name),
    )


def _verifies(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PolicyError(f"{name}: METADATA verifies must be a list of location field names")
    return tuple(value)


def _metadata_block(source: str) -> str | None:
    lines = source.splitlines()
    for index, line in enumerate(lines):
        if line.strip() == "# METADATA":
            body = []
            for following in lines[index + 1 :]:
                if not following.startswith("#"):
                    break
                body.append(following[2:] if following.startswith("# ") else following[1:])
            return "\n".join(body)
        if line.startswith("package "):
            return None
    return None


def _package_of(source: str, name: str) -> str:
    match = _PACKAGE.search(source)
    if match is None:
        raise PolicyError(f"{name}: no package declaration")
    package = _PACKAGE_KEY.sub(r".\1", "".join(match.group(1).split()))
    if not re.fullmatch(r"\w+(?:\.\w+)*", package):
        line = source.count("\n", 0, match.start()) + 1
        raise PolicyError(f"{name}:{line}: package {package} is not a dotted name")
    return package


def _check_not_builtin(name: str, package: str, packages: Mapping[str, str]) -> None:
    """A --policy module joining a built-in package (or an ancestor of one) could extend a
    built-in helper (`declared(m) if true` in tdcheck.lib) and silently turn failures into
    passes; only new packages of its own are allowed."""
    for existing, first in packages.items():
        if not first.startswith("builtin/"):
            continue
        if existing == package or existing.startswith(package + "."):
            raise PolicyError(
                f"{name}: package {package} belongs to the built-in policies ({first}); "
                "a --policy rule cannot replace or extend a built-in one"
            )


def _check_no_override(base: Mapping[str, Any], update: Mapping[str, Any], path: Path) -> None:
    """A --policy directory's data.json may add keys; changing a built-in value is --data's job."""
    for key, value in update.items():
        current = base.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            _check_no_override(current, value, path)
        elif key in base and current != value:
            raise PolicyError(
                f"{path}: data key {key!r} would replace a value already set; a --policy "
                "directory may only add data (override organisation parameters with --data)"
            )


def _check_unique(rules: list[RuleMeta]) -> None:
    seen: dict[str, str] = {}
    for meta in rules:
        if meta.rule_id in seen:
            raise PolicyError(
                f"{meta.source}: rule id {meta.rule_id} is already used by {seen[meta.rule_id]}"
            )
        seen[meta.rule_id] = meta.source


def _check_function_arities(modules: Sequence[tuple[str, str]]) -> None:
    """regopy segfaults when two packages define one function name with different arities."""
    seen: dict[str, tuple[int, str]] = {}
    for name, source in modules:
        for match in _FUNCTION_HEAD.finditer(source):
            function, params = match.group(1), match.group(2)
            arity = len([p for p in params.split(",") if p.strip()])
            first = seen.setdefault(function, (arity, name))
            if first[0] != arity:
                line = source.count("\n", 0, match.start()) + 1
                raise PolicyError(
                    f"{name}:{line}: function {function} takes {arity} argument(s) here and "
                    f"{first[0]} in {first[1]}; give one of them another name (the embedded "
                    "engine crashes on such a pair)"
                )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: cannot read policy: {exc}") from None


def _read_data(path: Path) -> dict[str, Any]:
    # Same loader as manifests: YAML 1.2 core, so `countries: [NO]` stays Norway.
    loaded = load_path(path, str(path))
    if loaded.errors:
        raise UsageError(f"--data: {loaded.errors[0].one_line()}")
    if len(loaded.documents) != 1 or not isinstance(loaded.documents[0].value, dict):
        raise UsageError(f"{path}: --data must hold one mapping (policy data merged over defaults)")
    value: dict[str, Any] = loaded.documents[0].value
    return value


def _merge(base: dict[str, Any], update: Mapping[str, Any]) -> None:
    """Deep merge, `update` wins: --data overrides single organisation parameters."""
    for key, value in update.items():
        current = base.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            _merge(current, value)
        else:
            base[key] = value


def _digest(modules: list[tuple[str, str]], data: Mapping[str, Any]) -> str:
    hasher = hashlib.sha256()
    for name, source in sorted(modules):
        hasher.update(name.encode() + b"\0" + source.encode() + b"\0")
    hasher.update(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
    return "sha256:" + hasher.hexdigest()


def _squash(text: object) -> str:
    return " ".join(str(text).split())
