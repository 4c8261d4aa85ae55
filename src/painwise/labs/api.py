"""/api/v1/patients/{patient_id}/labs: blood results (create, list, read, change, delete, CSV import).

Reads need the labs scope; writes need the patient themself or a clinician whose grant has the labs
scope and can_enter_data (painwise.patients.access). Everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from painwise.accounts.auth import PatientAccess
from painwise.api_common import ERRORS, ErrorOut, caller, paginate
from painwise.core.errors import DomainError
from painwise.labs.schemas import (
    CsvImportOut,
    LabQuery,
    LabResultIn,
    LabResultOut,
    LabResultPage,
    LabResultPatch,
    import_out,
)
from painwise.labs.selectors import lab_results
from painwise.labs.serialise import serialise_result
from painwise.labs.services import (
    lab_result_create,
    lab_result_delete,
    lab_result_update,
    lab_results_import_csv,
    live_result,
)
from painwise.patients.access import patient_for

router = Router(tags=["labs"])
SCOPE = "labs"
CSV_ERRORS: dict[int, Any] = {**ERRORS, 415: ErrorOut}
CSV_BODY = {
    "requestBody": {
        "required": True,
        "description": "the CSV file itself (UTF-8; header row; see docs/labs-entry.md)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/{patient_id}/labs",
    response={200: LabResultPage, **ERRORS},
    url_name="lab_results_list",
    operation_id="lab_results_list",
    summary="List lab results (newest first)",
)
def list_results(request: HttpRequest, patient_id: str, query: Query[LabQuery]) -> dict[str, Any]:  # type: ignore[type-arg]
    patient = patient_for(caller(request), patient_id, SCOPE)
    results = lab_results(patient, analyte=query.analyte, date_from=query.date_from, date_to=query.date_to)
    return paginate(results, query, serialise_result)


@router.post(
    "/{patient_id}/labs",
    response={201: LabResultOut, **ERRORS},
    url_name="lab_results_create",
    auth=PatientAccess("labs"),
    operation_id="lab_results_create",
    summary="Add a lab result (interpreted on entry)",
)
def create_result(request: HttpRequest, patient_id: str, payload: LabResultIn) -> Status[Any]:
    patient = patient_for(caller(request), patient_id, SCOPE, write=True)
    record = lab_result_create(actor=caller(request), patient=patient, data=payload.dict())
    return Status(201, serialise_result(record))


@router.post(
    "/{patient_id}/labs/import",
    response={201: CsvImportOut, **CSV_ERRORS},
    url_name="lab_results_import_csv",
    auth=PatientAccess("labs"),
    operation_id="lab_results_import_csv",
    summary="Import lab results from a CSV file (all-or-nothing)",
    openapi_extra=CSV_BODY,
)
def import_csv(request: HttpRequest, patient_id: str) -> Status[Any]:
    patient = patient_for(caller(request), patient_id, SCOPE, write=True)
    if request.content_type != "text/csv":
        raise DomainError(
            "request.unsupported_media_type", "send the CSV as the body with Content-Type: text/csv", None, 415
        )
    try:
        text = request.body.decode(request.encoding or "utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        raise DomainError("labs.csv_encoding", "the CSV must be UTF-8 text", "csv") from exc
    done = lab_results_import_csv(actor=caller(request), patient=patient, text=text)
    return Status(201, import_out(done.created, done.skipped))


@router.get(
    "/{patient_id}/labs/{result_id}",
    response={200: LabResultOut, **ERRORS},
    url_name="lab_results_detail",
    operation_id="lab_results_detail",
    summary="Get a lab result",
)
def get_result(request: HttpRequest, patient_id: str, result_id: str) -> dict[str, Any]:
    patient = patient_for(caller(request), patient_id, SCOPE)
    return serialise_result(live_result(patient, result_id, for_update=False))


@router.patch(
    "/{patient_id}/labs/{result_id}",
    response={200: LabResultOut, **ERRORS},
    url_name="lab_results_update",
    auth=PatientAccess("labs"),
    operation_id="lab_results_update",
    summary="Change a lab result (interpreted again)",
)
def update_result(request: HttpRequest, patient_id: str, result_id: str, payload: LabResultPatch) -> dict[str, Any]:
    patient = patient_for(caller(request), patient_id, SCOPE, write=True)
    changes = payload.dict(exclude_unset=True)
    record = lab_result_update(actor=caller(request), patient=patient, result_id=result_id, changes=changes)
    return serialise_result(record)


@router.delete(
    "/{patient_id}/labs/{result_id}",
    response={204: None, **ERRORS},
    url_name="lab_results_delete",
    operation_id="lab_results_delete",
    summary="Delete a lab result (soft delete)",
)
def delete_result(request: HttpRequest, patient_id: str, result_id: str) -> Status[Any]:
    patient = patient_for(caller(request), patient_id, SCOPE, write=True)
    lab_result_delete(actor=caller(request), patient=patient, result_id=result_id)
    return Status(204, None)
