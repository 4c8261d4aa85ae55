"""The catalogue against clinical_reference.md §3: names, LOINC codes and their [V]/[C] status, sources."""

from __future__ import annotations

import pytest

from painwise.core.errors import DomainError
from painwise.core.labs import ANALYTES, CATALOGUE, get_analyte, resolve_analyte

SHORT_NAMES = [
    "b12",
    "folate",
    "ferritin",
    "iron",
    "tibc",
    "tsat",
    "hemoglobin",
    "tsh",
    "free_t4",
    "testosterone",
    "estradiol",
    "alt",
    "ast",
    "alp",
    "bilirubin",
    "ggt",
]

# clinical_reference.md §3, LOINC column: code -> confirmed ([V] True, [C] False).
S3_LOINC = {
    "b12": {"2132-9": True, "14685-2": True},
    "folate": {"2284-8": False, "14732-2": False},
    "ferritin": {"2276-4": False},
    "iron": {"2498-4": True, "14798-3": True},
    "tibc": {"2500-7": False, "14800-7": False},
    "tsat": {"2502-3": False},
    "hemoglobin": {"718-7": False},
    "tsh": {"3016-3": True},
    "free_t4": {"3024-7": True, "14920-3": True},
    "testosterone": {"2986-8": True, "14913-8": True},
    "estradiol": {"2243-4": False, "14715-7": True},
    "alt": {"1742-6": True},
    "ast": {"1920-8": True},
    "alp": {"6768-6": True},
    "bilirubin": {"1975-2": True, "14631-6": True},
    "ggt": {"2324-2": False},
}


def _mod10_ok(code: str) -> bool:
    """LOINC check digit (Mod 10, as LOINC documents it) so a typo in a code cannot slip in."""
    number, check = code.split("-")
    digits = [int(d) for d in number]
    odd = "".join(str(d) for d in digits[::-1][::2])[::-1]  # from the right: positions 1, 3, 5 ...
    even = [d for d in digits[::-1][1::2]]
    total = sum(int(c) for c in str(int(odd) * 2)) + sum(even)
    return (10 - total % 10) % 10 == int(check)


def test_it_holds_exactly_the_sixteen_required_analytes():
    assert list(CATALOGUE) == SHORT_NAMES


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.short_name)
def test_it_carries_the_s3_loinc_codes_with_their_confirmation_status(analyte):
    assert {c.code: c.confirmed for c in analyte.loinc} == S3_LOINC[analyte.short_name]


@pytest.mark.parametrize("code", [c for codes in S3_LOINC.values() for c in codes])
def test_it_only_lists_loinc_codes_with_a_valid_check_digit(code):
    assert _mod10_ok(code)


def test_it_leaves_out_the_unverified_b12_alternative_code():
    with pytest.raises(DomainError) as caught:
        get_analyte("16695-9")
    assert caught.value.code == "labs.unknown_analyte"


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.short_name)
def test_it_gives_every_analyte_a_canonical_unit_first_sources_and_no_invented_critical_limits(analyte):
    assert analyte.units[0].ucum == analyte.canonical_unit
    assert analyte.sources[0] == "clinical_reference.md §3"
    assert analyte.critical_low is None and analyte.critical_high is None
    assert all(r.source for r in analyte.ranges) and all(c.source for c in analyte.categories)


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.short_name)
def test_it_keeps_default_ranges_inside_the_plausible_values(analyte):
    for spec in analyte.ranges:
        for bound in (spec.low, spec.high):
            assert bound is None or 0 <= bound < analyte.plausibility.unusual_above
        if spec.low is not None and spec.high is not None:
            assert spec.low < spec.high


@pytest.mark.parametrize("analyte", ANALYTES, ids=lambda a: a.short_name)
def test_it_needs_a_molar_mass_exactly_when_a_molar_unit_is_accepted(analyte):
    has_molar = any(u.kind == "substance" for u in analyte.units)
    assert (analyte.molar_mass is not None) == has_molar
    assert (analyte.molar_mass_source is not None) == has_molar


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FERRITIN", "ferritin"),
        (" b12 ", "b12"),
        ("Free_T4", "free_t4"),
        ("Free T4", "free_t4"),
        ("haemoglobin", "hemoglobin"),
        ("hb", "hemoglobin"),
        ("2276-4", "ferritin"),
        ("14685-2", "b12"),
        ("1742-6", "alt"),
    ],
)
def test_it_finds_an_analyte_by_short_name_in_any_case_alias_or_loinc_code(text, expected):
    assert get_analyte(text).short_name == expected


def test_it_tells_which_loinc_code_was_used_for_the_look_up():
    analyte, code = resolve_analyte("14715-7")
    assert analyte.short_name == "estradiol"
    assert code is not None and code.kind == "substance" and code.confirmed


@pytest.mark.parametrize("text", ["vitamin d", "", "9999-9"])
def test_it_refuses_an_unknown_analyte_and_lists_the_accepted_names(text):
    with pytest.raises(DomainError) as caught:
        get_analyte(text)
    assert caught.value.code == "labs.unknown_analyte"
    assert caught.value.field == "analyte"
    assert all(name in caught.value.message for name in SHORT_NAMES)


def test_it_serialises_a_catalogue_entry_with_its_codes_ranges_and_sources():
    data = get_analyte("hemoglobin").to_dict()
    assert data["loinc"] == [{"code": "718-7", "kind": "mass", "name": data["loinc"][0]["name"], "confirmed": False}]
    assert {r["sex"] for r in data["ranges"]} == {"female", "male"}
    assert [c["name"] for c in data["categories"]] == ["anaemia"] * 3
    assert data["critical_low"] is None and data["sources"]
