"""The analyte catalogue data: every code, unit, range, threshold and source in one place.

All numbers come from clinical_reference.md §3 unless a comment says otherwise. Ranges are typical
adult values for when the reporting lab's own range is missing; the lab's range always wins.
Plausibility limits are data-entry guards chosen well outside reported human values (not from §3).
"""

from __future__ import annotations

from painwise.core.labs.spec import Analyte, CategoryRule, LoincCode, Plausibility, RangeSpec, UnitSpec

S3 = "clinical_reference.md §3"
S4 = "clinical_reference.md §4"
EXAMPLE_LAB_TABLE = f"{S3}: example lab tables (PMC3934467 Table 1; cld.bz rFBLuj page 1213)"
LFT_FACTOR = f"{S3}: U/L × 0.01667 = µkat/L (1 U = 1 µmol/min = 1/60 µkat)"

# Units shared by several analytes.
ENZYME_UNITS = (
    # For enzymes an "IU" is the IUB unit (1 µmol/min), so IU/L is U/L, not a WHO bioassay unit.
    UnitSpec("U/L", "U/L", "U/L", "catalytic", aliases=("IU/L", "[IU]/L")),
    UnitSpec("ukat/L", "µkat/L", "ukat/L", "catalytic"),
)
IRON_UNITS = (
    UnitSpec("ug/dL", "µg/dL", "ug/dL", "mass"),
    UnitSpec("umol/L", "µmol/L", "umol/L", "substance"),
)
LIVER_PLAUSIBILITY = Plausibility(unusual_above=1000.0, impossible_above=100_000.0)


def _enzyme(
    short: str,
    name: str,
    loinc: str,
    ranges: tuple[RangeSpec, ...],
    aliases: tuple[str, ...],
    confirmed: bool = True,
) -> Analyte:
    loinc_name = f"{name} [Enzymatic activity/volume] in Serum or Plasma" + ("" if confirmed else " (name unverified)")
    return Analyte(
        short_name=short,
        display_name=name,
        loinc=(LoincCode(loinc, "catalytic", loinc_name, confirmed),),
        canonical_unit="U/L",
        units=ENZYME_UNITS,
        ranges=ranges,
        plausibility=LIVER_PLAUSIBILITY,
        sources=(S3, S4, LFT_FACTOR),
        liver=True,
        aliases=aliases,
    )


B12 = Analyte(
    short_name="b12",
    display_name="Vitamin B12 (cobalamin), serum",
    # 16695-9 (used by one app, "verify" in §3) is left out: an unverified code must not resolve lookups.
    loinc=(
        LoincCode("2132-9", "mass", "Cobalamin (Vitamin B12) [Mass/volume] in Serum or Plasma", True),
        LoincCode("14685-2", "substance", "Cobalamin (Vitamin B12) [Moles/volume] in Serum or Plasma", True),
    ),
    canonical_unit="pg/mL",
    units=(
        UnitSpec("pg/mL", "pg/mL", "pg/mL", "mass"),
        UnitSpec("ng/L", "ng/L", "ng/L", "mass"),
        UnitSpec("pmol/L", "pmol/L", "pmol/L", "substance"),
    ),
    molar_mass=1355.4,
    molar_mass_source=f"{S3}: pg/mL × 0.7378 = pmol/L (MW 1355.4)",
    ranges=(RangeSpec(200.0, 900.0, f"{S3} (≈200–900 pg/mL; exact range UNCONFIRMED)"),),
    categories=(
        CategoryRule(
            "deficient",
            f"{S3}: <200 pg/mL deficient (scienceinsights.org; medicalalgorithms.com)",
            config_field="b12_deficient_below",
        ),
        CategoryRule(
            "borderline",
            f"{S3}: 200–299 pg/mL borderline",
            config_field="b12_borderline_below",
            note="Borderline B12: check methylmalonic acid ± homocysteine (MMA is falsely raised in renal impairment).",
        ),
    ),
    plausibility=Plausibility(unusual_above=2000.0, impossible_above=1_000_000.0),
    sources=(S3, "https://www.health3.app/tools/blood-test-unit-converter"),
    aliases=("vitamin_b12", "cobalamin"),
)

