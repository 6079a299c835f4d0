"""What the EVID rules see of a Terraform resource: plain, engine-ready facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.errors import InputError, SourceSpan

# Facts a reader could not resolve statically (a variable without a default, a computed
# value) are listed in `unresolved` rather than guessed; EVID-006 reports them.
ENCRYPTIONS = ("none", "provider_managed", "customer_managed")


@dataclass(frozen=True, slots=True)
class ResourceFacts:
    address: str  # as Terraform writes it, instance keys included: module.m.aws_s3_bucket.b[0]
    type: str
    file: str
    line: int
    provider: str  # aws, azure, gcp
    storage: bool
    region: str | None = None
    encryption: str | None = None
    access_logging: bool | None = None
    public: bool | None = None
    network_isolation: bool | None = None
    unresolved: tuple[str, ...] = ()

    def as_input(self) -> dict[str, Any]:
        """Unknown facts are absent keys (Rego reads absence, not null, as undefined)."""
        value: dict[str, Any] = {
            "address": self.address,
            "type": self.type,
            "file": self.file,
            "line": self.line,
            "provider": self.provider,
            "storage": self.storage,
            "unresolved": list(self.unresolved),
        }
        optional = {
            "region": self.region,
            "encryption": self.encryption,
            "access_logging": self.access_logging,
            "public": self.public,
            "network_isolation": self.network_isolation,
        }
        value.update({k: v for k, v in optional.items() if v is not None})
        return value


@dataclass(frozen=True, slots=True)
class TerraformModule:
    """Every resource instance a root module (local modules followed) or a plan declares."""

    source: str
    resources: tuple[ResourceFacts, ...]
    # Every directory whose code was read (local modules may live outside the bound one,
    # `source = "../shared/bucket"`): what a cached result of it depends on.
    read_from: tuple[Path, ...] = ()

    def lookup(self, address: str) -> tuple[ResourceFacts, ...]:
        """A bound address names one instance, or every instance when it has no key."""
        found = tuple(r for r in self.resources if r.address == address)
        if found:
            return found
        return tuple(r for r in self.resources if strip_keys(r.address) == address)


def strip_keys(address: str) -> str:
    """`module.m[0].aws_s3_bucket.b["x"]` -> `module.m.aws_s3_bucket.b` (brackets removed)."""
    out: list[str] = []
    depth = 0
    quoted = False
    for char in address:
        if quoted:
            quoted = char != '"'
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif depth and char == '"':
            quoted = True
        elif not depth:
            out.append(char)
    return "".join(out)


class EvidenceError(InputError):
    """Evidence that cannot be read: located in the Terraform file where possible."""

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(SourceSpan(file, line, 1 if line else 0), message)
