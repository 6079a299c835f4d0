"""Terraform evidence: the facts a location's infrastructure code declares.

`bind_evidence` reads the Terraform (HCL or a plan JSON) that a manifest binds to its
locations and returns the facts the EVID rules judge, as engine input. Nothing here
decides a finding: the rules in `policies/rules/verify/` do.
"""

from checker.evidence.bind import EvidenceBinder, EvidenceInput, bind_evidence
from checker.evidence.facts import ResourceFacts, TerraformModule

__all__ = ["EvidenceBinder", "EvidenceInput", "ResourceFacts", "TerraformModule", "bind_evidence"]
