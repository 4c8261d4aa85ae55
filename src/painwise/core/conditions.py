"""Chronic pain definitions (clinical_reference.md §2b: IASP/ICD-11, Treede 2019)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Icd11Category:
    code: str
    label: str


# ICD-11 MG30 sub-categories as listed in clinical_reference.md §2b (verify against the WHO browser
# for the release in use: one secondary source numbers them differently).
ICD11_CATEGORIES: dict[str, Icd11Category] = {
    "chronic_primary": Icd11Category("MG30.0", "Chronic primary pain"),
    "cancer_related": Icd11Category("MG30.1", "Chronic cancer-related pain"),
    "post_surgical_traumatic": Icd11Category("MG30.2", "Chronic postsurgical or post-traumatic pain"),
    "musculoskeletal": Icd11Category("MG30.3", "Chronic secondary musculoskeletal pain"),
    "visceral": Icd11Category("MG30.4", "Chronic secondary visceral pain"),
    "neuropathic": Icd11Category("MG30.5", "Chronic neuropathic pain"),
    "headache_orofacial": Icd11Category("MG30.6", "Chronic secondary headache or orofacial pain"),
}

CHRONIC_AFTER_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # Clamp to the month's last day (31 Jan + 1 month -> 28/29 Feb).
    for candidate_day in range(day.day, 27, -1):
        try:
            return dt.date(year, month, candidate_day)
        except ValueError:
            continue
    return dt.date(year, month, min(day.day, 28))


def is_chronic(onset: dt.date, today: dt.date) -> bool:
    """Pain persisting or recurring for longer than 3 months (IASP/ICD-11)."""
    return today > add_months(onset, CHRONIC_AFTER_MONTHS)