FOLATE = Analyte(
    short_name="folate",
    display_name="Folate, serum",
    loinc=(
        LoincCode("2284-8", "mass", "Folate, serum, mass concentration (name unverified)", False),
        LoincCode("14732-2", "substance", "Folate, serum, substance concentration (name unverified)", False),
    ),
    canonical_unit="ng/mL",
    units=(
        UnitSpec("ng/mL", "ng/mL", "ng/mL", "mass"),
        UnitSpec("ug/L", "µg/L", "ug/L", "mass"),
        UnitSpec("nmol/L", "nmol/L", "nmol/L", "substance"),
    ),
    molar_mass=441.4,
    molar_mass_source=f"{S3}: ng/mL × 2.266 = nmol/L (MW ≈441)",
    # §3 gives only a lower limit ("≈>3–4 ng/mL, lab-specific"): no default upper limit.
    ranges=(RangeSpec(3.0, None, f"{S3} (lower limit ≈3–4 ng/mL, lab-specific)"),),
    categories=(
        CategoryRule(
            "deficient",
            f"{S3}: WHO/NHANES <7 nmol/L = risk of deficiency (megaloblastic anaemia); Pfeiffer 2016",
            below=7.0,
            unit="nmol/L",
        ),
        CategoryRule(
            "possible deficiency",
            f"{S3}: WHO/NHANES <10 nmol/L = possible deficiency (homocysteine-based); WHO/NMH/NHD/EPG/12.1",
            below=10.0,
            unit="nmol/L",
            note="Serum folate reflects recent intake; RBC folate reflects longer-term status.",
        ),
    ),
    plausibility=Plausibility(unusual_above=40.0, impossible_above=2000.0),
    sources=(
        S3,
        "Pfeiffer CM et al. Am J Clin Nutr 2016;104(6):1607–1615",
        "https://labtests.co.in/unit-converter/folate",
    ),
    aliases=("serum_folate",),
)

FERRITIN = Analyte(
    short_name="ferritin",
    display_name="Ferritin, serum",
    loinc=(LoincCode("2276-4", "mass", "Ferritin [Mass/volume] in Serum or Plasma (name unverified)", False),),
    canonical_unit="ng/mL",
    units=(
        UnitSpec("ng/mL", "ng/mL", "ng/mL", "mass"),
        UnitSpec("ug/L", "µg/L", "ug/L", "mass"),
        UnitSpec("pmol/L", "pmol/L", "pmol/L", "substance"),
    ),
    # Not a measured molar mass: the ≈445 kDa implied by §3's factor (µg/L × 2.247 = pmol/L).
    molar_mass=445_000.0,
    molar_mass_source=f"{S3}: µg/L × 2.247 = pmol/L (implies ≈445 kDa)",
    # §3 "≈30–300 ng/mL" (one lab's F 11–307 / M 24–336 is an example, not a default).
    ranges=(RangeSpec(30.0, 300.0, f"{S3} (≈30–300 ng/mL; PMC3934467 Table 1)"),),
    categories=(
        CategoryRule(
            "iron deficiency",
            f"{S3}: <30 ng/mL AAFP/BSG (WHO 2020 <15 µg/L; AGA 2020 <45 ng/mL); PMC9827648 Table 1",
            config_field="ferritin_cutoff",
        ),
    ),
    plausibility=Plausibility(unusual_above=5000.0, impossible_above=1_000_000.0),
    sources=(S3, "https://pmc.ncbi.nlm.nih.gov/articles/PMC9827648/table/Tab1", "PMC3934467 Table 1"),
)

IRON = Analyte(
    short_name="iron",
    display_name="Iron, serum",
    loinc=(
        LoincCode("2498-4", "mass", "Iron [Mass/volume] in Serum or Plasma", True),
        LoincCode("14798-3", "substance", "Iron [Moles/volume] in Serum or Plasma", True),
    ),
    canonical_unit="ug/dL",
    units=IRON_UNITS,
    molar_mass=55.845,
    molar_mass_source=f"{S3}: µg/dL × 0.179 = µmol/L (Fe 55.845 g/mol)",
    ranges=(RangeSpec(50.0, 180.0, f"{S3} (≈50–180 µg/dL)"),),
    # No category: low serum iron alone is not diagnostic (diurnal, falls with inflammation; §3).
    plausibility=Plausibility(unusual_above=500.0, impossible_above=20_000.0),
    sources=(S3, "PMC3934467 Table 1"),
    aliases=("serum_iron",),
)

