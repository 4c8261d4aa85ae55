"""Extra sections of the export format contributed by other apps (e.g. labs: `lab_results`).

An app registers a Section; export asks it for its records, import hands it the validated list.
Keeping this a registry lets the format grow without the exchange package importing every app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from painwise.patients.models import Patient


@dataclass(frozen=True)
class Section:
    key: str
    export: Callable[[Patient], list[dict[str, Any]]]
    # Called inside the import transaction; raise DomainError with field=f"{key}[i].name" on bad input.
    load: Callable[[Patient, list[dict[str, Any]]], None]


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    SECTIONS[section.key] = section
