"""Crisis lines follow the patient's country, and every list says which country its numbers are for."""

import uuid

import pytest
from django.test import override_settings
from django.urls import reverse

from painwise.core.countries import COUNTRIES, country_for_zone
from painwise.patients.models import Patient
from painwise.questionnaires.config import crisis_for
from tests.personas import logged_in
from tests.questionnaires.helpers import PHQ9_ITEM9_POSITIVE, phq9_form

pytestmark = pytest.mark.django_db

FILL_PHQ9 = reverse("questionnaires:fill", args=["phq9"])


def positive_phq9_page(cast) -> str:
    return logged_in(cast.alice).post(FILL_PHQ9, phq9_form(PHQ9_ITEM9_POSITIVE, str(uuid.uuid4()))).content.decode()


def set_country(cast, code):
    Patient.objects.filter(id=cast.alice_patient.id).update(country=code)


def test_a_london_patient_sees_samaritans_not_988(cast):
    set_country(cast, "GB")
    page = positive_phq9_page(cast)
    assert 'href="tel:116123"' in page and "call 999" in page
    assert "988" not in page and "911" not in page
    assert "Numbers for United Kingdom (the country in your profile)." in page


def test_without_a_country_the_time_zone_decides_and_the_page_says_so(cast):
    # alice lives in Europe/London and gave no country (an account an admin created).
    page = positive_phq9_page(cast)
    assert 'href="tel:116123"' in page and "988" not in page
    assert "from your time zone, Europe/London; set your country in your profile" in page


def test_a_country_without_listed_lines_gets_the_generic_entry_and_a_note(cast):
    set_country(cast, "DE")
    page = positive_phq9_page(cast)
    assert "painwise has no crisis line listed for Germany" in page
    assert "call your local emergency number" in page and "988" not in page and "116 123" not in page


@override_settings(PAINWISE_CRISIS_COUNTRY="US")
def test_the_deployment_default_is_named_when_nothing_else_is_known(db):
    info = crisis_for("", "UTC")
    assert info.country == "US" and "988" in [r.phone for r in info.resources]
    assert info.note.startswith("Numbers for United States, this service's default country.")


def test_the_public_crisis_page_names_the_country_and_offers_others(client):
    page = client.get(reverse("questionnaires:crisis")).content.decode()
    assert "this service&#x27;s default country" in page and 'href="tel:988"' in page
    australia = client.get(reverse("questionnaires:crisis") + "?country=au").content.decode()
    assert "Numbers for Australia." in australia and 'href="tel:131114"' in australia and "988" not in australia


def test_a_patient_sees_their_own_country_on_the_crisis_page(cast):
    set_country(cast, "IE")
    page = logged_in(cast.alice).get(reverse("questionnaires:crisis")).content.decode()
    assert "Numbers for Ireland (the country in your profile)." in page


def test_every_time_zone_country_is_a_known_country():
    assert country_for_zone("Europe/London") == "GB" and country_for_zone("UTC") == ""
    assert country_for_zone("Australia/Sydney") == "AU" and len(COUNTRIES) >= 249
