"""The published sources monitoring rules rest on, cited inside the product (docs/evidence.md).

Each entry gives authors, title, journal or publisher, year and a DOI or address. ``caveat`` says what
was not checked against the primary text (those points are configurable thresholds, not constants).
Rules name sources by key; docs/evidence.md is generated from this table (painwise.core.rules.docs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EVIDENCE_PAGE = "docs/evidence.md"


@dataclass(frozen=True)
class Citation:
    key: str
    authors: str
    title: str
    source: str  # journal with volume/pages, or the publishing body
    year: int
    doi: str = ""
    url: str = ""
    caveat: str = ""
    label: str = ""  # who, when the authors are not people (e.g. "WHO")

    @property
    def anchor(self) -> str:
        return self.key.replace("_", "-")

    @property
    def link(self) -> str:
        return f"{EVIDENCE_PAGE}#{self.anchor}"

    def short(self) -> str:
        """One line: ``Aithal GP et al. Clin Pharmacol Ther 2011, doi:10.1038/clpt.2011.58``."""
        if self.label:
            who = self.label
        else:
            first = self.authors.split(",")[0].strip()
            who = f"{first} et al." if "," in self.authors else first
        journal = re.sub(r"\s*(\(|\d{4}).*$", "", self.source.split(";")[0]).strip(" ,.")
        where = f"doi:{self.doi}" if self.doi else self.url
        if self.label:
            return f"{who} {self.year}" + (f", {where}" if where else "")
        text = f"{who.rstrip('.')}. {journal} {self.year}"
        return text + (f", {where}" if where else "")

    def full(self) -> str:
        parts = [f"{self.authors.rstrip('.')}.", f"{self.title}." if self.title else "", f"{self.source}."]
        if self.doi:
            parts.append(f"doi:{self.doi}")
        elif self.url:
            parts.append(self.url)
        return " ".join(p for p in parts if p)


_CITATIONS = (
    Citation(
        "aithal2011",
        "Aithal GP, Watkins PB, Andrade RJ, Larrey D, Molokhia M, Takikawa H, et al.",
        "Case definition and phenotype standardization in drug-induced liver injury",
        "Clin Pharmacol Ther 2011;89(6):806-815",
        2011,
        doi="10.1038/clpt.2011.58",
        caveat="The exact wording of the ALP criterion's GGT qualifier was not checked against the full text.",
    ),
    Citation(
        "chalasani2014",
        "Chalasani NP, Hayashi PH, Bonkovsky HL, Navarro VJ, Lee WM, Fontana RJ",
        "ACG Clinical Guideline: the diagnosis and management of idiosyncratic drug-induced liver injury",
        "Am J Gastroenterol 2014;109(7):950-966",
        2014,
        caveat="DOI not verified here; R ratio cut-offs as tabulated from this guideline.",
    ),
    Citation(
        "fda_dili_2009",
        "U.S. Food and Drug Administration",
        "Guidance for Industry. Drug-Induced Liver Injury: Premarketing Clinical Evaluation",
        "FDA, July 2009",
        2009,
        url="https://www.fda.gov/regulatory-information/search-fda-guidance-documents/"
        "drug-induced-liver-injury-premarketing-clinical-evaluation",
        caveat='The "ALP below 2×ULN" operationalisation of "no initial cholestasis" is common practice, '
        "not verified in the guidance text.",
        label="FDA DILI guidance",
    ),
    Citation(
        "kwo2017",
        "Kwo PY, Cohen SM, Lim JK",
        "ACG Clinical Guideline: Evaluation of Abnormal Liver Chemistries",
        "Am J Gastroenterol 2017;112:18-35",
        2017,
        doi="10.1038/ajg.2016.517",
    ),
    Citation(
        "livertox_kratom",
        "National Institute of Diabetes and Digestive and Kidney Diseases",
        "LiverTox: Clinical and Research Information on Drug-Induced Liver Injury. Kratom",
        "NIDDK, LiverTox",
        2020,
        url="https://www.ncbi.nlm.nih.gov/books/NBK548231/",
        caveat="The monograph's likelihood category letter and this address were not verified.",
        label="LiverTox (NIDDK), Kratom",
    ),
    Citation(
        "schimmel2020",
        "Schimmel J, Dart RC",
        "Kratom (Mitragyna speciosa) liver injury: a comprehensive review",
        "Drugs 2020;80(3):263-283",
        2020,
        doi="10.1007/s40265-019-01242-6",
    ),
    Citation(
        "ahmad2021",
        "Ahmad J, Odin JA, Hayashi PH, Fontana RJ, Conjeevaram H, Avula B, et al.",
        "Liver injury associated with kratom, a popular opioid-like product: experience from the U.S. "
        "Drug Induced Liver Injury Network and a review of the literature",
        "Drug Alcohol Depend 2021;218:108426",
        2021,
        doi="10.1016/j.drugalcdep.2020.108426",
        caveat="DOI not verified.",
    ),
    Citation(
        "who_hb_2011",
        "World Health Organization",
        "Haemoglobin concentrations for the diagnosis of anaemia and assessment of severity (WHO/NMH/NHD/MNM/11.1)",
        "WHO, Vitamin and Mineral Nutrition Information System",
        2011,
        url="https://www.who.int/publications/i/item/WHO-NMH-NHD-MNM-11.1",
        label="WHO/NMH/NHD/MNM/11.1",
    ),
    Citation(
        "who_hb_2024",
        "World Health Organization",
        "Guideline on haemoglobin cutoffs to define anaemia in individuals and populations",
        "WHO",
        2024,
        label="WHO anaemia guideline",
    ),
    Citation(
        "ferritin_guidelines",
        "Table of guideline thresholds (WHO 2020, AAFP, BSG, AGA 2020)",
        "Ferritin cut-offs for iron deficiency by guideline",
        "PMC9827648, Table 1",
        2023,
        url="https://pmc.ncbi.nlm.nih.gov/articles/PMC9827648/table/Tab1",
        caveat="The cut-off is contested (WHO <15 µg/L, AAFP/BSG <30, AGA <45 ng/mL; higher with inflammation): "
        "the default 30 ng/mL is a configurable choice.",
        label="Ferritin cut-offs by guideline (WHO 2020, AAFP, BSG, AGA 2020), PMC9827648 Table 1",
    ),
    Citation(
        "ko2020",
        "Ko CW, Siddique SM, Patel A, Harris A, Sultan S, Altayar O, Falck-Ytter Y",
        "AGA Clinical Practice Guidelines on the Gastrointestinal Evaluation of Iron Deficiency Anemia",
        "Gastroenterology 2020",
        2020,
        caveat="DOI not verified here.",
    ),
    Citation(
        "ning2019",
        "Ning S, Zeller MP",
        "Management of iron deficiency",
        "Hematology Am Soc Hematol Educ Program 2019",
        2019,
        doi="10.1182/hematology.2019000034",
    ),
    Citation(
        "b12_thresholds",
        "Medical Algorithms Company",
        "Serum cobalamin and methylmalonic acid (MMA) in the diagnosis of vitamin B12 deficiency",
        "medicalalgorithms.com (secondary summary)",
        2024,
        url="https://www.medicalalgorithms.com/serum-cobalamin-and-methylmalonic-acid-mma-in-the-diagnosis-of-"
        "vitamin-b12-deficiency",
        caveat="Secondary source; cut-offs are assay-dependent (<200 / 200-299 pg/mL here; UK-style <180 / "
        "180-350): configurable.",
        label="B12 and MMA thresholds, medicalalgorithms.com (secondary)",
    ),
    Citation(
        "bhasin2018",
        "Bhasin S, Brito JP, Cunningham GR, Hayes FJ, Hodis HN, Matsumoto AM, et al.",
        "Testosterone therapy in men with hypogonadism: an Endocrine Society clinical practice guideline",
        "J Clin Endocrinol Metab 2018",
        2018,
        caveat="Quotes the harmonized range of Travison TG et al. J Clin Endocrinol Metab 2017 (264-916 ng/dL).",
    ),
    Citation(
        "aua2018",
        "American Urological Association",
        "Evaluation and Management of Testosterone Deficiency",
        "AUA guideline",
        2018,
        url="https://www.guidelinecentral.com/guideline/22047/",
        label="AUA Testosterone Deficiency guideline",
    ),
    Citation(
        "braunstein2011",
        "Braunstein GD, Reitz RE, Buch A, Schnell D, Caulfield MP",
        "Testosterone reference ranges in normally cycling healthy premenopausal women",
        "J Sex Med 2011",
        2011,
        doi="10.1111/j.1743-6109.2011.02380.x",
        caveat="≈15-46 ng/dL is the 5th-95th percentile at about 30 years; assay-dependent (LC-MS/MS preferred).",
    ),
    Citation(
        "frederiksen2020",
        "Frederiksen H, Johannsen TH, Andersen SE, Albrethsen J, Landersoe SK, Petersen JH, et al.",
        "Sex-specific estrogen levels and reference intervals from infancy to late adulthood determined by LC-MS/MS",
        "J Clin Endocrinol Metab 2020;105(3):754-768",
        2020,
        doi="10.1210/clinem/dgz196",
        caveat="Numbers taken from a secondary summary, not checked against the paper.",
    ),
    Citation(
        "ctcae_v5",
        "Freites-Martinez A, Santana N, Arias-Santiago S, Viera A",
        "Using the Common Terminology Criteria for Adverse Events (CTCAE - Version 5.0) to evaluate the "
        "severity of adverse events of anticancer therapies",
        "Actas Dermosifiliogr 2021;112(1):90-92",
        2021,
    ),
    Citation(
        "ozlu2017",
        "Ozlu E, Karadag AS",
        "Telogen Effluvium",
        "In: Hair and Scalp Disorders. InTech 2017",
        2017,
        doi="10.5772/66975",
    ),
    Citation(
        "malkud2015",
        "Malkud S",
        "Telogen effluvium: a review",
        "J Clin Diagn Res 2015;9(8):WC01-WC04",
        2015,
        doi="10.7860/JCDR/2015/14089.6170",
    ),
    Citation(
        "rasheed2013",
        "Rasheed H, Mahgoub D, Hegazy R, El-Komy M, Abdel Hay R, Hamid MA, Hamdy E",
        "Serum ferritin and vitamin D in female hair loss: do they play a role?",
        "Skin Pharmacol Physiol 2013;26:101-107",
        2013,
        doi="10.1159/000346698",
    ),
    Citation(
        "almohanna2019",
        "Almohanna HM, Ahmed AA, Tsatalis JP, Tosti A",
        "The role of vitamins and minerals in hair loss: a review",
        "Dermatol Ther (Heidelb) 2019;9(1):51-70",
        2019,
        doi="10.1007/s13555-018-0278-6",
    ),
    Citation(
        "trost2006",
        "Trost LB, Bergfeld WF, Calogeras E",
        "The diagnosis and treatment of iron deficiency and its potential relationship to hair loss",
        "J Am Acad Dermatol 2006;54(5):824-844",
        2006,
    ),
    Citation(
        "garcia_romeu2020",
        "Garcia-Romeu A, Cox DJ, Smith KE, Dunn KE, Griffiths RR",
        "Kratom (Mitragyna speciosa): user demographics, use patterns, and implications for the opioid epidemic",
        "Drug Alcohol Depend 2020;208:107849",
        2020,
        url="https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7423016/",
    ),
    Citation(
        "smith2022",
        "Smith KE, Dunn KE, Rogers JM, Garcia-Romeu A, Strickland JC, Epstein DH",
        "",
        "Front Pharmacol 2022;13:765917",
        2022,
        doi="10.3389/fphar.2022.765917",
        caveat="Cited for the absence of validated dose-effect thresholds; title not verified here.",
    ),
    Citation(
        "lai2021",
        "Lai CL, Wu AYK",
        "",
        "East Asian Arch Psychiatry 2021;31:49-50",
        2021,
        doi="10.12809/eaap2039",
        caveat="Case report of tolerance with escalation from 3 g to 50 g a day; title not verified here.",
    ),
    Citation(
        "handelsman1987",
        "Handelsman L, Cochrane KJ, Aronson MJ, Ness R, Rubinstein KJ, Kanof PD",
        "Two new rating scales for opiate withdrawal",
        "Am J Drug Alcohol Abuse 1987;13(3):293-308",
        1987,
        caveat="The source defines no severity bands; the 11-20 'moderate' band is common practice (unconfirmed), "
        "so the threshold is configurable. Not validated for kratom.",
    ),
    Citation(
        "wesson2003",
        "Wesson DR, Ling W",
        "The Clinical Opiate Withdrawal Scale (COWS)",
        "J Psychoactive Drugs 2003;35(2):253-259",
        2003,
        doi="10.1080/02791072.2003.10400007",
        caveat="Validated for opioid withdrawal, used by analogy for kratom.",
    ),
    Citation(
        "tanna2023",
        "Tanna RS, Nguyen JT, Hadi DL, Manwill PK, Flores-Bocanegra L, Layton ME, et al.",
        "Clinical assessment of the drug interaction potential of the psychotropic natural product kratom",
        "Clin Pharmacol Ther 2023 (PMID 36924284)",
        2023,
    ),
    Citation(
        "olsen2019",
        "Olsen EO, O'Donnell J, Mattson CL, Schier JG, Wilson N",
        "Notes from the field: unintentional drug overdose deaths with kratom detected - 27 states, "
        "July 2016-December 2017",
        "MMWR Morb Mortal Wkly Rep 2019;68(14):326-327",
        2019,
        caveat="Figures not verified here; most deaths involved several substances.",
    ),
    Citation(
        "niaaa_drinking",
        "National Institute on Alcohol Abuse and Alcoholism",
        "Drinking levels defined (heavy drinking: more than 3 drinks on any day for women, more than 4 for men)",
        "NIAAA",
        2024,
        url="https://www.niaaa.nih.gov/alcohol-health/overview-alcohol-consumption/moderate-binge-drinking",
        caveat="Not from the project's reference sheet; verify the current definition.",
        label="NIAAA, Drinking levels defined",
    ),
    Citation(
        "fda_7oh_2025",
        "U.S. Food and Drug Administration",
        "FDA takes steps to restrict 7-OH opioid products threatening American consumers (press release)",
        "FDA, 29 July 2025",
        2025,
        url="https://www.fda.gov/news-events/press-announcements/"
        "fda-takes-steps-restrict-7-oh-opioid-products-threatening-american-consumers",
        caveat="Regulation is changing: re-check before release.",
        label="FDA press release on 7-OH products",
    ),
    Citation(
        "dworkin2008",
        "Dworkin RH, Turk DC, Wyrwich KW, Beaton D, Cleeland CS, Farrar JT, et al.",
        "Interpreting the clinical importance of treatment outcomes in chronic pain clinical trials: IMMPACT "
        "recommendations",
        "J Pain 2008;9(2):105-121",
        2008,
        doi="10.1016/j.jpain.2007.09.005",
        caveat="Derived for groups in trials; applying it to one patient is an extrapolation.",
    ),
    Citation(
        "kroenke2001",
        "Kroenke K, Spitzer RL, Williams JB",
        "The PHQ-9: validity of a brief depression severity measure",
        "J Gen Intern Med 2001;16(9):606-613",
        2001,
        doi="10.1046/j.1525-1497.2001.016009606.x",
        caveat="Flagging any item 9 answer of 1 or more regardless of the total is common practice "
        "(not a rule from the paper).",
    ),
)

CITATIONS: dict[str, Citation] = {c.key: c for c in _CITATIONS}
