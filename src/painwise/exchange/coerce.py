"""JSON values → model field values, strictly: a wrong JSON type is an error naming the path."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.dateparse import parse_date, parse_datetime

from painwise.core.errors import DomainError


def _bad(path: str, what: str) -> DomainError:
    return DomainError("import.invalid_value", f"{path} must be {what}", path)


def coerce(field: models.Field, value: Any, path: str) -> Any:  # type: ignore[type-arg]
    if value is None:
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField):
            return ""
        raise DomainError("import.missing", f"{path} is required", path)
    if isinstance(field, models.DateTimeField):
        parsed = parse_datetime(value) if isinstance(value, str) else None
        if parsed is None:
            raise _bad(path, "an ISO 8601 date-time")
        if parsed.tzinfo is None:
            raise DomainError("import.naive_time", f"{path} needs a time zone offset", path)
        return parsed.astimezone(dt.UTC)
    if isinstance(field, models.DateField):
        try:
            parsed_date = parse_date(value) if isinstance(value, str) else None
        except ValueError:
            parsed_date = None
        if parsed_date is None:
            raise _bad(path, "a date (YYYY-MM-DD)")
        return parsed_date
    if isinstance(field, models.UUIDField | models.ForeignKey):
        try:
            return uuid.UUID(value) if isinstance(value, str) else _raise(path)
        except ValueError as exc:
            raise _bad(path, "a UUID") from exc
    if isinstance(field, models.DecimalField):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(path, "a number")
        return Decimal(str(value))
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise _bad(path, "true or false")
        return value
    if isinstance(field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(path, "a whole number")
        return value
    if isinstance(field, models.CharField | models.TextField):
        if not isinstance(value, str):
            raise _bad(path, "text")
        return value
    if isinstance(field, models.JSONField):
        if not isinstance(value, list):
            raise _bad(path, "a list")
        return value
    raise _bad(path, "a supported value")


def _raise(path: str) -> Any:
    raise _bad(path, "a UUID")


def field_for(model: type[models.Model], name: str) -> models.Field:  # type: ignore[type-arg]
    lookup = name[: -len("_id")] if name.endswith("_id") and name != "id" else name
    return model._meta.get_field(lookup)  # type: ignore[return-value]


def record_shape(raw: Any, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict[str, Any]:
    """The one shape check of an imported record: an object with every `required` key, and no key that
    is neither required nor `optional`. The error names the first offending path."""
    if not isinstance(raw, dict):
        raise DomainError("import.invalid_value", f"{path} must be an object", path)
    unknown = sorted(set(raw) - set(required) - set(optional))
    if unknown:
        field = f"{path}.{unknown[0]}"
        raise DomainError("import.unknown_field", f"{field} is not part of the format", field)
    missing = [key for key in required if key not in raw]
    if missing:
        field = f"{path}.{missing[0]}"
        raise DomainError("import.missing", f"{field} is missing", field)
    return raw


def with_path(exc: DomainError, path: str) -> DomainError:
    """`exc` (from validation of one record) restated with the record's path in the document."""
    field = f"{path}.{exc.field}" if exc.field else path
    return DomainError(exc.code, f"{field}: {exc.message}", field, exc.status)
