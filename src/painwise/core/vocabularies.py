"""Every closed list of codes painwise records, defined once (each with its human label).

Model choices (`Vocabulary.choices()`), API schemas (the enum type itself, or `values()` in a
description), web forms and the core's validation all read these classes; a test
(tests/foundation/test_vocabularies.py) fails if any edge ever lists different codes.
A member is a `str`, so `therapy.kind == TherapyKind.KRATOM` compares with the stored text.
"""

from __future__ import annotations

import enum
from typing import Self


class Vocabulary(enum.StrEnum):
    """A closed list of codes with labels; members are written `NAME = "code", "Label"`."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.replace("_", " ").capitalize()
        return member

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


class TherapyKind(Vocabulary):
    KRATOM = "kratom", "Kratom product"
    PHYSICAL_THERAPY = "physical_therapy", "Physical therapy"
    CBT = "cbt", "Cognitive-behavioural therapy"
    MINDFULNESS = "mindfulness", "Mindfulness (e.g. MBSR)"
    MEDICATION = "medication", "Medication"
    SUPPLEMENT = "supplement", "Supplement"
    OTHER = "other", "Other"


class KratomForm(Vocabulary):
    LEAF_POWDER = "leaf_powder", "Leaf powder"
    CAPSULE = "capsule", "Capsule"
    EXTRACT = "extract", "Extract"
    TEA = "tea", "Tea"
    SEVEN_OH = "7oh", "Concentrated 7-hydroxymitragynine (7-OH) product"


class AlkaloidSource(Vocabulary):
    """Where a kratom product's alkaloid content comes from."""

    LABELLED = "labelled", "As labelled on the product"
    MEASURED = "measured", "Measured by a laboratory"


class DrugClass(Vocabulary):
    OPIOID = "opioid", "Opioid"
    BENZODIAZEPINE = "benzodiazepine", "Benzodiazepine"
    GABAPENTINOID = "gabapentinoid", "Gabapentinoid"
    SSRI_SNRI = "ssri_snri", "SSRI/SNRI"
    TRICYCLIC = "tricyclic", "Tricyclic antidepressant"
    NSAID = "nsaid", "NSAID"
    PARACETAMOL = "paracetamol", "Paracetamol/acetaminophen"
    MUSCLE_RELAXANT = "muscle_relaxant", "Muscle relaxant"
    SEDATING_ANTIHISTAMINE = "sedating_antihistamine", "Sedating antihistamine"
    OTHER = "other", "Other"


class DoseUnit(Vocabulary):
    G = "g", "g"
    CAPSULE = "capsule", "capsule"
    ML = "mL", "mL"
    MG = "mg", "mg"


class DoseStatus(Vocabulary):
    TAKEN = "taken", "Taken"
    SKIPPED = "skipped", "Skipped"
    AS_NEEDED = "as_needed", "As needed"


class SessionModality(Vocabulary):
    PHYSICAL_THERAPY = "physical_therapy", "Physical therapy"
    CBT = "cbt", "CBT"
    MINDFULNESS = "mindfulness", "Mindfulness"
    OTHER = "other", "Other"


class SessionStatus(Vocabulary):
    DONE = "done", "Done"
    SKIPPED = "skipped", "Skipped"


class Severity(Vocabulary):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


# Doses that count as "took something" (charts, exposure of 7-OH products); skipped doses do not.
DOSE_TAKEN = (DoseStatus.TAKEN, DoseStatus.AS_NEEDED)
# Plan kinds a therapy session can belong to.
SESSION_THERAPY_KINDS = (TherapyKind.PHYSICAL_THERAPY, TherapyKind.CBT, TherapyKind.MINDFULNESS, TherapyKind.OTHER)

ALL: tuple[type[Vocabulary], ...] = (
    TherapyKind, KratomForm, DrugClass, DoseUnit, DoseStatus, SessionModality, SessionStatus, Severity,
)  # fmt: skip
