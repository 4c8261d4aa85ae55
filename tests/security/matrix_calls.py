"""How the authorisation matrix calls each route: method, path parameters (real objects of alice's, or
assigned to bob) and a minimal valid body for writes, so `ok` means the write was permitted and stored.

Bodies are valid on purpose: every caller's request must reach the permission check with input that
would be accepted, so a refusal can only be about who is asking.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painwise.research.consent import CONSENT_VERSION
from tests.personas import PASSWORD
from tests.security.matrix_world import World, ago, new_id

Value = Any | Callable[[World], Any]
Body = Callable[[World, str], Any] | dict[str, Any] | str | None


@dataclass(frozen=True)
class PerPersona:
    """A path parameter that depends on who calls (e.g. "the caller's own flag")."""

    build: Callable[[World, str], Any]


def _value(value: Value, world: World, persona: str) -> Any:
    if isinstance(value, PerPersona):
        return value.build(world, persona)
    return value(world) if callable(value) else value


@dataclass(frozen=True)
class Call:
    method: str
    name: str | None = None  # URL name to reverse; None when `fixed_path` is given
    params: tuple[tuple[str, Value], ...] = ()
    body: Body = None
    encoding: str = "json"  # json, form or csv
    htmx: bool = False
    fixed_path: str | None = None
    prepare: Callable[[World, str], Any] | None = None  # makes what the request needs beforehand

    def path(self, world: World, persona: str) -> str:
        if self.fixed_path is not None:
            return self.fixed_path
        assert self.name is not None
        kwargs = {key: _value(value, world, persona) for key, value in self.params}
        return reverse(self.name, kwargs=kwargs)

    def send(self, client: Client, world: World, persona: str, headers: dict[str, str]) -> Any:
        if self.prepare is not None:
            self.prepare(world, persona)
        body = self.body(world, persona) if callable(self.body) else self.body
        headers = dict(headers)
        if self.htmx:
            headers["HX-Request"] = "true"
        path = self.path(world, persona)
        send = getattr(client, self.method.lower())
        if self.method == "GET":
            return send(path, headers=headers)
        if self.encoding == "form":
            return send(path, data=body or {}, headers=headers)
        if self.encoding == "csv":
            return send(path, data=body or "", content_type="text/csv", headers=headers)
        data = "" if body is None else json.dumps(body)
        return send(path, data=data, content_type="application/json", headers=headers)


def get(name: str, htmx: bool = False, **params: Value) -> Call:
    return Call("GET", name, tuple(params.items()), htmx=htmx)


def write(method: str, name: str, body: Body = None, encoding: str = "json", **params: Value) -> Call:
    return Call(method, name, tuple(params.items()), body=body, encoding=encoding)


def alice(world: World) -> Any:
    return world.patient.id


def recent(**kwargs: float) -> str:
    return ago(**kwargs).isoformat()


def token_body(world: World, persona: str) -> dict[str, Any]:
    """Own credentials (anonymous callers: alice's, the usual way to obtain a token); TOTP for the roles
    that need it."""
    user = world.user(persona) or world.alice
    body: dict[str, Any] = {"username": user.username, "password": PASSWORD}
    if user.role in ("clinician", "admin"):
        body["otp"] = world.otp_code(user)
    return body


def erase_body(world: World, persona: str) -> dict[str, Any]:
    user = world.user(persona)
    return {"password": PASSWORD, "confirm": user.username if user else "alice"}


def form_submission(answers: list[int]) -> Callable[[World, str], dict[str, str]]:
    def build(world: World, persona: str) -> dict[str, str]:
        data = {f"item_{number}": str(value) for number, value in enumerate(answers, start=1)}
        return {"submission_id": str(uuid.uuid4()), **data}

    return build


PEG = [6, 7, 5]
COWS = [2, 1, 3, 2, 1, 2, 3, 1, 2, 2, 3]
LAB_CSV = "analyte,value,unit,collected_at\nferritin,48,ng/mL,2025-03-01 08:30\n"

# Hand-written, one per diary kind: a valid create body and a valid change.
DIARY_KINDS: dict[str, tuple[Callable[[World], dict[str, Any]], dict[str, Any]]] = {
    "pain_entries": (lambda w: {"occurred_at": recent(hours=1), "body_site": "knee_left", "nrs": 4}, {"nrs": 3}),
    "check_ins": (lambda w: {"occurred_at": recent(hours=1), "mood": 5}, {"mood": 4}),
    "dose_events": (
        lambda w: {"occurred_at": recent(hours=1), "product_id": str(w.cast.kratom.id), "amount": 1, "unit": "capsule"},
        {"amount": 3},
    ),
    "therapy_sessions": (lambda w: {"occurred_at": recent(hours=1), "modality": "mindfulness"}, {"minutes": 20}),
    "side_effects": (
        lambda w: {"occurred_at": recent(hours=1), "kind": "itching", "severity": "mild"},
        {"free_text": "mild itch"},
    ),
}


def _diary_calls() -> dict[str, Call]:
    calls: dict[str, Call] = {}
    for kind, (create_body, change) in DIARY_KINDS.items():

        def record(world: World, kind: str = kind) -> Any:
            return world.diary_record(kind).id

        def body(world: World, persona: str, create_body: Any = create_body) -> Any:
            return create_body(world)

        calls[f"api:{kind}_list"] = get(f"api:{kind}_list", patient_id=alice)
        calls[f"api:{kind}_create"] = write("POST", f"api:{kind}_create", body, patient_id=alice)
        calls[f"api:{kind}_detail"] = get(f"api:{kind}_detail", patient_id=alice, record_id=record)
        calls[f"api:{kind}_update"] = write("PATCH", f"api:{kind}_update", change, patient_id=alice, record_id=record)
        calls[f"api:{kind}_delete"] = write("DELETE", f"api:{kind}_delete", patient_id=alice, record_id=record)
    return calls


def response_id(world: World) -> Any:
    return world.phq9_response.id


def flag_id(world: World) -> Any:
    return world.bobs_flag.id


def result_id(world: World) -> Any:
    return world.lab_result.id


def physio_id(world: World) -> Any:
    return world.physio.id


def run_id(world: World) -> Any:
    return world.ritas_run.id


def pv_dataset(world: World, persona: str) -> None:
    """openEBGM's CAERS example as the dataset `matrix` (its results are computed once, then cached)."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    target = Path(settings.PV_DATA_DIR) / "matrix.csv.gz"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(__file__).resolve().parents[1] / "pv" / "data" / "caers.csv.gz", target)


def pv_upload_body(world: World, persona: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = b"id,var1,var2\n1,KRATOM,NAUSEA\n2,IBUPROFEN,NAUSEA\n"
    return {"name": f"upload-{persona}-{uuid.uuid4().hex[:8]}", "file": SimpleUploadedFile("t.csv", csv)}


CALLS: dict[str, Call] = {
    # --- API: public ---------------------------------------------------------------------------
    "api:openapi-json": get("api:openapi-json"),
    "api:openapi-view": get("api:openapi-view"),
    "api:api-root": get("api:api-root"),
    "api:auth_token": write("POST", "api:auth_token", token_body),
    # --- API: the caller's own account ---------------------------------------------------------
    "api:auth_token_revoke": write("POST", "api:auth_token_revoke"),
    "api:me": get("api:me"),
    "api:me_export": get("api:me_export"),
    "api:me_erase": write("POST", "api:me_erase", erase_body),
    "api:me_audit": get("api:me_audit"),
    "api:sharing_invite": write("POST", "api:sharing_invite", {"scopes": ["diary"]}),
    "api:sharing_redeem": write("POST", "api:sharing_redeem", lambda w, p: {"code": w.share_code}),
    "api:sharing_grants": get("api:sharing_grants"),
    "api:sharing_revoke": write("POST", "api:sharing_revoke", grant_id=lambda w: w.cast.grant.id),
    "api:sharing_invitations": get("api:sharing_invitations"),
    "api:sharing_invitation_cancel": write(
        "POST", "api:sharing_invitation_cancel", invitation_id=lambda w: w.share_invitation.id
    ),
    "api:questionnaire_schedules": get("api:questionnaire_schedules", patient_id=alice),
    "api:questionnaire_schedule_set": write(
        "PUT", "api:questionnaire_schedule_set", {"interval_days": 14}, patient_id=alice, code="peg"
    ),
    "api:admin_audit": get("api:admin_audit"),
    "api:admin_audit_csv": get("api:admin_audit_csv"),
    "api:flags_list": get("api:flags_list"),
    "api:flag_acknowledge": write("POST", "api:flag_acknowledge", flag_id=flag_id),
    "api:flag_detail": get("api:flag_detail", flag_id=flag_id),
    "api:flag_resolve": write("POST", "api:flag_resolve", {"reason": "seen"}, flag_id=flag_id),
    "api:flag_dismiss": write("POST", "api:flag_dismiss", {"reason": "known"}, flag_id=flag_id),
    # --- API: alice's record -------------------------------------------------------------------
    "api:patients_list": get("api:patients_list"),
    "api:patient_detail": get("api:patient_detail", patient_id=alice),
    "api:patient_fhir": get("api:patient_fhir", patient_id=alice),
    "api:patient_fhir_import": write(
        "POST",
        "api:patient_fhir_import",
        lambda w, p: {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Observation",
                        "id": new_id(),
                        "status": "final",
                        "code": {"coding": [{"system": "http://loinc.org", "code": "2276-4"}]},
                        "effectiveDateTime": recent(days=2),
                        "valueQuantity": {"value": 40, "system": "http://unitsofmeasure.org", "code": "ng/mL"},
                    }
                }
            ],
        },
        patient_id=alice,
    ),
    "api:cds_discovery": get("api:cds_discovery"),
    "api:cds_service": write(
        "POST",
        "api:cds_service",
        lambda w, p: {
            "hook": "patient-view",
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/x", "patientId": str(w.patient.id)},
        },
        service_id="painwise-open-flags",
    ),
    "cds_discovery": get("cds_discovery"),
    "cds_service": write(
        "POST",
        "cds_service",
        lambda w, p: {
            "hook": "patient-view",
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": "Practitioner/x", "patientId": str(w.patient.id)},
        },
        service_id="painwise-open-flags",
    ),
    "api:research_consent": get("api:research_consent"),
    "api:research_consent_set": write(
        "PUT", "api:research_consent_set", {"decision": "opt_out", "version": CONSENT_VERSION}
    ),
    "api:patient_report": get("api:patient_report", patient_id=alice),
    "api:patient_csv": get("api:patient_csv", patient_id=alice),
    "api:conditions_list": get("api:conditions_list", patient_id=alice),
    "api:conditions_create": write(
        "POST",
        "api:conditions_create",
        {
            "label": "Knee pain",
            "icd11_category": "musculoskeletal",
            "body_sites": ["knee_left"],
            "onset_date": "2024-02-01",
        },
        patient_id=alice,
    ),
    "api:therapies_list": get("api:therapies_list", patient_id=alice),
    "api:therapies_create": write(
        "POST",
        "api:therapies_create",
        lambda w, p: {"kind": "cbt", "name": "CBT for pain", "start_date": str(w.physio.start_date)},
        patient_id=alice,
    ),
    "api:therapies_update": write(
        "PATCH", "api:therapies_update", {"notes": "twice a week"}, patient_id=alice, therapy_id=physio_id
    ),
    "api:therapies_delete": write("DELETE", "api:therapies_delete", patient_id=alice, therapy_id=physio_id),
    "api:exposure": get("api:exposure", patient_id=alice),
    **_diary_calls(),
    "api:lab_results_list": get("api:lab_results_list", patient_id=alice),
    "api:lab_results_create": write(
        "POST",
        "api:lab_results_create",
        lambda w, p: {"analyte": "ferritin", "value": 35, "unit": "ng/mL", "collected_at": recent(days=1)},
        patient_id=alice,
    ),
    "api:lab_results_import_csv": write("POST", "api:lab_results_import_csv", LAB_CSV, "csv", patient_id=alice),
    "api:lab_results_detail": get("api:lab_results_detail", patient_id=alice, result_id=result_id),
    "api:lab_results_update": write(
        "PATCH", "api:lab_results_update", {"note": "fasting"}, patient_id=alice, result_id=result_id
    ),
    "api:lab_results_delete": write("DELETE", "api:lab_results_delete", patient_id=alice, result_id=result_id),
    "api:questionnaires_list": get("api:questionnaires_list", patient_id=alice),
    "api:questionnaires_create": write(
        "POST", "api:questionnaires_create", {"code": "peg", "answers": PEG}, patient_id=alice
    ),
    "api:questionnaires_detail": get("api:questionnaires_detail", patient_id=alice, response_id=response_id),
    # --- web: everyone -------------------------------------------------------------------------
    "web:login": get("web:login"),
    "web:service_worker": get("web:service_worker"),
    "web:manifest": get("web:manifest"),
    "healthz": get("healthz"),
    "readyz": get("readyz"),
    "web:logout": write("POST", "web:logout", encoding="form"),
    "web:^static/(?P<path>.*)$": Call("GET", fixed_path="/static/web/app.css"),
    "questionnaires:crisis": get("questionnaires:crisis"),
    "web:home": get("web:home"),
    "web:erased": get("web:erased"),
    # --- web: the caller's own account (two-factor, security, patient rights) ------------------
    "web:login_otp": get("web:login_otp"),
    "web:otp_enrol": get("web:otp_enrol"),
    "web:security": get("web:security"),
    "web:token_revoke": write(
        "POST", "web:token_revoke", encoding="form", token_id=lambda w: w.alices_token.id
    ),  # alice's token
    "web:sharing": get("web:sharing"),
    "web:share_create": write("POST", "web:share_create", {"scopes": ["diary"], "access": "read"}, "form"),
    "web:grant_revoke": write("POST", "web:grant_revoke", encoding="form", grant_id=lambda w: w.cast.grant.id),
    "web:my_audit": get("web:my_audit"),
    "web:my_export": get("web:my_export"),
    "web:erase": write("POST", "web:erase", erase_body, "form"),
    "web:redeem": write("POST", "web:redeem", lambda w, p: {"code": w.share_code}, "form"),
    "web:admin_audit": get("web:admin_audit"),
    "web:admin_audit_csv": get("web:admin_audit_csv"),
    "web:admin_accounts": get("web:admin_accounts"),
    "web:admin_account_action": write(  # reset dave's two-factor: harmless, admin-only
        "POST", "web:admin_account_action", encoding="form", user_id=lambda w: w.cast.dave.id, action="reset-2fa"
    ),
    # --- web: a patient's own diary (no patient id in the URL) ---------------------------------
    "web:entry_create": write("POST", "web:entry_create", {"body_site": "lower_back", "nrs": "5"}, "form", slug="pain"),
    "web:entry_form": get("web:entry_form", htmx=True, slug="dose"),
    "web:chart": get("web:chart", htmx=True),
    "web:timeline": get("web:timeline", htmx=True),
    "web:diary": get("web:diary"),
    "web:diary_edit": get("web:diary_edit", kind="pain_entries", record_id=lambda w: w.diary_record("pain_entries").id),
    "web:diary_delete": write(
        "POST",
        "web:diary_delete",
        encoding="form",
        kind="check_ins",
        record_id=lambda w: w.diary_record("check_ins").id,
    ),
    # --- web: a patient's own profile and plan -------------------------------------------------
    "web:signup": get("web:signup"),
    "web:profile": get("web:profile"),
    "web:condition_new": get("web:condition_new"),
    "web:condition_edit": get("web:condition_edit", condition_id=lambda w: w.condition.id),
    "web:condition_delete": write(
        "POST", "web:condition_delete", encoding="form", condition_id=lambda w: w.condition.id
    ),
    "web:reminders": get("web:reminders"),
    "web:reminder_read": write("POST", "web:reminder_read", encoding="form", reminder_id=lambda w: w.reminder.id),
    "web:plan": get("web:plan"),
    "web:plan_new": get("web:plan_new", kind="cbt"),
    "web:plan_edit": get("web:plan_edit", therapy_id=lambda w: w.physio.id),
    "web:plan_stop": write(
        "POST",
        "web:plan_stop",
        {"stop_date": timezone.localdate().isoformat()},
        "form",
        therapy_id=lambda w: w.physio.id,
    ),
    "web:plan_delete": write("POST", "web:plan_delete", encoding="form", therapy_id=lambda w: w.physio.id),
    # --- web: clinician pages about alice ------------------------------------------------------
    "web:patient_detail": get("web:patient_detail", patient_id=alice),
    "web:patient_chart": get("web:patient_chart", htmx=True, patient_id=alice),
    "web:patient_timeline": get("web:patient_timeline", htmx=True, patient_id=alice),
    # --- web: labs -----------------------------------------------------------------------------
    "labs:index": get("labs:index"),
    "labs:patient_labs": get("labs:patient_labs", patient_id=alice),
    "labs:entry": write(
        "POST",
        "labs:entry",
        {"analyte": "ferritin", "value": "35", "unit": "ng/mL", "collected_at": "2025-03-01T08:30"},
        "form",
        patient_id=alice,
    ),
    "labs:csv_import": write("POST", "labs:csv_import", {"text": LAB_CSV}, "form", patient_id=alice),
    "labs:analyte_chart": get("labs:analyte_chart", patient_id=alice, analyte="ferritin"),
    "labs:delete": write("POST", "labs:delete", encoding="form", patient_id=alice, result_id=result_id),
    # --- web: questionnaires and flags ---------------------------------------------------------
    "questionnaires:list": get("questionnaires:list"),
    "questionnaires:fill": write("POST", "questionnaires:fill", form_submission(PEG), "form", code="peg"),
    "questionnaires:result": get("questionnaires:result", response_id=response_id),
    "questionnaires:history": get("questionnaires:history", code="phq9"),
    "questionnaires:clinician_patient": get("questionnaires:clinician_patient", patient_id=alice),
    "questionnaires:clinician_history": get("questionnaires:clinician_history", patient_id=alice, code="phq9"),
    "questionnaires:schedule_set": write(
        "POST", "questionnaires:schedule_set", {"code": "peg", "interval_days": "14"}, "form", patient_id=alice
    ),
    "questionnaires:cows_enter": write(
        "POST", "questionnaires:cows_enter", form_submission(COWS), "form", patient_id=alice
    ),
    "monitoring:worklist": get("monitoring:worklist"),
    "monitoring:acknowledge": write("POST", "monitoring:acknowledge", encoding="form", flag_id=flag_id),
    "monitoring:flag": get("monitoring:flag", flag_id=flag_id),
    "monitoring:resolve": write("POST", "monitoring:resolve", {"reason": "seen"}, "form", flag_id=flag_id),
    "monitoring:dismiss": write("POST", "monitoring:dismiss", {"reason": "known"}, "form", flag_id=flag_id),
    "monitoring:evidence": get("monitoring:evidence"),
    # --- web: the researcher's adverse-event report signals -------------------------------------
    "pharmacovigilance:signals": Call(
        "GET", fixed_path="/pharmacovigilance/?dataset=matrix&product=REUMOFAN+PLUS", prepare=pv_dataset
    ),
    "pharmacovigilance:upload": write("POST", "pharmacovigilance:upload", pv_upload_body, "form"),
    "pharmacovigilance:download": Call(
        "GET", fixed_path="/pharmacovigilance/signals.csv?dataset=matrix&product=REUMOFAN+PLUS", prepare=pv_dataset
    ),
    # --- web: research -------------------------------------------------------------------------
    "research:consent": get("research:consent"),
    "research:consent_set": write(
        "POST", "research:consent_set", {"decision": "opt_in", "version": CONSENT_VERSION}, "form"
    ),
    "research:index": get("research:index"),
    "research:run_create": write("POST", "research:run_create", {"sex": "female"}, "form"),
    "research:run_detail": get("research:run_detail", run_id=run_id),
    "research:run_step": write("POST", "research:run_step", encoding="form", run_id=run_id),
    "research:download": get("research:download", run_id=run_id),
    # --- web: insights, reports and CSV (docs/reports.md; no dates: the last 90 days) -----------
    "reports:insights": get("reports:insights"),
    "reports:own_report": get("reports:own_report"),
    "reports:own_csv": get("reports:own_csv"),
    "reports:clinician": get("reports:clinician", patient_id=alice),
    "reports:clinician_report": get("reports:clinician_report", patient_id=alice),
    "reports:clinician_csv": get("reports:clinician_csv", patient_id=alice),
}

