"""Look-up of catalogue entries by short name, alias or LOINC code."""

from __future__ import annotations

from painwise.core.errors import DomainError
from painwise.core.labs.analytes import ANALYTES
from painwise.core.labs.spec import Analyte, LoincCode

CATALOGUE: dict[str, Analyte] = {a.short_name: a for a in ANALYTES}


def _key(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split()) if not _looks_like_loinc(text) else text.strip()


def _looks_like_loinc(text: str) -> bool:
    number, dash, check = text.strip().partition("-")
    return bool(dash) and number.isdigit() and check.isdigit() and len(check) == 1


def _build_index() -> dict[str, tuple[Analyte, LoincCode | None]]:
    index: dict[str, tuple[Analyte, LoincCode | None]] = {}
    for analyte in ANALYTES:
        for name in (analyte.short_name, *analyte.aliases):
            index[_key(name)] = (analyte, None)
        for code in analyte.loinc:
            index[code.code] = (analyte, code)
    return index


_INDEX = _build_index()


def resolve_analyte(name_or_code: str) -> tuple[Analyte, LoincCode | None]:
    """The catalogue entry for a short name (any case), alias or LOINC code; the code too if one was given."""
    if not isinstance(name_or_code, str) or not name_or_code.strip():
        raise DomainError("labs.unknown_analyte", f"Give an analyte; accepted: {', '.join(CATALOGUE)}.", "analyte")
    found = _INDEX.get(_key(name_or_code))
    if found is None:
        raise DomainError(
            "labs.unknown_analyte",
            f"Unknown analyte {name_or_code!r}; accepted: {', '.join(CATALOGUE)} "
            "(short name in any case, or one of their LOINC codes, listed by `painwise lab analytes`).",
            "analyte",
        )
    return found


def get_analyte(name_or_code: str) -> Analyte:
    return resolve_analyte(name_or_code)[0]
