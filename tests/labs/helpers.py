"""Shared pieces of the lab test stories."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.utils import timezone


def labs_url(patient: Any, result_id: Any = None, suffix: str = "") -> str:
    base = f"/api/v1/patients/{patient.id}/labs"
    return f"{base}/{result_id}{suffix}" if result_id else base + suffix


def days_ago(days: float) -> dt.datetime:
    return (timezone.now() - dt.timedelta(days=days)).replace(microsecond=0)


def post_json(client: Any, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def result_body(analyte: str = "ferritin", value: float = 12, unit: str = "ng/mL", **extra: Any) -> dict[str, Any]:
    return {"analyte": analyte, "value": value, "unit": unit, "collected_at": days_ago(3).isoformat(), **extra}
