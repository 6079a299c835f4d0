"""`tdcheck advise`: where may each stage run? Every declared location, evaluated by the policies.

`run.advise` loads and validates like `check`, `variants` plans the variant manifests,
`evaluate` sends them through the engine seam in one batch, `matrix` turns findings into
placements and verdicts, `summary` adds the architecture and the cost/scale advice, and
`render` holds the formats.
"""

from __future__ import annotations

from checker.advise.model import AdviceReport, ManifestAdvice, Placement, StageAdvice
from checker.advise.run import AdviseOptions, advise

__all__ = ["AdviceReport", "AdviseOptions", "ManifestAdvice", "Placement", "StageAdvice", "advise"]
