"""Settings this app reads, each with a laptop-friendly default (docs/questionnaires.md, "Settings").

The environment is read only in painwise.settings (through painwise.env, so a malformed value fails
loudly); this module reads Django settings, which tests and deployments can override.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from painwise.core.countries import country_for_zone, country_name
from painwise.core.crisis import DEFAULT_COUNTRY, DEFAULT_RESOURCES, CrisisResource, normalise_country, resources_for
from painwise.env import SettingError

# "OTHER": a deployment outside the listed countries shows only the generic emergency entry until it
# configures PAINWISE_CRISIS_RESOURCES for its country.
GENERIC_COUNTRY = "OTHER"


def crisis_country() -> str:
    value = getattr(settings, "PAINWISE_CRISIS_COUNTRY", None) or DEFAULT_COUNTRY
    return normalise_country(str(value))


def crisis_table() -> Mapping[str, tuple[CrisisResource, ...]]:
    """The default table, with any countries replaced or added by the PAINWISE_CRISIS_RESOURCES setting.

    PAINWISE_CRISIS_RESOURCES = {"NZ": [{"name": "1737", "how": "Call or text 1737.", "phone": "1737"}]}
    """
    table = dict(DEFAULT_RESOURCES)
    extra: Any = getattr(settings, "PAINWISE_CRISIS_RESOURCES", None) or {}
    for country, entries in extra.items():
        try:
            table[normalise_country(country)] = tuple(CrisisResource(**entry) for entry in entries)
        except TypeError as exc:
            raise SettingError(
                f"PAINWISE_CRISIS_RESOURCES[{country!r}] entries need name and how (optional phone, url): {exc}"
            ) from exc
    return table


def crisis_resources() -> list[CrisisResource]:
    return resources_for(crisis_country(), crisis_table())


@dataclass(frozen=True)
class CrisisInfo:
    """Crisis resources for one country, and the sentence that says which country they are for."""

    country: str
    resources: list[CrisisResource]
    note: str


def crisis_for(country: str = "", time_zone: str = "") -> CrisisInfo:
    """Crisis resources for the patient's own country: the profile's (asked at sign-up), else the
    country of their time zone, else the deployment's default. The note always names the country, so
    nobody is shown another country's numbers without being told."""
    table = crisis_table()
    if country:
        return _for_country(normalise_country(country), table, "the country in your profile")
    zone_country = country_for_zone(time_zone) if time_zone else ""
    if zone_country:
        return _for_country(zone_country, table, f"from your time zone, {time_zone}; set your country in your profile")
    code = crisis_country()
    if code not in table:
        return CrisisInfo(code, resources_for(code, table), "Call your local emergency number.")
    return CrisisInfo(
        code,
        resources_for(code, table),
        f"Numbers for {country_name(code)}, this service's default country. If you are elsewhere, "
        "call your local emergency number.",
    )


def _for_country(code: str, table: Mapping[str, tuple[CrisisResource, ...]], why: str) -> CrisisInfo:
    name = country_name(code)
    if code in table:
        return CrisisInfo(code, resources_for(code, table), f"Numbers for {name} ({why}).")
    return CrisisInfo(
        code,
        resources_for(GENERIC_COUNTRY, table),
        f"painwise has no crisis line listed for {name} ({why}): call your local emergency number.",
    )


def check_settings() -> None:
    """Called at start-up: a typo in the country must not surface only when a patient is in crisis."""
    country, table = crisis_country(), crisis_table()
    if country != GENERIC_COUNTRY and country not in table:
        known = ", ".join([*sorted(table), GENERIC_COUNTRY])
        raise SettingError(
            f"PAINWISE_CRISIS_COUNTRY={country!r} has no crisis resources; use one of {known}, "
            "or add the country to PAINWISE_CRISIS_RESOURCES"
        )
    require_all_items()


def require_all_items() -> bool:
    """Web forms require every item by default; PHQ-9 item 9 is required whatever this says (§1c)."""
    return bool(getattr(settings, "PAINWISE_QUESTIONNAIRE_REQUIRE_ALL", True))