TIBC = Analyte(
    short_name="tibc",
    display_name="Total iron-binding capacity",
    loinc=(
        LoincCode("2500-7", "mass", "Iron binding capacity, mass concentration (name unverified)", False),
        LoincCode("14800-7", "substance", "Iron binding capacity, substance concentration (name unverified)", False),
    ),
    canonical_unit="ug/dL",
    units=IRON_UNITS,
    molar_mass=55.845,  # TIBC is expressed as the iron it can bind
    molar_mass_source=f"{S3}: µg/dL × 0.179 = µmol/L (as iron)",
    ranges=(RangeSpec(250.0, 450.0, f"{S3} (≈250–450 µg/dL)"),),
    plausibility=Plausibility(unusual_above=700.0, impossible_above=5000.0),
    sources=(S3,),
)

TSAT = Analyte(
    short_name="tsat",
    display_name="Transferrin saturation",
    loinc=(LoincCode("2502-3", "fraction", "Iron saturation [Mass Fraction] in Serum or Plasma", False),),
    canonical_unit="%",
    units=(
        UnitSpec("%", "%", "percent", "fraction", aliases=("percent",)),
        UnitSpec("1", "fraction", "dimensionless", "fraction", aliases=("fraction", "ratio")),
    ),
    ranges=(RangeSpec(20.0, 50.0, f"{S3} (20–50%)"),),
    categories=(
        CategoryRule(
            "iron deficiency",
            f"{S3}: <20% supports iron deficiency (<16% also used); Ning & Zeller 2019",
            config_field="tsat_cutoff",
        ),
    ),
    # A fraction typed as a percentage (0.25 %) lands below 2 %: accepted but marked.
    plausibility=Plausibility(unusual_above=100.0, impossible_above=500.0, unusual_below=2.0),
    sources=(S3, "Ning S, Zeller MP. Hematology ASH Educ Program 2019, doi:10.1182/hematology.2019000034"),
    aliases=("transferrin_saturation", "iron_saturation"),
)

HEMOGLOBIN = Analyte(
    short_name="hemoglobin",
    display_name="Haemoglobin",
    loinc=(LoincCode("718-7", "mass", "Hemoglobin [Mass/volume] in Blood (name unverified)", False),),
    canonical_unit="g/dL",
    units=(
        UnitSpec("g/dL", "g/dL", "g/dL", "mass"),
        UnitSpec("g/L", "g/L", "g/L", "mass"),
        UnitSpec("mmol/L", "mmol/L (monomer)", "mmol/L", "substance"),
    ),
    # Monomer (one haem): 64458 / 4 g/mol, which gives §3's g/dL × 0.6206 = mmol/L.
    molar_mass=16_114.5,
    molar_mass_source=f"{S3}: g/dL × 0.6206 = mmol/L (Hb monomer, 64458/4 g/mol)",
    ranges=(
        RangeSpec(11.0, None, f"{S3}: WHO anaemia cut-off in pregnancy <11.0 g/dL", sex="female", pregnancy=True),
        RangeSpec(12.0, 16.0, f"{S3} (F ≈12–16 g/dL)", sex="female"),
        RangeSpec(13.0, 17.0, f"{S3} (M ≈13–17 g/dL)", sex="male"),
    ),
    categories=(
        CategoryRule("anaemia", f"{S3}: WHO <13.0 g/dL men ≥15 y", below=13.0, sex="male"),
        CategoryRule("anaemia", f"{S3}: WHO <12.0 g/dL non-pregnant women", below=12.0, sex="female", pregnancy=False),
        CategoryRule("anaemia", f"{S3}: WHO <11.0 g/dL in pregnancy", below=11.0, sex="female", pregnancy=True),
    ),
    plausibility=Plausibility(unusual_above=20.0, impossible_above=30.0, unusual_below=5.0),
    sources=(
        S3,
        "WHO/NMH/NHD/MNM/11.1",
        "WHO Guideline on haemoglobin cutoffs to define anaemia (2024)",
        "PMC7478908 Table 4",
    ),
    aliases=("haemoglobin", "hb", "hgb"),
)

