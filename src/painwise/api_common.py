"""Shared API pieces: error schema, pagination, date filters."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import BeforeValidator

from painwise.core.errors import DomainError

if TYPE_CHECKING:
    from painwise.accounts.models import User

MAX_PAGE_SIZE = 500


def _iso_text_only(value: Any) -> Any:
    # pydantic would read a bare number as a Unix timestamp; a diary time must be written out.
    if not isinstance(value, str | dt.datetime):
        raise ValueError("must be an ISO 8601 date-time string with an offset")
    return value


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso_text_only)]


def _iso_date_only(value: Any) -> Any:
    # pydantic would read 1700000000 (or "1700000000") as a Unix timestamp; the schema says format: date.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A calendar day written out (YYYY-MM-DD); numbers are refused, not read as timestamps.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


def caller(request: HttpRequest) -> User:
    """The API caller that bearer authentication (painwise.accounts.auth) set on `request.auth`."""
    return request.auth  # type: ignore[attr-defined]


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorBody


# Every endpoint declares these so the OpenAPI document lists every status it can answer.
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut}


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(100, ge=1, le=MAX_PAGE_SIZE)
    date_from: IsoDate | None = Field(None, alias="from", description="first local day, inclusive")
    date_to: IsoDate | None = Field(None, alias="to", description="last local day, inclusive")


def paginate(items: QuerySet, query: PageQuery, serialise: Any) -> dict[str, Any]:
    if query.date_from and query.date_to and query.date_from > query.date_to:
        raise DomainError("request.invalid", "from is after to", "from")
    count = items.count()
    start = (query.page - 1) * query.page_size
    page_items = [serialise(item) for item in items[start : start + query.page_size]]
    has_next = start + query.page_size < count
    return {
        "items": page_items,
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next_page": query.page + 1 if has_next else None,
    }
