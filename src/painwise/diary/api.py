"""CRUD for the five diary record kinds, generated from one template so they behave identically."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from painwise.accounts.auth import PatientAccess
from painwise.api_common import ERRORS, PageQuery, caller, paginate
from painwise.diary.schemas import KINDS
from painwise.diary.selectors import diary_records
from painwise.diary.services import diary_record_create, diary_record_delete, diary_record_update, live_record
from painwise.diary.specs import SPECS
from painwise.exchange.serialise import serialise_record
from painwise.patients.access import patient_for

router = Router(tags=["diary"])


def page_schema(name: str, out: type[Schema]) -> type[Schema]:
    return type(name, (Schema,), {"__annotations__": {"items": list[out], "count": int, "page": int,  # type: ignore[valid-type]
                                                      "page_size": int, "next_page": int | None}})  # fmt: skip


def register(kind: str) -> None:
    schema_in, schema_patch, schema_out = KINDS[kind]
    label = SPECS[kind].label
    page_out = page_schema(f"{schema_out.__name__}Page", schema_out)

    def list_records(request: HttpRequest, patient_id: str, query: Query[PageQuery]) -> dict[str, Any]:  # type: ignore[type-arg]
        patient = patient_for(caller(request), patient_id, "diary")
        records = diary_records(patient, kind, date_from=query.date_from, date_to=query.date_to)
        return paginate(records, query, lambda r: serialise_record(kind, r))

    def create_record(request: HttpRequest, patient_id: str, payload: schema_in) -> Status[Any]:  # type: ignore[valid-type]
        patient = patient_for(caller(request), patient_id, "diary", write=True)
        record = diary_record_create(actor=caller(request), patient=patient, kind=kind, data=payload.dict())  # type: ignore[attr-defined]
        return Status(201, serialise_record(kind, record))

    def get_record(request: HttpRequest, patient_id: str, record_id: str) -> dict[str, Any]:
        patient = patient_for(caller(request), patient_id, "diary")
        return serialise_record(kind, live_record(patient, kind, record_id, for_update=False))

    def update_record(request: HttpRequest, patient_id: str, record_id: str, payload: schema_patch) -> dict[str, Any]:  # type: ignore[valid-type]
        patient = patient_for(caller(request), patient_id, "diary", write=True)
        changes = payload.dict(exclude_unset=True)  # type: ignore[attr-defined]
        record = diary_record_update(
            actor=caller(request),
            patient=patient,
            kind=kind,
            record_id=record_id,
            changes=changes,
        )
        return serialise_record(kind, record)

    def delete_record(request: HttpRequest, patient_id: str, record_id: str) -> Status[Any]:
        patient = patient_for(caller(request), patient_id, "diary", write=True)
        diary_record_delete(actor=caller(request), patient=patient, kind=kind, record_id=record_id)
        return Status(204, None)

    base = f"/{{patient_id}}/{kind}"
    item = f"{base}/{{record_id}}"
    # One row per operation: url_name and operation_id are both "<kind>_<op>"; writes need PatientAccess.
    for method, path, status, schema, op, summary, view, write in (
        ("get", base, 200, page_out, "list", f"List {label}s", list_records, False),
        ("post", base, 201, schema_out, "create", f"Add a {label}", create_record, True),
        ("get", item, 200, schema_out, "detail", f"Get a {label}", get_record, False),
        ("patch", item, 200, schema_out, "update", f"Change a {label}", update_record, True),
        ("delete", item, 204, None, "delete", f"Delete a {label}", delete_record, False),
    ):
        name = f"{kind}_{op}"
        auth = {"auth": PatientAccess("diary")} if write else {}
        getattr(router, method)(
            path, response={status: schema, **ERRORS}, url_name=name, operation_id=name, summary=summary, **auth
        )(view)


for _kind in KINDS:
    register(_kind)
