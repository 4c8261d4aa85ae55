"""Validation of resources against the FHIR R4 models (fhir.resources' R4B package, wire-compatible
with R4 for the resources painwise uses). The models check structure and datatypes; they do not
enforce code bindings, so painwise checks the codes it reads itself (painwise.core.fhir.read)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError


def validation_error(resource: Mapping[str, Any]) -> str | None:
    """None when `resource` is a valid FHIR R4 resource, else the first problem in words."""
    kind = resource.get("resourceType")
    try:
        model = get_fhir_model_class(str(kind))
    except (KeyError, ValueError, AttributeError, LookupError):
        return f"unknown resourceType {kind!r}"
    try:
        model.model_validate(dict(resource))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
    except (TypeError, ValueError) as exc:
        return str(exc)
    return None
