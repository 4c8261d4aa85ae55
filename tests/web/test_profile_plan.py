"""Alice runs her own profile and plan on the web; a newcomer signs up; every change is audited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from painwise.accounts.models import User
from painwise.audit.models import AuditEvent
from painwise.diary.services import diary_record_create
from painwise.patients.models import PainCondition, Patient
from painwise.treatment.models import Therapy
from tests.personas import logged_in

pytestmark = pytest.mark.django_db

# Words that would invite starting or increasing a product; no plan page may contain them.
NUDGES = ("try kratom", "start kratom", "increase", "take more", "recommended dose", "you should take")


def audited(action, object_type):
    return AuditEvent.objects.filter(action=action, object_type=object_type).count()


def test_it_lets_alice_add_edit_and_end_a_condition_each_audited(cast):
    client = logged_in(cast.alice)
    response = client.post(
        reverse("web:condition_new"),
        {"label": "Low back pain", "icd11_category": "musculoskeletal", "body_sites": ["lower_back"],
         "onset_date": "2023-02-01"},
    )  # fmt: skip
    assert response.status_code == 302
    condition = PainCondition.objects.get(patient=cast.alice_patient)
    assert audited("create", "condition") == 1
    page = client.get(reverse("web:profile")).content.decode()
    assert "Low back pain" in page and "Lower back" in page

    client.post(
        reverse("web:condition_edit", args=[condition.id]),
        {"label": "Low back pain", "icd11_category": "musculoskeletal", "body_sites": ["lower_back"],
         "onset_date": "2023-02-01", "end_date": "2024-06-30"},
    )  # fmt: skip
    condition.refresh_from_db()
    assert condition.end_date == dt.date(2024, 6, 30)
    assert audited("update", "condition") == 1
    assert "ended 30 Jun 2024" in client.get(reverse("web:profile")).content.decode()


def test_it_names_the_label_not_the_internal_field_when_a_condition_is_invalid(cast):
    response = logged_in(cast.alice).post(
        reverse("web:condition_new"),
        {"label": "Knee", "icd11_category": "musculoskeletal", "onset_date": "2023-02-01", "end_date": "2022-01-01"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "“Ended on (optional)” is before “Since when”" in html
    errors = " ".join(re.findall(r'class="field-error"[^>]*>(.*?)</div>', html, re.S))
    assert errors and "end_date" not in errors and "onset_date" not in errors
    assert not PainCondition.objects.filter(patient=cast.alice_patient).exists()


def test_it_deletes_a_condition_entered_in_error_softly(cast):
    client = logged_in(cast.alice)
    client.post(
        reverse("web:condition_new"), {"label": "Typo", "icd11_category": "visceral", "onset_date": "2023-02-01"}
    )
    condition = PainCondition.objects.get(patient=cast.alice_patient)
    client.post(reverse("web:condition_delete", args=[condition.id]))
    condition.refresh_from_db()
    assert condition.deleted_at is not None
    assert audited("delete", "condition") == 1
    assert f'id="condition-{condition.id}"' not in client.get(reverse("web:profile")).content.decode()


def test_it_does_not_let_dave_touch_alices_condition(cast):
    logged_in(cast.alice).post(
        reverse("web:condition_new"), {"label": "Mine", "icd11_category": "visceral", "onset_date": "2023-02-01"}
    )
    condition = PainCondition.objects.get(patient=cast.alice_patient)
    dave = logged_in(cast.dave)
    assert dave.get(reverse("web:condition_edit", args=[condition.id])).status_code == 404
    assert dave.post(reverse("web:condition_delete", args=[condition.id])).status_code == 404
    condition.refresh_from_db()
    assert condition.deleted_at is None


def test_it_adds_a_kratom_product_with_measured_content_and_the_7oh_flag(cast):
    client = logged_in(cast.alice)
    form_page = client.get(reverse("web:plan_new", args=["kratom"])).content.decode()
    assert "concentrated 7-OH product" in form_page and "Measured by a laboratory" in form_page
    response = client.post(
        reverse("web:plan_new", args=["kratom"]),
        {"name": "7-OH tablets", "start_date": "2025-01-10", "form": "7oh", "unit": "capsule",
         "alkaloid_source": "measured", "seven_oh_mg_per_unit": "15", "concentrated_7oh": ""},
    )  # fmt: skip
    assert response.status_code == 302
    item = Therapy.objects.get(patient=cast.alice_patient, name="7-OH tablets")
    # The concentrated form carries the flag whatever the checkbox said.
    assert (item.concentrated_7oh, item.alkaloid_source, float(item.seven_oh_mg_per_unit)) == (True, "measured", 15.0)
    assert item.entered_by == cast.alice
    plan = client.get(reverse("web:plan")).content.decode()
    assert "concentrated 7-OH product" in plan and "measured by a laboratory" in plan


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        ("medication", {"drug_class": "gabapentinoid"}, "Gabapentinoid"),
        ("supplement", {"drug_class": ""}, "Supplement"),
        ("physical_therapy", {}, "Physical therapy"),
        ("cbt", {}, "Cognitive-behavioural therapy"),
        ("mindfulness", {}, "Mindfulness"),
    ],
)
def test_it_adds_every_kind_of_plan_item(cast, kind, extra, expected):
    client = logged_in(cast.alice)
    response = client.post(
        reverse("web:plan_new", args=[kind]), {"name": f"My {kind}", "start_date": "2025-01-10", **extra}
    )
    assert response.status_code == 302
    assert Therapy.objects.filter(patient=cast.alice_patient, kind=kind).count() == 1
    assert expected in client.get(reverse("web:plan")).content.decode()


def test_it_shows_only_the_fields_of_the_kind(cast):
    html = logged_in(cast.alice).get(reverse("web:plan_new", args=["cbt"])).content.decode()
    assert 'name="strain"' not in html and 'name="drug_class"' not in html and 'name="name"' in html
    html = logged_in(cast.alice).get(reverse("web:plan_new", args=["medication"])).content.decode()
    assert 'name="drug_class"' in html and 'name="form"' not in html


def test_it_edits_and_stops_a_plan_item_with_audit(cast):
    client = logged_in(cast.alice)
    client.post(
        reverse("web:plan_edit", args=[cast.kratom.id]),
        {"name": "Green capsules", "start_date": str(cast.kratom.start_date), "form": "capsule", "unit": "capsule",
         "leaf_g_per_unit": "0.5", "alkaloid_source": "labelled", "mitragynine_mg_per_g": "12"},
    )  # fmt: skip
    cast.kratom.refresh_from_db()
    assert (cast.kratom.name, cast.kratom.alkaloid_source) == ("Green capsules", "labelled")
    today = timezone.localdate()
    client.post(reverse("web:plan_stop", args=[cast.kratom.id]), {"stop_date": today.isoformat()})
    cast.kratom.refresh_from_db()
    assert cast.kratom.stop_date == today
    assert audited("update", "therapy") == 2
    plan = client.get(reverse("web:plan")).content.decode()
    assert plan.index("Stopped</h2>") < plan.index(f'id="item-{cast.kratom.id}"')


def test_it_offers_stop_not_delete_for_an_item_with_dose_records(cast):
    diary_record_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        kind="dose_events",
        data={"occurred_at": timezone.now(), "product_id": cast.kratom.id, "amount": 2, "unit": "capsule",
              "status": "taken"},
    )  # fmt: skip
    client = logged_in(cast.alice)
    plan = client.get(reverse("web:plan")).content.decode()
    assert "Has diary records, so it cannot be deleted: stop it instead." in plan
    assert reverse("web:plan_delete", args=[cast.kratom.id]) not in plan
    response = client.post(reverse("web:plan_delete", args=[cast.kratom.id]), follow=True)
    assert "set a stop date instead" in response.content.decode()
    cast.kratom.refresh_from_db()
    assert cast.kratom.deleted_at is None


def test_it_deletes_an_item_entered_in_error(cast):
    client = logged_in(cast.alice)
    client.post(reverse("web:plan_delete", args=[cast.kratom.id]))
    cast.kratom.refresh_from_db()
    assert cast.kratom.deleted_at is not None
    assert audited("delete", "therapy") == 1


def test_it_shows_who_entered_an_item_when_a_clinician_did(cast):
    from painwise.treatment.services import therapy_create

    therapy_create(
        actor=cast.bob,
        patient=cast.alice_patient,
        data={
            "kind": "medication",
            "name": "Duloxetine",
            "start_date": timezone.localdate(),
            "drug_class": "ssri_snri",
        },
    )
    assert "entered by bob" in logged_in(cast.alice).get(reverse("web:plan")).content.decode()


def test_no_plan_page_invites_starting_or_increasing_a_product(cast):
    client = logged_in(cast.alice)
    pages = [reverse("web:plan"), reverse("web:profile")]
    pages += [reverse("web:plan_new", args=[k]) for k in ("kratom", "medication", "cbt")]
    for url in pages:
        html = client.get(url).content.decode().lower()
        for phrase in NUDGES:
            assert phrase not in html, f"{url} says {phrase!r}"


def test_it_keeps_dave_out_of_alices_plan_item(cast):
    dave = logged_in(cast.dave)
    assert dave.get(reverse("web:plan_edit", args=[cast.kratom.id])).status_code == 404
    assert dave.post(reverse("web:plan_stop", args=[cast.kratom.id]), {"stop_date": "2025-01-01"}).status_code == 404
    assert dave.post(reverse("web:plan_delete", args=[cast.kratom.id])).status_code == 404


def test_it_hides_the_kratom_tab_when_alice_says_she_uses_none(cast):
    client = logged_in(cast.alice)
    assert 'href="?entry=dose' in client.get(reverse("web:home")).content.decode()
    response = client.post(
        reverse("web:profile"), {"country": "GB", "time_zone": "Europe/London", "show_kratom_tab": ""}
    )
    assert response.status_code == 302
    patient = Patient.objects.get(id=cast.alice_patient.id)
    assert (patient.show_kratom_tab, patient.country) == (False, "GB")
    assert audited("update", "patient") == 1
    assert 'href="?entry=dose' not in client.get(reverse("web:home")).content.decode()


def test_it_points_to_the_plan_neutrally_when_no_kratom_product_is_recorded(cast):
    cast.kratom.stop_date = timezone.localdate()
    cast.kratom.save()
    html = logged_in(cast.alice).get(reverse("web:home") + "?entry=dose").content.decode()
    assert "No kratom product is recorded in your plan." in html
    assert reverse("web:plan_new", args=["kratom"]) in html and "add a product you use" in html
    assert "Ask your clinician to add it" not in html


def test_it_rejects_an_unknown_time_zone_with_its_label(cast):
    response = logged_in(cast.alice).post(reverse("web:profile"), {"country": "", "time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


# --- sign-up -------------------------------------------------------------------------------------

SIGNUP = {
    "username": "newcomer",
    "password": "a-long-unusual-passphrase",
    "password_again": "a-long-unusual-passphrase",
    "date_of_birth": "1985-03-04",
    "sex_at_birth": "female",
    "country": "GB",
    "time_zone": "Europe/London",
}


def test_it_lets_a_newcomer_sign_up_with_country_and_time_zone(db):
    client = Client()
    assert "Create account" in client.get(reverse("web:signup")).content.decode()
    response = client.post(reverse("web:signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    assert user.role == "patient"
    assert (user.patient.country, user.patient.time_zone) == ("GB", "Europe/London")
    assert AuditEvent.objects.filter(action="signup", actor_id=user.id).count() == 1
    # Signed in straight away.
    assert client.get(reverse("web:profile")).status_code == 200


def test_it_refuses_a_weak_password_at_sign_up_and_stores_nothing(db):
    response = Client().post(reverse("web:signup"), SIGNUP | {"password": "1234567890", "password_again": "1234567890"})
    assert response.status_code == 422
    assert "too common" in response.content.decode() or "entirely numeric" in response.content.decode()
    assert not User.objects.filter(username="newcomer").exists()


def test_it_refuses_a_taken_username(cast):
    response = Client().post(reverse("web:signup"), SIGNUP | {"username": "alice"})
    assert response.status_code == 422
    assert "is taken" in response.content.decode()


@override_settings(SELF_SIGNUP=False)
def test_it_has_no_sign_up_in_a_clinic_run_deployment(db):
    client = Client()
    assert client.get(reverse("web:signup")).status_code == 404
    assert client.post(reverse("web:signup"), SIGNUP).status_code == 404
    assert not User.objects.filter(username="newcomer").exists()
    assert reverse("web:signup") not in client.get(reverse("web:login")).content.decode()
