# METADATA
# title: A location's region and country match the Terraform that builds it
# description: >-
#   A location bound to Terraform resources is where those resources are created. A
#   bound resource whose region (from the resource, its provider block or alias, or a
#   variable's default) differs from the location's `region`, or lies in another
#   country than the location claims (through the provider catalogue), contradicts the
#   manifest: every residency rule judged on the claim would be judged on a fiction.
# scope: package
# custom:
#   id: EVID-001
#   framework: verify
#   severity: error
#   subject: location
#   citation: evidence-v1.md (NIST SP 800-53 CM-8, system component inventory)
#   verifies: [region, country]
#   remediation: >-
#     Make the manifest and the Terraform agree: correct the location's `region` and
#     `country`, or move the resource (its provider `region`, Azure `location`, Google
#     `location`) to the region the manifest declares.
package tdcheck.rules.verify_evid_001

import data.tdcheck.lib
import rego.v1

# Location id -> its bound resources whose region was resolved, and those placed elsewhere
# than the location claims.
placed[loc_id] := [r | some r in candidates; r.region] if {
	some loc_id in object.keys(lib.evidence_found)
	candidates := lib.evidence_found[loc_id]
}

misplaced[loc_id] := [r | some r in candidates; elsewhere(loc, r)] if {
	some loc_id in object.keys(placed)
	candidates := placed[loc_id]
	loc := lib.locations[loc_id]
}

# A pass says every bound resource is where the location claims, its country read from the
# provider catalogue: none may have an unresolved region (EVID-006) or an uncatalogued one.
unsettled[loc_id] := [r | some r in candidates; not settled(r)] if {
	some loc_id in object.keys(lib.evidence_found)
	candidates := lib.evidence_found[loc_id]
}

settled(r) if lib.region_country(r.provider, r.region)

judged contains loc_id if {
	some loc_id in object.keys(misplaced)
	count(misplaced[loc_id]) > 0
}

judged contains loc_id if {
	some loc_id in object.keys(placed)
	count(placed[loc_id]) > 0
	count(unsettled[loc_id]) == 0
}

findings := [lib.location_finding("EVID-001", loc_id, evidence_verdict(loc_id)) | some loc_id in judged]

elsewhere(loc, r) if r.region != loc.region

elsewhere(loc, r) if lib.region_country(r.provider, r.region) != loc.country

evidence_verdict(loc_id) := {
	"failed": true,
	"message": [
		lib.resource_label(r), " is in ", r.region, country_text(r), "; location ", loc.id,
		" claims region ", object.get(loc, "region", "(none)"), ", country ", loc.country,
	],
	"path": lib.location_path(loc.id, claim(loc, r)),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
	r := misplaced[id][0]
	loc := lib.locations[id]
} else := {
	"failed": false,
	"message": ["every bound resource of location ", id, " is in its region ", r.region],
	"path": lib.location_path(id, "region"),
} if {
	# regopy scans a rule looked up by a parameter: a local first (policies/README.md)
	# regal ignore:pointless-reassignment
	id := loc_id
	r := placed[id][0]
}

country_text(r) := [" (", lib.region_country(r.provider, r.region), ")"] if {
	lib.region_country(r.provider, r.region)
} else := []

claim(loc, r) := "region" if r.region != loc.region

else := "country"
