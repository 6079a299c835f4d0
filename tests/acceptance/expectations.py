"""Expected findings of every acceptance case, derived by hand from rules-v1 and manifest-v1.

Written before running the tool on the case; a disagreement goes in DISAGREEMENTS (the test
becomes xfail(strict=True) with the contract text as its reason), never into CASES.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# (rule_id, stage or None, location or None, (from, to) or None)
Key = tuple[str, str | None, str | None, tuple[str, str] | None]


def S(rule: str, stage: str, location: str) -> Key:
    """A stage finding: stage S at location L."""
    return (rule, stage, location, None)


def L(rule: str, location: str) -> Key:
    """A location finding."""
    return (rule, None, location, None)


def M(rule: str, source: str, target: str) -> Key:
    """A movement finding: data moving from one location to another."""
    return (rule, None, None, (source, target))


@dataclass(frozen=True, slots=True)
class Case:
    exit_code: int
    failing: frozenset[Key]
    passing: frozenset[Key] = frozenset()
    # (rule id or framework id, location id or None): no finding at all, the rule does not apply
    not_applicable: tuple[tuple[str, str | None], ...] = ()
    # finding -> substrings its message must contain (the values that decided it)
    messages: dict[Key, tuple[str, ...]] = field(default_factory=dict)
    # finding -> text found on exactly one line of the file: the element that decides it
    lines: dict[Key, str] = field(default_factory=dict)


def case(
    exit_code: int,
    failing: list[Key],
    passing: list[Key] | None = None,
    not_applicable: list[tuple[str, str | None]] | None = None,
    messages: dict[Key, tuple[str, ...]] | None = None,
    lines: dict[Key, str] | None = None,
) -> Case:
    return Case(
        exit_code,
        frozenset(failing),
        frozenset(passing or ()),
        tuple(not_applicable or ()),
        messages or {},
        lines or {},
    )


HIPAA_STAGE_RULES = ("HIPAA-BAA-001", "HIPAA-ENC-001", "HIPAA-AUD-001", "HIPAA-AC-001")
HYBRID_MOVEMENT_RULES = ("HYB-DECL-001", "HYB-ENC-001", "HYB-NET-001")

CASES: dict[str, Case] = {
    "hipaa-compliant-onprem.yaml": case(
        0,
        [],
        passing=[
            S(rule, stage, "dc")
            for rule in (*HIPAA_STAGE_RULES, "HIPAA-RES-001")
            for stage in ("ingest", "train")
        ],
    ),
    "hipaa-baa-encryption-no-excuse.yaml": case(
        1,
        [S("HIPAA-BAA-001", "train", "cloud")],
        passing=[
            S("HIPAA-ENC-001", "train", "cloud"),
            S("HIPAA-AUD-001", "train", "cloud"),
            S("HIPAA-BAA-001", "ingest", "dc"),
            M("HIPAA-ENC-002", "dc", "cloud"),
        ],
        messages={S("HIPAA-BAA-001", "train", "cloud"): ("cloud",)},
    ),
    "hipaa-location-defaults.yaml": case(
        1,
        [
            S(rule, stage, "dc")
            for rule in ("HIPAA-ENC-001", "HIPAA-AUD-001", "HIPAA-AC-001")
            for stage in ("ingest", "train")
        ],
        passing=[S("HIPAA-BAA-001", "train", "dc"), S("HIPAA-RES-001", "train", "dc")],
        messages={S("HIPAA-ENC-001", "train", "dc"): ("none",)},
    ),
    "hipaa-colocation-operator-default.yaml": case(
        1,
        [S("HIPAA-BAA-001", "ingest", "colo"), S("HIPAA-BAA-001", "train", "colo")],
        passing=[S("HIPAA-ENC-001", "train", "colo"), S("HIPAA-AC-001", "train", "colo")],
    ),
    "hipaa-residency.yaml": case(
        1,
        [S("HIPAA-RES-001", "ingest", "dc-berlin"), S("HIPAA-RES-001", "evaluate", "dc-berlin")],
        passing=[S("HIPAA-AUD-001", "evaluate", "dc-berlin")],
        not_applicable=[("gdpr", None)],
        messages={S("HIPAA-RES-001", "evaluate", "dc-berlin"): ("DE",)},
        lines={S("HIPAA-RES-001", "evaluate", "dc-berlin"): "country: DE"},
    ),
    "hipaa-lineage-model-is-phi.yaml": case(
        1,
        [S(rule, "serve", "cloud") for rule in HIPAA_STAGE_RULES],
        passing=[
            M("HIPAA-ENC-002", "dc", "cloud"),
            M("HYB-DECL-001", "dc", "cloud"),
            M("HYB-ENC-001", "dc", "cloud"),
            M("HYB-NET-001", "dc", "cloud"),
            S("HIPAA-RES-001", "serve", "cloud"),
        ],
    ),
    "hipaa-deid-safe-harbor.yaml": case(
        0,
        [],
        passing=[S("HIPAA-DEID-001", "deid", "dc")],
        not_applicable=[("hipaa", "cloud"), ("hybrid", None)],
    ),
    "hipaa-deid-limited-data-set.yaml": case(
        1,
        [
            S("HIPAA-DEID-001", "deid", "dc"),
            *(S(rule, "train", "cloud") for rule in HIPAA_STAGE_RULES),
        ],
        passing=[M("HIPAA-ENC-002", "dc", "cloud")],
        messages={S("HIPAA-DEID-001", "deid", "dc"): ("limited_data_set",)},
    ),
    "hipaa-deid-expert-no-evidence.yaml": case(
        1,  # v1.1: no evidence_ref, so PHI flows on to the cloud
        [
            S("HIPAA-DEID-001", "deid", "dc"),
            *(S(rule, "train", "cloud") for rule in HIPAA_STAGE_RULES),
        ],
        passing=[M("HIPAA-ENC-002", "dc", "cloud"), S("HIPAA-RES-001", "train", "cloud")],
    ),
    "hipaa-transfer-unencrypted.yaml": case(
        0,  # HIPAA-ENC-002 and (v1.1, PHI only) HYB-ENC-001 take the org severity, warning
        [M("HIPAA-ENC-002", "dc-a", "dc-b"), M("HYB-ENC-001", "dc-a", "dc-b")],
        passing=[M("HYB-DECL-001", "dc-a", "dc-b"), M("HYB-NET-001", "dc-a", "dc-b")],
        messages={M("HYB-ENC-001", "dc-a", "dc-b"): ("none",)},
    ),
    "implied-movements-regulated.yaml": case(
        1,
        [
            *(M(r, "hospital", "clinic") for r in ("HIPAA-ENC-002", *HYBRID_MOVEMENT_RULES)),
            *(M(r, "plant", "de-vault") for r in ("ITAR-XFER-001", *HYBRID_MOVEMENT_RULES)),
            *(M(r, "gov-a", "gov-b") for r in HYBRID_MOVEMENT_RULES),
        ],
        passing=[
            M("CLS-XFER-001", "gov-a", "gov-b"),  # v1.1: judged on accreditation only
            S("HIPAA-ENC-001", "eval-records", "clinic"),
            S("ITAR-LOC-001", "store-tech", "de-vault"),
            S("ITAR-PER-001", "store-tech", "de-vault"),
            S("CLS-NET-001", "eval-imagery", "gov-b"),
            S("CLS-CLOUD-001", "eval-imagery", "gov-b"),
        ],
    ),
    "hybrid-implied-movement.yaml": case(
        1,
        [
            M("HYB-DECL-001", "dc", "cloud"),
            M("HYB-ENC-001", "dc", "cloud"),
            M("HYB-NET-001", "dc", "cloud"),
        ],
        messages={M("HYB-DECL-001", "dc", "cloud"): ("customers",)},
    ),
    "hybrid-transfer-defaults.yaml": case(
        0,  # v1.1: PII only, so HYB-ENC-001 takes the org severity (warning)
        [M("HYB-ENC-001", "dc", "cloud"), M("HYB-NET-001", "dc", "cloud")],
        passing=[M("HYB-DECL-001", "dc", "cloud")],
        messages={M("HYB-NET-001", "dc", "cloud"): ("internet",)},
        lines={M("HYB-NET-001", "dc", "cloud"): "channel: internet"},
    ),
    "hybrid-lineage-classes-flow.yaml": case(
        1,
        [
            M("HYB-DECL-001", "cloud", "dc"),
            M("HYB-ENC-001", "cloud", "dc"),
            M("HYB-NET-001", "cloud", "dc"),
        ],
        passing=[M("HYB-DECL-001", "dc", "cloud"), M("HYB-ENC-001", "dc", "cloud")],
        messages={M("HYB-DECL-001", "cloud", "dc"): ("features",)},
    ),
    "gdpr-adequacy.yaml": case(
        0,
        [],
        passing=[S("GDPR-XFER-001", "train", "cloud-tokyo")],
        not_applicable=[("gdpr", "dc-frankfurt")],
    ),
    "gdpr-us-dpf.yaml": case(
        1,
        [S("GDPR-XFER-001", "eval-plain", "us-plain")],
        passing=[S("GDPR-XFER-001", "eval-dpf", "us-dpf")],
        not_applicable=[("gdpr", "dc-paris")],
        messages={S("GDPR-XFER-001", "eval-plain", "us-plain"): ("US",)},
    ),
    "gdpr-scc-tia.yaml": case(
        1,  # v1.1: GDPR-TIA-001 is an error
        [M("GDPR-TIA-001", "dc-dublin", "cloud-singapore")],
        passing=[
            S("GDPR-XFER-001", "eval-in", "cloud-mumbai"),
            S("GDPR-XFER-001", "eval-sg", "cloud-singapore"),
            M("GDPR-TIA-001", "dc-dublin", "cloud-mumbai"),
        ],
    ),
    "gdpr-derogation.yaml": case(
        1,
        [
            S("GDPR-XFER-001", "eval-cloud", "cloud-mumbai"),
            M("GDPR-XFER-002", "dc-madrid", "cloud-mumbai"),
        ],
        passing=[
            M("GDPR-XFER-002", "dc-madrid", "lab-bangalore"),
            S("GDPR-XFER-001", "eval-lab", "lab-bangalore"),  # v1.1: one-off derogation
        ],
        messages={M("GDPR-XFER-002", "dc-madrid", "cloud-mumbai"): ("derogation",)},
        lines={M("GDPR-XFER-002", "dc-madrid", "cloud-mumbai"): "to: cloud-mumbai"},
    ),
    "fedramp-status-and-level.yaml": case(
        1,
        [
            S("FEDRAMP-AUTH-001", "eval-ready", "cloud-ready"),
            S("FEDRAMP-LVL-001", "eval-low", "cloud-low"),
        ],
        passing=[
            S("FEDRAMP-AUTH-001", "eval-authorized", "cloud-authorized"),
            S("FEDRAMP-LVL-001", "eval-authorized", "cloud-authorized"),
            S("FEDRAMP-LVL-001", "eval-ready", "cloud-ready"),
            S("FEDRAMP-AUTH-001", "eval-low", "cloud-low"),
        ],
        not_applicable=[("fedramp", "private-self"), ("fedramp", "agency-dc")],
        messages={
            S("FEDRAMP-AUTH-001", "eval-ready", "cloud-ready"): ("ready",),
            S("FEDRAMP-LVL-001", "eval-low", "cloud-low"): ("low", "moderate"),
        },
    ),
    "fedramp-li-saas.yaml": case(
        1,
        [
            S("FEDRAMP-LVL-001", "eval-iaas", "iaas-gpu"),
            S("FEDRAMP-AUTH-001", "eval-hosted", "hosted-private"),
        ],
        passing=[
            S("FEDRAMP-LVL-001", "label", "saas-labeling"),
            S("FEDRAMP-AUTH-001", "label", "saas-labeling"),
            S("FEDRAMP-LVL-001", "eval-hosted", "hosted-private"),
        ],
        messages={S("FEDRAMP-AUTH-001", "eval-hosted", "hosted-private"): ("in_process",)},
    ),
    "dod-impact-levels.yaml": case(
        1,
        [
            S("DOD-IL-003", "eval-shared", "gov-shared"),
            S("DOD-IL-001", "eval-il4", "gov-il4"),
            S("DOD-IL-002", "eval-de", "cloud-frankfurt"),
            S("DOD-IL-004", "eval-anyone", "gov-anyone"),
        ],
        passing=[
            *(S(f"DOD-IL-00{n}", "eval-ok", "gov-ok") for n in (1, 2, 3, 4)),
            S("DOD-IL-002", "eval-pr", "gov-pr"),
            S("DOD-IL-001", "eval-pr", "gov-pr"),
        ],
        not_applicable=[("dod_srg", "base-dc")],
        messages={
            S("DOD-IL-001", "eval-il4", "gov-il4"): ("il4", "il5"),
            S("DOD-IL-002", "eval-de", "cloud-frankfurt"): ("DE",),
            S("DOD-IL-003", "eval-shared", "gov-shared"): ("multi_tenant",),
        },
    ),
    "dod-il6-personnel.yaml": case(
        1,
        [
            S("DOD-IL-004", "eval-confidential", "gov-confidential"),
            S("DOD-IL-004", "eval-persons", "gov-persons"),
        ],
        passing=[S("DOD-IL-004", "eval-cleared", "gov-cleared")],
    ),
    "cui-cloud-and-fips.yaml": case(
        1,
        [S("CUI-001", "eval-ready", "cloud-ready"), S("CUI-002", "eval-nofips", "dc-nofips")],
        passing=[
            S("CUI-001", "ingest", "gov-ok"),
            S("CUI-002", "ingest", "gov-ok"),
            S("CUI-001", "eval-equivalent", "cloud-equivalent"),
            S("CUI-003", "eval-fips2", "dc-fips2"),
            S("CUI-002", "eval-fips2", "dc-fips2"),
            # the framework applies where handles(S, cui); cloud(L) is in the fail condition
            S("CUI-001", "eval-nofips", "dc-nofips"),
            S("CUI-003", "eval-nofips", "dc-nofips"),
        ],
    ),
    "itar-locations-and-carve-out.yaml": case(
        1,
        [
            S("ITAR-PER-001", "eval-foreign", "us-lab-foreign-staff"),
            S("ITAR-LOC-001", "train-de", "de-gpu"),
            M("ITAR-XFER-001", "us-plant", "de-gpu"),
            S("ITAR-LOC-002", "ckpt-cn", "cn-vault"),
            S("ITAR-LOC-001", "ckpt-nofips", "de-nofips"),
            S("ITAR-PER-001", "ckpt-nofips", "de-nofips"),
            S("ITAR-LOC-001", "ckpt-cmk", "de-cmk"),
            S("ITAR-PER-001", "ckpt-cmk", "de-cmk"),
        ],
        passing=[
            S("ITAR-LOC-001", "train", "us-plant"),
            S("ITAR-PER-001", "train", "us-plant"),
            S("ITAR-LOC-001", "eval-foreign", "us-lab-foreign-staff"),
            S("ITAR-LOC-001", "ckpt-de", "de-vault"),
            S("ITAR-PER-001", "ckpt-de", "de-vault"),
            S("ITAR-LOC-002", "ckpt-de", "de-vault"),
            S("ITAR-PER-001", "train-de", "de-gpu"),
            M("ITAR-XFER-001", "us-plant", "de-vault"),
            M("ITAR-XFER-001", "us-plant", "cn-vault"),
        ],
        messages={S("ITAR-LOC-002", "ckpt-cn", "cn-vault"): ("CN",)},
        lines={S("ITAR-LOC-002", "ckpt-cn", "cn-vault"): "country: CN"},
    ),
    "ear-licence-determination.yaml": case(
        0,  # EAR-LOC-001 and EAR-PER-001 are warnings
        [
            S("EAR-LOC-001", "eval-de", "de-gpu"),
            # v1.1: 5D002 is software and neither location is run by US persons only
            S("EAR-PER-001", "eval-de", "de-gpu"),
            S("EAR-PER-001", "ingest", "us-dc"),
        ],
        passing=[
            S("EAR-LOC-001", "store-de", "de-vault"),
            S("EAR-LOC-001", "ingest", "us-dc"),
            S("EAR-LOC-002", "eval-de", "de-gpu"),
        ],
        # class ear without an ECCN is not known to be technology or software: no EAR-PER-001
        not_applicable=[("ear", "jp-cloud"), ("EAR-PER-001", "de-vault")],
        messages={S("EAR-LOC-001", "eval-de", "de-gpu"): ("DE",)},
    ),
    "classified-enclaves.yaml": case(
        1,
        [
            S("CLS-ACC-001", "eval-confidential", "lab-confidential"),
            M("CLS-XFER-001", "scif", "lab-confidential"),
            S("CLS-NET-001", "eval-networked", "lab-networked"),
            S("CLS-PER-001", "eval-lowclearance", "lab-lowclearance"),
            M("CLS-XFER-001", "scif", "lab-lowclearance"),
        ],
        passing=[
            *(S(r, "ingest", "scif") for r in ("CLS-ACC-001", "CLS-NET-001", "CLS-PER-001")),
            S("CLS-NET-001", "eval-il6", "il6-cloud"),
            S("CLS-CLOUD-001", "eval-il6", "il6-cloud"),
            S("CLS-ACC-001", "eval-il6", "il6-cloud"),
            M("CLS-XFER-001", "scif", "il6-cloud"),
            M("CLS-XFER-001", "scif", "lab-networked"),
            L("AIRGAP-002", "scif"),
            M("AIRGAP-003", "scif", "lab-confidential"),
        ],
        messages={S("CLS-ACC-001", "eval-confidential", "lab-confidential"): ("confidential",)},
    ),
    "classified-cloud-scope.yaml": case(
        1,
        [
            S("CLS-CLOUD-001", "eval-secret", "public-region"),
            S("CLS-NET-001", "eval-secret", "public-region"),
        ],
        passing=[
            # v1.1: a dedicated government cloud accredited top_secret (ICD 503)
            S("CLS-CLOUD-001", "eval-ts", "gov-il6"),
            S("CLS-NET-001", "eval-ts", "gov-il6"),
            S("CLS-ACC-001", "eval-ts", "gov-il6"),
            S("CLS-PER-001", "eval-ts", "gov-il6"),
            S("CLS-ACC-001", "eval-secret", "public-region"),
            M("CLS-XFER-001", "scif", "gov-il6"),
        ],
        messages={S("CLS-CLOUD-001", "eval-ts", "gov-il6"): ("top_secret",)},
    ),
    "classified-lineage.yaml": case(
        1,
        [
            S("CLS-ACC-001", "eval-office", "office"),
            S("CLS-NET-001", "eval-office", "office"),
            S("CLS-PER-001", "eval-office", "office"),
            M("CLS-XFER-001", "scif", "office"),
        ],
        passing=[S("CLS-ACC-001", "train", "scif"), M("HYB-DECL-001", "scif", "office")],
        messages={S("CLS-PER-001", "eval-office", "office"): ("secret",)},
    ),
    "airgap-mandate.yaml": case(
        1,
        [
            S("AIRGAP-001", "eval-office", "office"),
            L("AIRGAP-002", "bad-enclave"),
            M("AIRGAP-003", "enclave", "bad-enclave"),
        ],
        passing=[
            S("AIRGAP-001", "train", "enclave"),
            S("AIRGAP-001", "eval-bad", "bad-enclave"),
            L("AIRGAP-002", "enclave"),
            M("AIRGAP-003", "enclave", "office"),
        ],
        lines={M("AIRGAP-003", "enclave", "bad-enclave"): "channel: vpn"},
        messages={
            L("AIRGAP-002", "bad-enclave"): ("private",),
            M("AIRGAP-003", "enclave", "bad-enclave"): ("vpn",),
        },
    ),
    "advisory-onprem-scale.yaml": case(
        0,  # advisories never reach --fail-on error
        [
            S("ADV-SCALE-001", "pretrain", "dc"),
            L("ADV-COST-001", "dc"),
            L("ADV-STAFF-001", "dc"),
        ],
        messages={
            S("ADV-SCALE-001", "pretrain", "dc"): ("64",),
            L("ADV-COST-001", "dc"): ("40",),
        },
    ),
    "advisory-cloud-pricing.yaml": case(
        0,
        [L("ADV-COST-002", "cloud-ondemand"), L("ADV-SPOT-001", "cloud-ondemand")],
        messages={L("ADV-COST-002", "cloud-ondemand"): ("75",)},
    ),
    "advisory-cost-suppressed-airgap.yaml": case(0, []),
    # --- v1.1 amendments ---------------------------------------------------------------------
    "v11-cui-transit-fedramp-certified.yaml": case(
        1,
        [
            M("CUI-004", "dc", "lab-tls"),  # plain tls is not FIPS validated
            M("CUI-004", "dc", "lab-cds"),  # a cross-domain solution is no physical safeguard
            M("CUI-004", "dc", "lab-undeclared"),  # "none covering: fails"
            *(M(r, "dc", "lab-undeclared") for r in HYBRID_MOVEMENT_RULES),
        ],
        passing=[
            M("CUI-004", "dc", "gov"),
            M("CUI-004", "dc", "lab-media"),  # approved removable media
            M("HYB-ENC-001", "dc", "lab-media"),  # no encryption, approved media
            S("FEDRAMP-AUTH-001", "eval-gov", "gov"),  # certified counts as authorised
            S("FEDRAMP-LVL-001", "eval-gov", "gov"),
            S("CUI-001", "eval-gov", "gov"),
            *(
                S("CUI-002", stage, loc)
                for stage, loc in (("ingest", "dc"), ("eval-tls", "lab-tls"))
            ),
        ],
        not_applicable=[("fedramp", "dc"), ("fedramp", "lab-tls")],
        messages={
            M("CUI-004", "dc", "lab-tls"): ("tls", "tls_fips"),
            S("FEDRAMP-AUTH-001", "eval-gov", "gov"): ("certified",),
        },
        lines={M("CUI-004", "dc", "lab-tls"): "to: lab-tls, datasets: [cui-docs], channel: vpn"},
    ),
    "v11-itar-carve-out-classified-cyprus.yaml": case(
        1,
        [
            S("ITAR-LOC-001", "store-secret", "de-vault"),  # carve-out: unclassified only
            S("ITAR-PER-001", "store-secret", "de-vault"),
            S("CLS-ACC-001", "store-secret", "de-vault"),
            S("CLS-NET-001", "store-secret", "de-vault"),
            S("CLS-PER-001", "store-secret", "de-vault"),
            M("CLS-XFER-001", "plant", "de-vault"),  # de-vault is not accredited
        ],
        passing=[
            S("ITAR-LOC-001", "store-cy", "cy-vault"),
            S("ITAR-PER-001", "store-cy", "cy-vault"),
            S("ITAR-LOC-002", "store-cy", "cy-vault"),  # Cyprus suspended on 2026-06-01
            S("ITAR-LOC-002", "store-secret", "de-vault"),
            S("CLS-NET-001", "ingest", "plant"),  # accredited classified network, no air gap
            S("CLS-CLOUD-001", "store-secret", "de-vault"),
            M("ITAR-XFER-001", "plant", "cy-vault"),
            M("ITAR-XFER-001", "plant", "de-vault"),
        ],
        messages={
            S("ITAR-LOC-001", "store-secret", "de-vault"): ("secret",),
            S("ITAR-LOC-002", "store-cy", "cy-vault"): ("2026-09-30",),
        },
    ),
    "v11-ear-d5-russia-deemed-export.yaml": case(
        1,
        [
            S("EAR-LOC-002", "store-ru", "ru-dc"),  # Russia, named by 734.18(a)(5)(iv)
            S("EAR-LOC-002", "store-hk", "hk-store"),  # Hong Kong is China, in D:5
            S("EAR-PER-001", "ingest", "us-lab"),  # software and technology, foreign staff
        ],
        passing=[
            S("EAR-LOC-001", "store-ru", "ru-dc"),  # 734.18(a)(5)(i)-(iii) hold; (iv) does not
            S("EAR-LOC-002", "store-cy", "cy-store"),  # suspended on 2026-06-01
            S("EAR-LOC-002", "store-jp", "jp-store"),
            S("EAR-LOC-002", "ingest", "us-lab"),
            S("EAR-PER-001", "store-jp", "jp-store"),  # storage carve-out
            S("EAR-PER-001", "store-ru", "ru-dc"),
        ],
        not_applicable=[("ear", "sg-cloud")],  # ear99 in lower case is EAR99
        messages={
            S("EAR-LOC-002", "store-ru", "ru-dc"): ("RU",),
            S("EAR-LOC-002", "store-hk", "hk-store"): ("HK", "D:5"),
        },
        lines={S("EAR-LOC-002", "store-hk", "hk-store"): "country: HK"},
    ),
    "v11-deid-output-declares-phi.yaml": case(
        1,
        [S(rule, "train-kept", "cloud") for rule in HIPAA_STAGE_RULES],
        passing=[
            S("HIPAA-DEID-001", "deid", "dc"),
            S("HIPAA-RES-001", "train-kept", "cloud"),
            M("HIPAA-ENC-002", "dc", "cloud"),
        ],
        not_applicable=[("hipaa", "cloud-clean")],
    ),
    "v11-gdpr-collected-directly.yaml": case(
        1,
        [S("GDPR-XFER-001", "eval", "in-lab")],
        passing=[
            S("GDPR-XFER-001", "train", "us-app"),
            *(M(r, "us-app", "in-lab") for r in ("HYB-DECL-001", "HYB-ENC-001", "HYB-NET-001")),
        ],
        messages={
            S("GDPR-XFER-001", "train", "us-app"): ("collected_directly",),
            S("GDPR-XFER-001", "eval", "in-lab"): ("model",),
        },
    ),
}

# rules-v1: framework, severity (HIPAA-ENC-* take the org default, `warning`) and subject
CATALOGUE: dict[str, tuple[str, str, str]] = {
    "HIPAA-BAA-001": ("hipaa", "error", "stage"),
    "HIPAA-ENC-001": ("hipaa", "warning", "stage"),
    "HIPAA-AUD-001": ("hipaa", "error", "stage"),
    "HIPAA-AC-001": ("hipaa", "error", "stage"),
    "HIPAA-RES-001": ("hipaa", "error", "stage"),
    "HIPAA-DEID-001": ("hipaa", "warning", "stage"),
    "HIPAA-ENC-002": ("hipaa", "warning", "movement"),
    "FEDRAMP-AUTH-001": ("fedramp", "error", "stage"),
    "FEDRAMP-LVL-001": ("fedramp", "error", "stage"),
    "DOD-IL-001": ("dod_srg", "error", "stage"),
    "DOD-IL-002": ("dod_srg", "error", "stage"),
    "DOD-IL-003": ("dod_srg", "error", "stage"),
    "DOD-IL-004": ("dod_srg", "error", "stage"),
    "CUI-001": ("cui", "error", "stage"),
    "CUI-002": ("cui", "error", "stage"),
    "CUI-003": ("cui", "warning", "stage"),
    "CUI-004": ("cui", "error", "movement"),
    "ITAR-LOC-001": ("itar", "error", "stage"),
    "ITAR-LOC-002": ("itar", "error", "stage"),
    "ITAR-PER-001": ("itar", "error", "stage"),
    "ITAR-XFER-001": ("itar", "error", "movement"),
    "EAR-LOC-001": ("ear", "warning", "stage"),
    "EAR-LOC-002": ("ear", "error", "stage"),
    "EAR-PER-001": ("ear", "warning", "stage"),
    "CLS-ACC-001": ("classified", "error", "stage"),
    "CLS-NET-001": ("classified", "error", "stage"),
    "CLS-CLOUD-001": ("classified", "error", "stage"),
    "CLS-PER-001": ("classified", "error", "stage"),
    "CLS-XFER-001": ("classified", "error", "movement"),
    "AIRGAP-001": ("air_gap", "error", "stage"),
    "AIRGAP-002": ("air_gap", "error", "location"),
    "AIRGAP-003": ("air_gap", "error", "movement"),
    "GDPR-XFER-001": ("gdpr", "error", "stage"),
    "GDPR-XFER-002": ("gdpr", "error", "movement"),
    "GDPR-TIA-001": ("gdpr", "error", "movement"),
    "HYB-DECL-001": ("hybrid", "error", "movement"),
    "HYB-ENC-001": ("hybrid", "error", "movement"),
    "HYB-NET-001": ("hybrid", "warning", "movement"),
    "ADV-SCALE-001": ("advisory", "advisory", "stage"),
    "ADV-COST-001": ("advisory", "advisory", "location"),
    "ADV-COST-002": ("advisory", "advisory", "location"),
    "ADV-STAFF-001": ("advisory", "advisory", "location"),
    "ADV-SPOT-001": ("advisory", "advisory", "location"),
    "VER-001": ("verify", "error", "location"),
    "VER-002": ("verify", "error", "location"),
    "VER-003": ("verify", "error", "location"),
    "VER-004": ("verify", "warning", "location"),
    "VER-005": ("verify", "warning", "location"),
    "VER-006": ("verify", "advisory", "location"),
}

# Rules whose severity is the organisation's hipaa_encryption_severity for some subjects
# (rules-v1 v1.1, HYB-ENC-001: "where the moving data's only regulated classes are phi and
# pii"); the default organisation data says `warning`.
ORG_SEVERITY_FOR_PHI_PII: frozenset[str] = frozenset({"HYB-ENC-001"})

# Where the implementation disagrees with the contract: (case, aspect) -> reason quoting it.
# Aspects: failing, passing, not_applicable, messages, lines, exit; prefix the case with
# "embedded:" or "opa:" for a disagreement of one engine only.
DISAGREEMENTS: dict[tuple[str, str], str] = {}
