"""The one error type the core raises; the edges turn it into the single error shape.

API: {"error": {"code": ..., "message": ..., "field": ...}} with the given HTTP status.
CLI: the message on stderr and a non-zero exit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DomainError(Exception):
    code: str
    message: str
    field: str | None = None
    status: int = 422

    def __str__(self) -> str:
        where = f" (field: {self.field})" if self.field else ""
        return f"{self.message}{where}"

    def as_dict(self) -> dict[str, object]:
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}


class NotFound(DomainError):
    """Raised for records that do not exist *or that the actor may not see*: never reveal which."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(code="not_found", message=f"No such {what}.", field=None, status=404)
