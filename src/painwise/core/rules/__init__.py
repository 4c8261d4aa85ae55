"""Safety monitoring rules over a PatientSnapshot (pure core; docs/rules.md lists them all).

    from painwise.core.rules import evaluate, DEFAULT_RULES_CONFIG
    findings = evaluate(snapshot, as_of=dt.date(2026, 6, 30), config=DEFAULT_RULES_CONFIG)

``evaluate`` is deterministic: it reads only the snapshot's records up to ``as_of`` and never the clock.
One small function per rule (labs, liver, hair, kratom, outcomes modules) is registered with its id,
severity, title, rationale, evidence, what to consider and the thresholds it reads.
"""

from __future__ import annotations

import datetime as dt

from painwise.core.rules import hair, kratom, labs, liver, outcomes  # noqa: F401  (registers the rules)
from painwise.core.rules.base import REGISTRY, SEVERITIES, SEVERITY_ORDER, Finding, Rule
from painwise.core.rules.config import (
    DEFAULT_RULES_CONFIG,
    RulesConfig,
    config_from_mapping,
    load_config,
    threshold_fields,
)
from painwise.core.rules.evidence import CITATIONS, Citation
from painwise.core.snapshot import PatientSnapshot

__all__ = [
    "CITATIONS",
    "DEFAULT_RULES_CONFIG",
    "REGISTRY",
    "SEVERITIES",
    "Citation",
    "Finding",
    "Rule",
    "RulesConfig",
    "config_from_mapping",
    "evaluate",
    "load_config",
    "sort_findings",
    "threshold_fields",
]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Urgent first, then by rule id, subject and date: one order for every caller."""
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.rule, f.subject, f.date, f.occurrence))


def evaluate(snapshot: PatientSnapshot, as_of: dt.date, config: RulesConfig = DEFAULT_RULES_CONFIG) -> list[Finding]:
    """Every rule's findings for ``snapshot`` as it stood at the end of ``as_of`` (records after it are
    ignored). Lab results are read with the interpretation the snapshot carries (its LabConfig)."""
    first, last = snapshot.first_day, snapshot.last_day
    view = snapshot
    if first is not None and last is not None and last > as_of:
        view = snapshot.window(min(first, as_of), as_of)
    findings: list[Finding] = []
    for rule in REGISTRY.values():
        findings.extend(rule.check(rule, view, as_of, config))
    return sort_findings(findings)
