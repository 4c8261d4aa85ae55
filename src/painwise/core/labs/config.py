"""Contested thresholds (clinical_reference.md §3, "Uncertain or contested points") as configuration.

The defaults are documented choices, not facts: a clinic may pick another published value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Literal

from painwise.core.errors import DomainError

AltUln = Literal["lab", "acg"]


@dataclass(frozen=True)
class LabConfig:
    # Ferritin below this (ng/mL = µg/L) -> "iron deficiency". 30 per AAFP and BSG ("probable ID" 15-30);
    # alternatives: WHO 2020 15 (adults), AGA 2020 45 (in anaemia). Ferritin rises with inflammation.
    ferritin_cutoff: float = 30.0
    # TSAT below this (%) -> "iron deficiency". 20 per §3; 16 is also used.
    tsat_cutoff: float = 20.0
    # B12 (pg/mL): below deficient_below -> "deficient"; from there up to (not including) borderline_below
    # -> "borderline" (the default band is 200-299 pg/mL). UK-style alternative: 180 and 350.
    b12_deficient_below: float = 200.0
    b12_borderline_below: float = 300.0
    # ALT upper limit: "lab" = the reporting lab's ULN, else the catalogue range; "acg" = ACG 2017 healthy
    # ULN (33 U/L men, 25 U/L women). §4: use the ACG value for DILI rules only when a clinician chooses it.
    alt_uln: AltUln = "lab"
    # Total testosterone in men below this (ng/dL) -> "low testosterone". AUA 2018: 300; the harmonized
    # lower limit (Travison 2017) is 264.
    testosterone_cutoff: float = 300.0
    # Total testosterone in women (ng/dL) when the lab gives no range: ≈15–46 ng/dL, the 5th–95th
    # percentile of premenopausal women at ~30 y (Braunstein GD et al. J Sex Med 2011); assay-dependent.
    # Without it a high value relevant to androgenetic hair loss would read "unknown".
    female_testosterone_low: float = 15.0
    female_testosterone_high: float = 46.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "alt_uln" and (not isinstance(value, int | float) or not math.isfinite(value) or value <= 0):
                raise DomainError("labs.invalid_config", f"{f.name} must be a positive number, got {value!r}.", f.name)
        if self.b12_deficient_below >= self.b12_borderline_below:
            raise DomainError(
                "labs.invalid_config",
                "b12_deficient_below must be lower than b12_borderline_below "
                f"(got {self.b12_deficient_below} and {self.b12_borderline_below}).",
                "b12_borderline_below",
            )
        if self.female_testosterone_low >= self.female_testosterone_high:
            raise DomainError(
                "labs.invalid_config",
                "female_testosterone_low must be lower than female_testosterone_high "
                f"(got {self.female_testosterone_low} and {self.female_testosterone_high}).",
                "female_testosterone_high",
            )
        if self.alt_uln not in ("lab", "acg"):
            raise DomainError(
                "labs.invalid_config", f"alt_uln must be 'lab' or 'acg', got {self.alt_uln!r}.", "alt_uln"
            )


DEFAULT_CONFIG = LabConfig()
