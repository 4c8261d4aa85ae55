"""Crisis resources shown to a patient at once after a positive PHQ-9 item 9 (clinical_reference.md §1c).

Pure data, no Django: the edge picks the country (setting PAINWISE_CRISIS_COUNTRY, see
docs/questionnaires.md) and may pass its own table. Every list ends with the generic "call your local
emergency number" entry, so even an unknown country shows something a person can act on.

    from painwise.core.crisis import resources_for
    [r.name for r in resources_for("UK")]  # ["Samaritans", "Emergency services"]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_COUNTRY = "US"


@dataclass(frozen=True)
class CrisisResource:
    name: str
    how: str  # what to do, in one line a frightened person can follow
    phone: str | None = None  # digits for a tel: link
    url: str | None = None

    @property
    def tel(self) -> str | None:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+") if self.phone else None

    def to_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "how": self.how, "phone": self.phone, "url": self.url}


def emergency(number: str | None = None) -> CrisisResource:
    if number is None:
        return CrisisResource("Emergency services", "If you are in immediate danger, call your local emergency number.")
    return CrisisResource("Emergency services", f"If you are in immediate danger, call {number}.", number)


# Checked against the services' own pages when written; a deployment should re-check before release.
DEFAULT_RESOURCES: Mapping[str, tuple[CrisisResource, ...]] = {
    "US": (
        CrisisResource(
            "988 Suicide & Crisis Lifeline",
            "Call or text 988, any time, day or night.",
            "988",
            "https://988lifeline.org",
        ),
        emergency("911"),
    ),
    "GB": (
        CrisisResource(
            "Samaritans", "Call 116 123 free, any time, day or night.", "116 123", "https://www.samaritans.org"
        ),
        emergency("999"),
    ),
    "CA": (
        CrisisResource(
            "9-8-8 Suicide Crisis Helpline", "Call or text 988, any time, day or night.", "988", "https://988.ca"
        ),
        emergency("911"),
    ),
    "AU": (
        CrisisResource("Lifeline", "Call 13 11 14, any time, day or night.", "13 11 14", "https://www.lifeline.org.au"),
        emergency("000"),
    ),
    "IE": (
        CrisisResource(
            "Samaritans", "Call 116 123 free, any time, day or night.", "116 123", "https://www.samaritans.org/ireland"
        ),
        emergency("112 or 999"),
    ),
}

# Common names people type for the same country code.
ALIASES = {"UK": "GB", "USA": "US"}


def normalise_country(country: str) -> str:
    code = country.strip().upper()
    return ALIASES.get(code, code)


def is_known(country: str, table: Mapping[str, tuple[CrisisResource, ...]] = DEFAULT_RESOURCES) -> bool:
    return normalise_country(country) in table


def resources_for(
    country: str, table: Mapping[str, tuple[CrisisResource, ...]] = DEFAULT_RESOURCES
) -> list[CrisisResource]:
    """The country's resources; an unknown country still gets the generic emergency entry, never nothing."""
    found = list(table.get(normalise_country(country), ()))
    if not any(resource.name == "Emergency services" for resource in found):
        found.append(emergency())
    return found
