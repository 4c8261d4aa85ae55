"""Blood-work analytes: catalogue (LOINC, UCUM, ranges, thresholds, sources), unit conversion, interpretation.

Pure core: no Django, no I/O. See docs/labs.md and clinical_reference.md §3/§4.
"""

from painwise.core.labs.analytes import ANALYTES
from painwise.core.labs.catalogue import CATALOGUE, get_analyte, resolve_analyte
from painwise.core.labs.config import DEFAULT_CONFIG, LabConfig
from painwise.core.labs.interpret import LabInterpretation, interpret
from painwise.core.labs.spec import Analyte, CategoryRule, LoincCode, Plausibility, RangeSpec, UnitSpec
from painwise.core.labs.units import accepted_spellings, convert, normalise_spelling, resolve_unit

__all__ = [
    "ANALYTES",
    "CATALOGUE",
    "DEFAULT_CONFIG",
    "Analyte",
    "CategoryRule",
    "LabConfig",
    "LabInterpretation",
    "LoincCode",
    "Plausibility",
    "RangeSpec",
    "UnitSpec",
    "accepted_spellings",
    "convert",
    "get_analyte",
    "interpret",
    "normalise_spelling",
    "resolve_analyte",
    "resolve_unit",
]
