"""A small typed client for the painwise REST API (docs/api.md), standard library only.

    from painwise.client import Client
    client = Client.login("https://painwise.example", "demo-clinician", "…", otp="123456")
    for patient in client.patients():
        bundle = client.fhir_bundle(patient["id"])

Every error answer becomes ``ApiError`` carrying the API's error shape (status, code, message, field).
The CLI uses it for ``--server URL --token …`` (docs/cli.md).
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, TypedDict, cast

API_PREFIX = "/api/v1"


class PatientInfo(TypedDict):
    id: str
    username: str
    date_of_birth: str
    sex_at_birth: str
    time_zone: str
    created_at: str


class Skipped(TypedDict):
    resource: str
    reason: str


class ImportReport(TypedDict):
    imported: dict[str, int]
    skipped: list[Skipped]


class ResearchConsent(TypedDict):
    version: str
    text: str
    decision: str | None
    decided_version: str | None
    decided_at: str | None
    current: bool


class Card(TypedDict, total=False):
    uuid: str
    summary: str
    indicator: str
    detail: str
    source: dict[str, Any]
    links: list[dict[str, str]]


@dataclass
class ApiError(Exception):
    """An error answer of the API (or no answer at all: status 0)."""

    status: int
    code: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = f" [{self.field}]" if self.field else ""
        return f"{self.status} {self.code}{where}: {self.message}"


class Client:
    """One server and one bearer token. Methods return the API's JSON, typed where it is fixed."""

    def __init__(self, server: str, token: str | None = None, *, timeout: float = 60.0) -> None:
        parsed = urllib.parse.urlsplit(server)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ApiError(0, "client.bad_server", f"--server must be an http(s) URL, got {server!r}", "--server")
        self.server = server.rstrip("/")
        self.token = token
        self.timeout = timeout

    @classmethod
    def login(cls, server: str, username: str, password: str, *, otp: str | None = None) -> Client:
        client = cls(server)
        body: dict[str, Any] = {"username": username, "password": password}
        if otp:
            body["otp"] = otp
        client.token = str(client.request("POST", "/auth/token", body)["token"])
        return client

    # --- transport ----------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        """A JSON call: the decoded answer (None when empty)."""
        text = self.download(method, path, body, query, accept="application/json").decode("utf-8")
        return json.loads(text) if text else None

    def download(
        self,
        method: str,
        path: str,
        body: Any = None,
        query: dict[str, Any] | None = None,
        *,
        accept: str = "*/*",
    ) -> bytes:
        """Any call: the raw answer body (files such as the report PDF or the CSV zip)."""
        url = self.server + API_PREFIX + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 (http(s) checked above)
        request.add_header("Accept", accept)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return cast(bytes, response.read())
        except urllib.error.HTTPError as exc:
            raise _error_from(exc) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ApiError(0, "client.unreachable", f"cannot reach {self.server}: {reason}", "--server") from None

    # --- endpoints ----------------------------------------------------------------------------------

    def me(self) -> dict[str, Any]:
        return cast(dict[str, Any], self.request("GET", "/me"))

    def patients(self) -> list[PatientInfo]:
        return cast(list[PatientInfo], self.request("GET", "/patients")["items"])

    def find_patient(self, id_or_username: str) -> PatientInfo:
        """The patient (visible to this token) with this id or username."""
        for patient in self.patients():
            if id_or_username in (patient["id"], patient["username"]):
                return patient
        raise ApiError(404, "not_found", f"no patient {id_or_username!r} visible to this token", "--patient")

    def fhir_bundle(self, patient_id: str) -> dict[str, Any]:
        return cast(dict[str, Any], self.request("GET", f"/patients/{patient_id}/fhir"))

    def fhir_import_labs(self, patient_id: str, bundle: Any) -> ImportReport:
        return cast(ImportReport, self.request("POST", f"/patients/{patient_id}/fhir", bundle))

    def labs(self, patient_id: str, **query: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self.request("GET", f"/patients/{patient_id}/labs", query=query))

    def flags(self, *, include_acknowledged: bool = False) -> dict[str, Any]:
        query = {"include_acknowledged": "true"} if include_acknowledged else None
        return cast(dict[str, Any], self.request("GET", "/flags", query=query))

    def cds_cards(self, patient_id: str, *, user_id: str = "Practitioner/painwise-client") -> list[Card]:
        import uuid

        body = {
            "hook": "patient-view",
            "hookInstance": str(uuid.uuid4()),
            "context": {"userId": user_id, "patientId": patient_id},
        }
        return cast(list[Card], self.request("POST", "/cds-services/painwise-open-flags", body)["cards"])

    def report(
        self, patient_id: str, *, start: dt.date | None = None, end: dt.date | None = None, format: str = "pdf"
    ) -> bytes:
        """The visit report (PDF, or HTML with format="html"); no dates: the last 90 days."""
        query = {"from": _iso(start), "to": _iso(end), "format": format}
        return self.download("GET", f"/patients/{patient_id}/report", query=query)

    def csv_export(self, patient_id: str, *, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
        """The CSV export (a zip); no dates: the last 90 days."""
        return self.download("GET", f"/patients/{patient_id}/csv", query={"from": _iso(start), "to": _iso(end)})

    def research_consent(self) -> ResearchConsent:
        """The consent text in force and my decision (patients)."""
        return cast(ResearchConsent, self.request("GET", "/me/research-consent"))

    def set_research_consent(self, decision: str, version: str) -> ResearchConsent:
        """Opt in or out ("opt_in" / "opt_out") on the text of `version` (from research_consent())."""
        body = {"decision": decision, "version": version}
        return cast(ResearchConsent, self.request("PUT", "/me/research-consent", body))


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _error_from(exc: urllib.error.HTTPError) -> ApiError:
    try:
        error = json.loads(exc.read().decode("utf-8"))["error"]
        return ApiError(exc.code, str(error["code"]), str(error["message"]), error.get("field"))
    except (ValueError, KeyError, TypeError):
        return ApiError(exc.code, "http.error", f"HTTP {exc.code} {exc.reason}")
