"""Pieces several renderers share: how a finding's subject is named and identified."""

from __future__ import annotations

import hashlib

from checker.model import Finding, Severity, Waiver

# SARIF `level` and GitHub annotation commands for each severity.
SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.ADVISORY: "note"}
GITHUB_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.ADVISORY: "notice"}


def subject_text(finding: Finding) -> str:
    """`stage train at eu-gpu`, `location dc`, `movement dc -> eu-gpu (records)`."""
    if finding.subject == "stage":
        return f"stage {finding.stage} at {finding.location}"
    if finding.subject == "location":
        return f"location {finding.location}"
    transfer = finding.transfer
    if transfer is None:
        return "movement"
    return f"movement {transfer.source} -> {transfer.target} ({', '.join(transfer.datasets)})"


def subject_key(finding: Finding) -> str:
    """A short name of the subject without the rule: the JUnit classname's second part."""
    if finding.subject == "stage":
        return finding.stage or ""
    if finding.subject == "location":
        return f"location:{finding.location}"
    transfer = finding.transfer
    return f"{transfer.source}->{transfer.target}" if transfer else "movement"


def fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: rule, deployment and subject (not the message, whose
    values change when the manifest is fixed, nor the line, which moves with edits)."""
    transfer = finding.transfer
    parts = [
        finding.rule_id,
        finding.deployment,
        finding.subject,
        finding.stage or "",
        finding.location or "",
        f"{transfer.source}>{transfer.target}>{','.join(sorted(transfer.datasets))}"
        if transfer
        else "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def waiver_note(waiver: Waiver) -> str:
    """The waiver as one line: reason, who approved it, until when."""
    return f"{waiver.reason} (approved by {waiver.approved_by}, expires {waiver.expires})"