CALLERS_OWN_FLAG = PerPersona(lambda world, persona: world.own_flag(persona).id)

# Extra requests on routes whose answer depends on the body or the object, not only on the caller.
VARIANT_CALLS: dict[str, tuple[str, Call]] = {
    # COWS is rated by a clinician with data entry; the same route takes self-reports from the patient.
    "api:questionnaires_create[cows]": (
        "api:questionnaires_create",
        write("POST", "api:questionnaires_create", {"code": "cows", "answers": COWS}, patient_id=alice),
    ),
    # A flag raised while erin's and ray's grants were active, acknowledged after they ended: reading a
    # flag is reading the patient's record, so an ended grant must end it too (security.md).
    "api:flag_acknowledge[own-flag-after-grant-ended]": (
        "api:flag_acknowledge",
        write("POST", "api:flag_acknowledge", flag_id=CALLERS_OWN_FLAG),
    ),
    # Lists of one's own flags, with erin's and ray's flags from before their grants ended in the database.
    "api:flags_list[own-flag-after-grant-ended]": (
        "api:flags_list",
        Call("GET", "api:flags_list", prepare=lambda world, persona: world.own_flag(persona)),
    ),
    "monitoring:worklist[own-flag-after-grant-ended]": (
        "monitoring:worklist",
        Call("GET", "monitoring:worklist", prepare=lambda world, persona: world.own_flag(persona)),
    ),
    "monitoring:acknowledge[own-flag-after-grant-ended]": (
        "monitoring:acknowledge",
        write("POST", "monitoring:acknowledge", encoding="form", flag_id=CALLERS_OWN_FLAG),
    ),
}

