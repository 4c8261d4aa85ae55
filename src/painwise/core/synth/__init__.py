"""Synthetic, reproducible, entirely FICTIONAL patients for demos, tests and analysis checks.

Public API: generate_cohort, generate_patient, generate_demo_patient, write_cohort. See docs/synthetic-data.md.
"""

from painwise.core.synth.cohort import (
    Cohort,
    SyntheticPatient,
    generate_cohort,
    generate_demo_patient,
    generate_patient,
)
from painwise.core.synth.effects import FICTION_STATEMENT, EffectParameters
from painwise.core.synth.io import write_cohort

__all__ = [
    "FICTION_STATEMENT",
    "Cohort",
    "EffectParameters",
    "SyntheticPatient",
    "generate_cohort",
    "generate_demo_patient",
    "generate_patient",
    "write_cohort",
]
