"""Validation of treatment-plan items (therapies). painwise records plans; it never proposes doses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from painwise.core.diary import DOSE_UNITS, check_choice, check_number_range, check_text, require
from painwise.core.vocabularies import AlkaloidSource, DrugClass, KratomForm, TherapyKind

THERAPY_KINDS = TherapyKind.values()
KRATOM_FORMS = KratomForm.values()
DRUG_CLASSES = DrugClass.values()
ALKALOID_SOURCES = AlkaloidSource.values()


def validate_therapy(data: Mapping[str, object], today: dt.date) -> None:
    kind = data.get("kind")
    check_choice(kind, THERAPY_KINDS, "kind")
    name = data.get("name")
    require(isinstance(name, str) and bool(name.strip()), "plan.missing", "name is required", "name")
    check_text(name, 200, "name")
    check_text(data.get("notes"), 2000, "notes")
    start, stop = data.get("start_date"), data.get("stop_date")
    require(isinstance(start, dt.date), "plan.missing", "start_date is required", "start_date")
    require(start <= today + dt.timedelta(days=366), "plan.out_of_range", "start_date is too far ahead", "start_date")  # type: ignore[operator]
    if stop is not None:
        require(stop >= start, "plan.out_of_range", "stop_date is before start_date", "stop_date")  # type: ignore[operator]
    if kind == TherapyKind.KRATOM:
        check_choice(data.get("form"), KRATOM_FORMS, "form")
        check_choice(data.get("unit"), DOSE_UNITS, "unit")
        check_text(data.get("strain"), 40, "strain")
        check_number_range(data.get("leaf_g_per_unit"), 0.001, 1000, "leaf_g_per_unit", optional=True)
        check_number_range(data.get("mitragynine_mg_per_g"), 0, 1000, "mitragynine_mg_per_g", optional=True)
        if data.get("unit") == "g" and data.get("leaf_g_per_unit") not in (None, ""):
            require(
                Decimal(str(data["leaf_g_per_unit"])) == 1,
                "plan.out_of_range",
                "a product counted in grams has 1 g of product per unit",
                "leaf_g_per_unit",
            )
        check_number_range(data.get("seven_oh_mg_per_unit"), 0, 1000, "seven_oh_mg_per_unit", optional=True)
        has_content = any(data.get(f) not in (None, "") for f in ("mitragynine_mg_per_g", "seven_oh_mg_per_unit"))
        source = data.get("alkaloid_source") or ""
        if source:
            check_choice(source, ALKALOID_SOURCES, "alkaloid_source")
            require(has_content, "plan.missing", "alkaloid_source needs an alkaloid content", "alkaloid_source")
    else:
        for field in ("form", "leaf_g_per_unit", "mitragynine_mg_per_g", "seven_oh_mg_per_unit", "alkaloid_source"):
            require(data.get(field) in (None, ""), "plan.not_applicable", f"{field} applies to kratom only", field)
        require(
            not data.get("concentrated_7oh"),
            "plan.not_applicable",
            "concentrated_7oh applies to kratom only",
            "concentrated_7oh",
        )
    if kind in (TherapyKind.MEDICATION, TherapyKind.SUPPLEMENT) and data.get("drug_class"):
        check_choice(data.get("drug_class"), DRUG_CLASSES, "drug_class")