# Invalid input: the request must be refused for who is asking before anything looks at the body, so a
# caller who may not write gets the same answer as with a valid body, and a permitted one `invalid`.
INVALID_BODIES: dict[str, Body] = {
    "api:auth_token": {},
    "api:me_erase": {},
    "api:sharing_redeem": {},
    "api:conditions_create": {},
    "api:therapies_create": {},
    **{f"api:{kind}_create": {} for kind in DIARY_KINDS},
    "api:lab_results_create": {},
    "api:lab_results_import_csv": "analyte,value,unit,collected_at\nferritin,lots,ng/mL,2025-03-01\n",
    "api:questionnaires_create": {},
    "web:entry_create": {"nrs": "5"},
    "web:share_create": {"scopes": ["diary"], "access": "sideways"},
    "web:erase": {"confirm": "nobody"},
    "web:redeem": {"code": ""},
    "labs:entry": {"analyte": "ferritin"},
    "labs:csv_import": {"text": "not,a,lab,file"},
    "questionnaires:fill": {"submission_id": "not-a-uuid"},
    "questionnaires:cows_enter": {"submission_id": "not-a-uuid"},
    "pharmacovigilance:upload": {"name": "not a name!"},
    "research:consent_set": {"decision": "maybe", "version": CONSENT_VERSION},
    "research:run_create": {"sex": "other"},
}

for _route, _body in INVALID_BODIES.items():
    _call = CALLS[_route]
    VARIANT_CALLS[f"{_route}[invalid-body]"] = (
        _route,
        Call(_call.method, _call.name, _call.params, body=_body, encoding=_call.encoding),
    )