TSH = Analyte(
    short_name="tsh",
    display_name="Thyroid-stimulating hormone (thyrotropin)",
    loinc=(LoincCode("3016-3", "arbitrary", "Thyrotropin [Units/volume] in Serum or Plasma", True),),
    canonical_unit="m[IU]/L",
    units=(
        # For TSH "mU/L" means milli-international units, not enzyme units.
        UnitSpec("m[IU]/L", "mIU/L", "mIU/L", "arbitrary", aliases=("mU/L",)),
        UnitSpec("u[IU]/mL", "µIU/mL", "uIU/mL", "arbitrary", aliases=("uU/mL",)),
    ),
    ranges=(
        RangeSpec(0.4, 7.5, f"{S3}: upper limit ≈7.5 mIU/L over 80 y (secondary summary)", older_than=80.0),
        RangeSpec(0.4, 4.5, f"{S3} (≈0.4–4.5 mIU/L; secondary summary)"),
    ),
    plausibility=Plausibility(unusual_above=100.0, impossible_above=5000.0),
    sources=(S3, "https://www.droracle.ai/articles/870563/"),
    aliases=("thyrotropin",),
)

FREE_T4 = Analyte(
    short_name="free_t4",
    display_name="Free thyroxine (free T4)",
    loinc=(
        LoincCode("3024-7", "mass", "Thyroxine (T4) free [Mass/volume] in Serum or Plasma", True),
        LoincCode("14920-3", "substance", "Thyroxine (T4) free [Moles/volume] in Serum or Plasma", True),
    ),
    canonical_unit="ng/dL",
    units=(UnitSpec("ng/dL", "ng/dL", "ng/dL", "mass"), UnitSpec("pmol/L", "pmol/L", "pmol/L", "substance")),
    molar_mass=776.87,
    molar_mass_source=f"{S3}: ng/dL × 12.87 = pmol/L (MW 776.87)",
    ranges=(RangeSpec(0.8, 1.8, f"{S3} (≈0.8–1.8 ng/dL, assay-specific)"),),
    plausibility=Plausibility(unusual_above=7.8, impossible_above=100.0),
    sources=(S3,),
    aliases=("ft4", "free_thyroxine"),
)

TESTOSTERONE = Analyte(
    short_name="testosterone",
    display_name="Testosterone, total",
    loinc=(
        LoincCode("2986-8", "mass", "Testosterone [Mass/volume] in Serum or Plasma", True),
        LoincCode("14913-8", "substance", "Testosterone [Moles/volume] in Serum or Plasma", True),
    ),
    canonical_unit="ng/dL",
    units=(
        UnitSpec("ng/dL", "ng/dL", "ng/dL", "mass"),
        UnitSpec("ng/mL", "ng/mL", "ng/mL", "mass"),
        UnitSpec("nmol/L", "nmol/L", "nmol/L", "substance"),
    ),
    molar_mass=288.42,
    molar_mass_source=f"{S3}: ng/dL × 0.0347 = nmol/L (MW 288.42)",
    ranges=(
        RangeSpec(
            264.0,
            916.0,
            f"{S3}: harmonized range, non-obese men 19–39 y (Travison 2017 via Endocrine Society 2018)",
            sex="male",
        ),
    ),
    categories=(
        CategoryRule(
            "low testosterone",
            f"{S3}: AUA 2018 <300 ng/dL (harmonized lower limit 264)",
            config_field="testosterone_cutoff",
            sex="male",
            note="Confirm on two early-morning samples with symptoms; chronic opioid use is a recognised cause (AUA).",
        ),
    ),
    no_range_note=(
        "No default female range: §3's ≈15–46 ng/dL (Braunstein 2011) covers premenopausal women at ~30 y only, "
        "is assay-dependent and immunoassays are unreliable at low levels; give the reporting lab's range."
    ),
    plausibility=Plausibility(unusual_above=1500.0, impossible_above=50_000.0),
    sources=(S3, "Bhasin S et al. JCEM 2018", "AUA Testosterone Deficiency guideline 2018", "Braunstein GD 2011"),
    aliases=("total_testosterone",),
)

