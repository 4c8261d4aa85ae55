"""Erin: a synthetic patient (half a year, rich record, FICTIONAL effects) imported into the database, with
Bob (full-scope grant), Lena (reports scope but not labs), Nora (every scope except reports) and Carol
(no grant)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from tests.personas import make_user

END = dt.date.today() - dt.timedelta(days=1)


@dataclass
class Erin:
    user: Any
    patient: Any
    bob: Any
    lena: Any
    nora: Any
    carol: Any
    end: dt.date
    start: dt.date


@pytest.fixture
def erin(db: Any) -> Erin:
    from painwise.core.synth import generate_patient
    from painwise.exchange.importer import import_patient
    from painwise.patients.services import grant_create

    record = generate_patient(3, username="erin", years=0.5, rich=True, end_date=END).record
    patient = import_patient(record)
    user = patient.user
    bob, lena, nora, carol = (make_user(name, "clinician") for name in ("bob", "lena", "nora", "carol"))
    grant_create(actor=user, patient=patient, grantee=bob)
    grant_create(actor=user, patient=patient, grantee=lena, scopes=["diary", "plan", "questionnaires", "reports"])
    grant_create(actor=user, patient=patient, grantee=nora, scopes=["diary", "plan", "questionnaires", "labs"])
    return Erin(user, patient, bob, lena, nora, carol, END, END - dt.timedelta(days=120))
