"""Pages describe only what exists, and demo pages say the planted pattern is fictional."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import resolve, reverse

from painwise.patients.models import Patient
from tests.personas import logged_in

pytestmark = pytest.mark.django_db

NOTE = "fictional effect planted by the data generator"


@pytest.mark.parametrize("persona", ["rita", "adam"])
def test_the_researcher_and_admin_homes_promise_nothing_missing(cast, persona):
    client = logged_in(getattr(cast, persona))
    html = client.get(reverse("web:home")).content.decode()
    assert "through the command line" not in html  # admins manage accounts on the web
    assert "command-line exports for de-identified cohorts" not in html  # they do not exist
    # Every link on the page leads somewhere that exists for this person.
    main = re.search(r"<main.*?</main>", html, re.S)
    assert main is not None
    for href in re.findall(r'href="(/[^"#]*)"', main.group(0)):
        resolve(href.split("?")[0])  # raises Resolver404 for a page that does not exist
        assert client.get(href).status_code in (200, 302), href


def test_the_admin_home_links_the_accounts_and_audit_pages(cast):
    html = logged_in(cast.adam).get(reverse("web:home")).content.decode()
    assert f'href="{reverse("web:admin_accounts")}"' in html and f'href="{reverse("web:admin_audit")}"' in html


@override_settings(DEMO_MODE=True)
def test_demo_pages_of_a_synthetic_patient_say_the_pattern_is_fictional(cast):
    Patient.objects.filter(id=cast.alice_patient.id).update(synthetic=True)
    client = logged_in(cast.alice)
    for url in (reverse("web:home"), reverse("web:diary"), reverse("labs:patient_labs", args=[cast.alice_patient.id])):
        assert NOTE in client.get(url).content.decode(), url
    assert NOTE in logged_in(cast.bob).get(reverse("web:patient_detail", args=[cast.alice_patient.id])).content.decode()


def test_real_patients_and_non_demo_sites_get_no_note(cast):
    assert NOTE not in logged_in(cast.alice).get(reverse("web:home")).content.decode()
    with override_settings(DEMO_MODE=True):
        assert NOTE not in logged_in(cast.alice).get(reverse("web:home")).content.decode()