ESTRADIOL = Analyte(
    short_name="estradiol",
    display_name="Estradiol (E2)",
    loinc=(
        LoincCode("2243-4", "mass", "Estradiol (E2) [Mass/volume] in Serum or Plasma (name unverified)", False),
        LoincCode("14715-7", "substance", "Estradiol (E2) [Moles/volume] in Serum or Plasma", True),
    ),
    canonical_unit="pg/mL",
    units=(UnitSpec("pg/mL", "pg/mL", "pg/mL", "mass"), UnitSpec("pmol/L", "pmol/L", "pmol/L", "substance")),
    molar_mass=272.38,
    molar_mass_source=f"{S3}: pg/mL × 3.671 = pmol/L (MW 272.38)",
    ranges=(
        RangeSpec(
            3.0,
            37.0,
            f"{S3}: men ≈3–37 pg/mL by LC-MS/MS (Frederiksen 2020 via a secondary summary; UNCONFIRMED)",
            sex="male",
            note="LC-MS/MS range; immunoassays read differently",
        ),
    ),
    no_range_note=(
        "No default female range: premenopausal estradiol is cycle-dependent (early follicular ≈8–210, "
        "ovulatory peak ≈75–780 pg/mL) and menopausal status and cycle day are not known here; "
        "give the reporting lab's range."
    ),
    plausibility=Plausibility(unusual_above=5000.0, impossible_above=500_000.0),
    sources=(S3, "Frederiksen H et al. JCEM 2020;105(3):754–768", "http://w3.csmu.edu.tw/~chr/Int_unit_conversion.htm"),
    aliases=("oestradiol", "e2"),
)

ALT = _enzyme(
    "alt",
    "Alanine aminotransferase",
    "1742-6",
    # §3: lab ULNs are commonly 35–55 U/L; we take 35, the low end, because this is a safety monitor.
    # No lower limit: a low ALT has no clinical meaning here.
    (RangeSpec(None, 35.0, f"{S3}: lab ULN commonly 35–55 U/L (low end used)"),),
    ("alanine_aminotransferase", "sgpt"),
)
AST = _enzyme(
    "ast",
    "Aspartate aminotransferase",
    "1920-8",
    (
        RangeSpec(9.0, 25.0, f"{EXAMPLE_LAB_TABLE} (F 9–25 U/L)", sex="female"),
        RangeSpec(10.0, 40.0, f"{EXAMPLE_LAB_TABLE} (M 10–40 U/L)", sex="male"),
    ),
    ("aspartate_aminotransferase", "sgot"),
)
ALP = _enzyme(
    "alp",
    "Alkaline phosphatase",
    "6768-6",
    (RangeSpec(40.0, 130.0, f"{S3} (≈40–130 U/L)"),),
    ("alkaline_phosphatase",),
)
GGT = _enzyme(
    "ggt",
    "Gamma-glutamyl transferase",
    "2324-2",
    (RangeSpec(9.0, 85.0, f"{EXAMPLE_LAB_TABLE} (≈9–85 U/L; sex-specific values UNCONFIRMED)"),),
    ("gamma_gt", "gamma_glutamyl_transferase"),
    confirmed=False,  # §3 marks 2324-2 [C]
)

BILIRUBIN = Analyte(
    short_name="bilirubin",
    display_name="Bilirubin, total",
    loinc=(
        LoincCode("1975-2", "mass", "Bilirubin.total [Mass/volume] in Serum or Plasma", True),
        LoincCode("14631-6", "substance", "Bilirubin.total [Moles/volume] in Serum or Plasma", True),
    ),
    canonical_unit="mg/dL",
    units=(UnitSpec("mg/dL", "mg/dL", "mg/dL", "mass"), UnitSpec("umol/L", "µmol/L", "umol/L", "substance")),
    molar_mass=584.66,
    molar_mass_source=f"{S3}: mg/dL × 17.1 = µmol/L (MW 584.66)",
    ranges=(RangeSpec(0.1, 1.2, f"{S3} (≈0.1–1.2 mg/dL)"),),
    plausibility=Plausibility(unusual_above=20.0, impossible_above=200.0),
    sources=(S3, S4, "https://cld.bz/bookdata/rFBLuj/basic-html/page1213.html"),
    liver=True,
    aliases=("total_bilirubin", "tbil"),
)

ANALYTES: tuple[Analyte, ...] = (
    B12,
    FOLATE,
    FERRITIN,
    IRON,
    TIBC,
    TSAT,
    HEMOGLOBIN,
    TSH,
    FREE_T4,
    TESTOSTERONE,
    ESTRADIOL,
    ALT,
    AST,
    ALP,
    BILIRUBIN,
    GGT,
)

# ACG 2017 "true healthy" ALT ULN (Kwo PY et al. Am J Gastroenterol 2017;112:18–35; §3), used only when
# LabConfig.alt_uln == "acg" (§4: not for DILI rules unless a clinician configures it).
ACG_HEALTHY_ALT_ULN: dict[str, float] = {"male": 33.0, "female": 25.0}
ACG_SOURCE = f"{S3}: ACG 2017 healthy ALT ULN 33 U/L men / 25 U/L women (Kwo 2017)"
