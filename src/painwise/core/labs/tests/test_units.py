"""Conversions against clinical_reference.md §3's factors, spellings, and the round-trip property."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painwise.core.errors import DomainError
from painwise.core.labs import ANALYTES, convert, get_analyte, resolve_unit

# Factor from the canonical unit to each accepted unit: §3's "Conventional -> SI factor (multiply)" column,
# or an exact SI-prefix relation (marked "prefix"). Written here independently of the catalogue.
ENZYME = {"U/L": 1.0, "ukat/L": 0.01667}
S3_FACTORS: dict[str, dict[str, float]] = {
    "b12": {"pg/mL": 1.0, "ng/L": 1.0, "pmol/L": 0.7378},  # ng/L: prefix
    "folate": {"ng/mL": 1.0, "ug/L": 1.0, "nmol/L": 2.266},
    "ferritin": {"ng/mL": 1.0, "ug/L": 1.0, "pmol/L": 2.247},
    "iron": {"ug/dL": 1.0, "umol/L": 0.179},
    "tibc": {"ug/dL": 1.0, "umol/L": 0.179},
    "tsat": {"%": 1.0, "1": 0.01},  # fraction = % / 100
    "hemoglobin": {"g/dL": 1.0, "g/L": 10.0, "mmol/L": 0.6206},
    "tsh": {"m[IU]/L": 1.0, "u[IU]/mL": 1.0},
    "free_t4": {"ng/dL": 1.0, "pmol/L": 12.87},
    "testosterone": {"ng/dL": 1.0, "ng/mL": 0.01, "nmol/L": 0.0347},  # ng/mL: prefix
    "estradiol": {"pg/mL": 1.0, "pmol/L": 3.671},
    "alt": ENZYME,
    "ast": ENZYME,
    "alp": ENZYME,
    "ggt": ENZYME,
    "bilirubin": {"mg/dL": 1.0, "umol/L": 17.1},
}
# §3 rounds its factors to 3-4 significant digits (0.0347 for 0.034672): 0.1% covers that, nothing more.
S3_ROUNDING = 1e-3

UNIT_CASES = [(a.short_name, u.ucum) for a in ANALYTES for u in a.units]
PAIRS = [(a.short_name, x.ucum, y.ucum) for a in ANALYTES for x in a.units for y in a.units if x != y]


@pytest.mark.parametrize(("analyte", "unit"), UNIT_CASES)
def test_it_converts_every_accepted_unit_by_the_s3_factor(analyte, unit):
    canonical = get_analyte(analyte).canonical_unit
    expected = S3_FACTORS[analyte][unit]
    assert convert(analyte, 100.0, canonical, unit) == pytest.approx(100.0 * expected, rel=S3_ROUNDING)


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.short_name)
def test_it_has_a_checked_factor_for_every_unit_it_accepts(analyte):
    assert {u.ucum for u in analyte.units} == set(S3_FACTORS[analyte.short_name])


@pytest.mark.parametrize(
    ("analyte", "value", "source", "target", "expected"),
    [
        ("b12", 300, "pg/mL", "pmol/L", 221.34),  # the CLI example
        ("hemoglobin", 12.0, "g/dL", "g/L", 120.0),
        ("alt", 60, "U/L", "ukat/L", 1.0),  # 1 µkat = 60 U exactly
        ("tsat", 0.25, "fraction", "%", 25.0),
        ("ferritin", 30, "ug/L", "ng/mL", 30.0),
        ("tsh", 2.5, "uIU/mL", "mIU/L", 2.5),
    ],
)
def test_it_converts_known_values(analyte, value, source, target, expected):
    assert convert(analyte, value, source, target) == pytest.approx(expected, abs=0.005)


@given(pair=st.sampled_from(PAIRS), x=st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_it_round_trips_every_unit_pair(pair, x):
    analyte, a, b = pair
    assert convert(analyte, convert(analyte, x, a, b), b, a) == pytest.approx(x, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("analyte", "spelling", "ucum"),
    [
        ("iron", "ug/dL", "ug/dL"),
        ("iron", "µg/dL", "ug/dL"),  # U+00B5 MICRO SIGN
        ("iron", "μg/dL", "ug/dL"),  # U+03BC GREEK SMALL LETTER MU
        ("iron", "mcg/dL", "ug/dL"),
        ("iron", "UG/DL", "ug/dL"),
        ("iron", " µg / dL ", "ug/dL"),
        ("iron", "umol/L", "umol/L"),
        ("iron", "µmol/L", "umol/L"),
        ("tsh", "mIU/L", "m[IU]/L"),
        ("tsh", "m[IU]/L", "m[IU]/L"),
        ("tsh", "mU/L", "m[IU]/L"),
        ("tsh", "uIU/mL", "u[IU]/mL"),
        ("tsh", "µIU/mL", "u[IU]/mL"),
        ("alt", "U/L", "U/L"),
        ("alt", "IU/L", "U/L"),
        ("alt", "[IU]/L", "U/L"),
        ("ggt", "u/l", "U/L"),
        ("ast", "ukat/L", "ukat/L"),
        ("alp", "µkat/L", "ukat/L"),
        ("ferritin", "ng/mL", "ng/mL"),
        ("ferritin", "ug/L", "ug/L"),
        ("folate", "mcg/L", "ug/L"),
        ("b12", "pg/mL", "pg/mL"),
        ("b12", "pmol/L", "pmol/L"),
        ("testosterone", "nmol/L", "nmol/L"),
        ("testosterone", "NG/DL", "ng/dL"),
        ("bilirubin", "mg/dL", "mg/dL"),
        ("bilirubin", "μmol/l", "umol/L"),
        ("hemoglobin", "g/dL", "g/dL"),
        ("hemoglobin", "g/l", "g/L"),
        ("hemoglobin", "mmol/L", "mmol/L"),
        ("tsat", "%", "%"),
        ("tsat", "Fraction", "1"),
    ],
)
def test_it_accepts_common_spellings_in_any_case(analyte, spelling, ucum):
    assert resolve_unit(get_analyte(analyte), spelling).ucum == ucum


def test_it_refuses_an_unknown_unit_and_lists_the_accepted_ones():
    with pytest.raises(DomainError) as caught:
        convert("ferritin", 12, "mg/dL", "ng/mL")
    error = caught.value
    assert (error.code, error.field) == ("labs.unknown_unit", "unit")
    assert "'mg/dL'" in error.message and all(u in error.message for u in ("ng/mL", "ug/L", "pmol/L"))


def test_it_refuses_units_of_another_analyte_even_when_pint_could_convert_them():
    # pmol/L is a fine unit, but TSH is in international units: no mass or molar conversion exists.
    with pytest.raises(DomainError) as caught:
        convert("tsh", 2.0, "mIU/L", "pmol/L")
    assert caught.value.code == "labs.unknown_unit"


@pytest.mark.parametrize("value", [-1.0, float("nan"), float("inf"), True, "12"])
def test_it_refuses_values_that_are_not_finite_non_negative_numbers(value):
    with pytest.raises(DomainError) as caught:
        convert("b12", value, "pg/mL", "pmol/L")
    assert caught.value.field == "value"


def test_it_converts_by_loinc_code_as_well_as_by_name():
    assert convert("14685-2", 300, "pg/mL", "pmol/L") == convert("b12", 300, "pg/mL", "pmol/L")
