"""The demo cohort and demo logins that `make run` seeds. Demo mode only; all data are synthetic.

Idempotent: a second run finds the demo users and only refreshes their passwords.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from painwise.accounts.models import Role, User
from painwise.core.errors import DomainError

DEMO_SEED = 20261125
DEMO_YEARS = 2
DEMO_LOGINS = (
    ("demo-patient", Role.PATIENT, "rich two-year synthetic history; shared with demo-clinician"),
    ("demo-patient2", Role.PATIENT, "another synthetic patient; shared with nobody"),
    ("demo-clinician", Role.CLINICIAN, "has a full-scope grant from demo-patient"),
    ("demo-clinician2", Role.CLINICIAN, "no patient has shared with this clinician"),
    ("demo-researcher", Role.RESEARCHER, "de-identified data only"),
    ("demo-admin", Role.ADMIN, "manages accounts; reads no clinical data"),
)
DEMO_PATIENTS = ("demo-patient", "demo-patient2")


def _ensure_user(username: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, role=role)
    user.role = role
    user.is_demo = True
    user.set_password(settings.DEMO_PASSWORD)
    user.save()
    return user


def _demo_documents(extra_patients: int) -> list[dict[str, Any]]:
    from painwise.core.synth import generate_cohort
    from painwise.core.synth.cohort import generate_demo_patient, generate_patient

    docs = [
        generate_demo_patient(DEMO_SEED).record,
        generate_patient(DEMO_SEED + 1, username="demo-patient2", years=1.0, sex="male").record,
    ]
    if extra_patients:
        usernames = [f"synth-{i:04d}" for i in range(1, extra_patients + 1)]
        docs += generate_cohort(extra_patients, DEMO_YEARS, DEMO_SEED + 2, usernames=usernames).patients
    return docs


def _seed_patients(extra_patients: int) -> None:
    from painwise.exchange.importer import import_patient

    wanted = [*DEMO_PATIENTS, *(f"synth-{i:04d}" for i in range(1, extra_patients + 1))]
    if User.objects.filter(username__in=wanted).count() == len(wanted):
        return
    for doc in _demo_documents(extra_patients):
        username = doc["patient"]["username"]
        if not User.objects.filter(username=username).exists():
            import_patient(doc)
            User.objects.filter(username=username).update(is_demo=True)


@transaction.atomic
def seed_demo(*, extra_patients: int = 10) -> dict[str, Any]:
    if not settings.DEMO_MODE:
        raise DomainError("demo.disabled", "demo data are seeded only in demo mode (PAINWISE_DEMO=1)", "PAINWISE_DEMO")
    from painwise.patients.access import grant_for
    from painwise.patients.models import Patient
    from painwise.patients.services import grant_create

    _seed_patients(extra_patients)
    users = {name: _ensure_user(name, role) for name, role, _ in DEMO_LOGINS}
    patient = Patient.objects.get(user=users["demo-patient"])
    if grant_for(users["demo-clinician"], patient) is None:
        grant_create(
            actor=users["demo-patient"],
            patient=patient,
            grantee=users["demo-clinician"],
            can_comment=True,
            can_enter_data=True,
        )
    return {
        "logins": [{"username": name, "role": str(role), "note": note} for name, role, note in DEMO_LOGINS],
        "password": settings.DEMO_PASSWORD,
        "patients": Patient.objects.count(),
    }
