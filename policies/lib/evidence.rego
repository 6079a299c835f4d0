# METADATA
# title: Terraform evidence bound to locations
# description: >-
#   The checker reads the Terraform a manifest binds to its locations (evidence-v1.md)
#   and passes the facts of each bound resource as input._tdcheck.evidence: location id
#   -> resources, in binding order. A resource the code does not declare is
#   {"bound": address, "found": false}; unknown facts are absent keys, listed in
#   `unresolved`.
# scope: subpackages
package tdcheck.lib

import rego.v1

evidence := object.get(object.get(input, "_tdcheck", {}), "evidence", {})

# Location id -> the bound resources the Terraform declares.
evidence_found[loc_id] := [r | some r in candidates; r.found] if {
	some loc_id in object.keys(evidence)
	candidates := evidence[loc_id]
}

# Location id -> the found resources that hold data at rest.
evidence_storage[loc_id] := [r | some r in candidates; r.storage] if {
	some loc_id in object.keys(evidence_found)
	candidates := evidence_found[loc_id]
}

# The country of a provider's region in the provider catalogue (providers-v1.md).
region_country(provider, region) := data.tdcheck.reference.providers[provider].regions[region].country

# Where a resource is declared, for messages: `aws_s3_bucket.lake (infra/main.tf:12)`.
resource_label(r) := [r.address, " (", r.file, ":", r.line, ")"]

# Locations holding regulated data: a stage there handles a regulated dataset.
regulated_locations contains loc_id if {
	some stage_id in object.keys(stage_datasets)
	some d in stage_datasets[stage_id]
	regulated_reasons[d]
	loc_id := stages[stage_id].location
}
