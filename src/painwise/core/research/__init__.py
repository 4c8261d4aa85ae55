"""Cohort research: load a cohort directory, de-identify documents, analyse exposure, labs and hair shedding.

Pure core (no Django). See docs/research.md. Associations found here are not proof of cause.
"""

from painwise.core.research.analyses import ANALYSIS_NAMES, analyze, as_json, run_analysis
from painwise.core.research.cohort import Cohort, load_cohort, load_documents
from painwise.core.research.results import ResearchResult

__all__ = [
    "ANALYSIS_NAMES",
    "Cohort",
    "ResearchResult",
    "analyze",
    "as_json",
    "load_cohort",
    "load_documents",
    "run_analysis",
]
