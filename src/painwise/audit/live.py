"""Live records: the one place that knows what "not deleted" means (DESIGN.md data rules).

Every soft-deletable model (diary records, plan items, lab results, pain conditions) uses
`LiveQuerySet.as_manager()`, so `Model.objects.live()` is the only filter on `deleted_at` outside
`soft_delete()`, which sets it. `live_one()` is the one lookup of a single live record; it takes an
explicit `for_update` so that no app can differ by default (row locks need a transaction, which a
plain read request does not open).
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.db import models

from painwise.core.errors import NotFound

_M = TypeVar("_M", bound=models.Model)


class LiveQuerySet(models.QuerySet[_M]):
    def live(self) -> LiveQuerySet[_M]:
        """Records not soft-deleted."""
        return self.filter(deleted_at__isnull=True)


def live_one(
    queryset: LiveQuerySet[_M], patient: Any, record_id: uuid.UUID | str, *, for_update: bool, label: str
) -> _M:
    """The patient's live record `record_id` from `queryset`, locked when `for_update`, or NotFound(label)."""
    try:
        key = uuid.UUID(str(record_id))
    except ValueError as exc:
        raise NotFound(label) from exc
    records = queryset.live().filter(patient=patient, id=key)
    record = (records.select_for_update() if for_update else records).first()
    if record is None:
        raise NotFound(label)
    return record
