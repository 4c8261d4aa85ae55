"""The CDS Hooks patient-view service at the edge: which flags the caller may see, as cards."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from painwise.core.errors import DomainError, NotFound
from painwise.core.fhir import cds
from painwise.exchange.fhir import flag_record
from painwise.exchange.fhir_access import flags_patient_for
from painwise.monitoring.selectors import flags_for


def patient_view(user: Any, *, service_id: str, hook: str, patient_id: str, base_url: str) -> dict[str, Any]:
    if service_id != cds.SERVICE_ID:
        raise NotFound("CDS service")
    if hook != cds.HOOK:
        raise DomainError("cds.wrong_hook", f"the {cds.SERVICE_ID} service answers the {cds.HOOK} hook", "hook")
    try:
        patient, scopes = flags_patient_for(user, cds.patient_id_of(patient_id))
    except NotFound:
        return {"cards": []}  # unknown, not shared or the patient themself: nothing to say, nothing revealed
    flags = [
        flag for flag in flags_for(user).filter(patient=patient) if cds.visible(flag.source_type, scopes, flag.rule_id)
    ]
    base = base_url.rstrip("/")
    return cds.cards(
        [flag_record(f) for f in flags],
        flag_url=lambda flag: base + reverse("monitoring:flag", kwargs={"flag_id": flag.id}),
        evidence_url=base + reverse("monitoring:evidence"),
    )


__all__ = ["patient_view"]
