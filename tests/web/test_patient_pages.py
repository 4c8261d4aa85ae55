"""Alice keeps her diary in the browser: dashboard, quick entry, chart window, timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from painwise.diary.models import DoseEvent, PainEntry, SideEffect, TherapySession
from painwise.diary.services import diary_record_create
from tests.personas import logged_in

pytestmark = pytest.mark.django_db


def add_pain(cast, nrs=5, when=None, site="lower_back"):
    return diary_record_create(
        actor=cast.alice,
        patient=cast.alice_patient,
        kind="pain_entries",
        data={"occurred_at": when or timezone.now(), "body_site": site, "nrs": nrs},
    )


def test_it_shows_alice_her_own_dashboard_with_empty_states(cast):
    response = logged_in(cast.alice).get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "My diary" in html
    assert "No pain entries yet in this window — add your first one above." in html
    assert "Nothing in your diary yet" in html
    assert 'name="nrs"' in html


def test_it_shows_entries_on_the_chart_and_timeline(cast):
    add_pain(cast, nrs=7, site="neck")
    add_pain(cast, nrs=3, when=timezone.now() - dt.timedelta(days=2))
    html = logged_in(cast.alice).get(reverse("web:home")).content.decode()
    assert "<svg" in html and 'class="chart-max"' in html
    assert "Pain 7/10" in html and "neck" in html
    assert "pain recorded on 2 days" in html


def test_it_saves_a_pain_entry_by_plain_post_and_redirects(cast):
    client = logged_in(cast.alice)
    response = client.post(reverse("web:entry_create", args=["pain"]), {"body_site": "knee_left", "nrs": "6"})
    assert response.status_code == 302
    entry = PainEntry.objects.get(patient=cast.alice_patient)
    assert (entry.body_site, entry.nrs) == ("knee_left", 6)
    assert abs(entry.occurred_at - timezone.now()) < dt.timedelta(minutes=1)
    assert "Saved your pain entry." in client.get(response["Location"]).content.decode()


def test_it_back_dates_in_the_patients_own_time_zone(cast):
    # Alice lives in Europe/London; 10:00 local on 1 July is 09:00 UTC (BST).
    year = timezone.now().year - 1
    client = logged_in(cast.alice)
    client.post(
        reverse("web:entry_create", args=["pain"]),
        {"body_site": "head", "nrs": "4", "occurred_at": f"{year}-07-01T10:00"},
    )
    entry = PainEntry.objects.get(patient=cast.alice_patient)
    assert entry.occurred_at == dt.datetime(year, 7, 1, 9, 0, tzinfo=dt.UTC)


def test_it_shows_the_services_message_for_nrs_11_and_stores_nothing(cast):
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["pain"]), {"body_site": "neck", "nrs": "11"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    # The form names the field by its label; the API keeps the field name (nrs).
    assert "“Pain now” must be from 0 to 10, got 11" in html and "nrs must be" not in html
    assert 'id="field-nrs"' in html and "has-error" in html
    assert not PainEntry.objects.exists()


def test_it_rejects_a_future_time_next_to_the_when_field(cast):
    future = (timezone.now() + dt.timedelta(days=1)).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["pain"]), {"body_site": "neck", "nrs": "5", "occurred_at": future}
    )
    assert response.status_code == 422
    html = response.content.decode()
    field = html[html.index('id="field-occurred_at"') :]
    assert "“When” is in the future" in field[: field.index("</div>")]
    assert not PainEntry.objects.exists()


def test_it_answers_htmx_errors_with_just_the_form(cast):
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["pain"]), {"body_site": "nowhere", "nrs": "3"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert "“Where” must be one of" in html
    assert not PainEntry.objects.exists()


def test_it_answers_htmx_saves_with_form_chart_and_timeline_out_of_band(cast):
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["pain"]), {"body_site": "neck", "nrs": "8"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="quick-entry"' in html
    assert html.count('hx-swap-oob="true"') == 2
    assert "Pain 8/10" in html
    assert PainEntry.objects.filter(nrs=8).count() == 1


def test_it_records_a_dose_against_alices_product(cast):
    client = logged_in(cast.alice)
    response = client.post(
        reverse("web:entry_create", args=["dose"]),
        {"product_id": str(cast.kratom.id), "amount": "2", "unit": "capsule", "status": "taken"},
    )
    assert response.status_code == 302
    dose = DoseEvent.objects.get()
    assert (dose.product_id, dose.amount, dose.status) == (cast.kratom.id, 2, "taken")


def test_it_refuses_a_dose_against_someone_elses_product(cast):
    from painwise.treatment.services import therapy_create

    daves = therapy_create(
        actor=cast.dave,
        patient=cast.dave_patient,
        data={
            "kind": "kratom",
            "name": "Dave's",
            "start_date": dt.date(2024, 1, 1),
            "form": "leaf_powder",
            "unit": "g",
        },
    )
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["dose"]),
        {"product_id": str(daves.id), "amount": "2", "unit": "g", "status": "taken"},
    )
    assert response.status_code == 422
    assert "not one of this patient&#x27;s kratom products" in response.content.decode()
    assert not DoseEvent.objects.exists()


def test_it_records_a_session_and_a_graded_hair_shedding(cast):
    client = logged_in(cast.alice)
    client.post(
        reverse("web:entry_create", args=["session"]),
        {"modality": "mindfulness", "minutes": "20", "status": "done", "home_practice": "on"},
    )
    client.post(
        reverse("web:entry_create", args=["side-effect"]),
        {"kind": "hair_shedding", "ctcae_grade": "1", "severity": "mild"},
    )
    session = TherapySession.objects.get()
    assert (session.modality, session.minutes, session.home_practice) == ("mindfulness", 20, True)
    effect = SideEffect.objects.get()
    assert (effect.kind, effect.ctcae_grade) == ("hair_shedding", 1)


def test_it_refuses_a_ctcae_grade_on_anything_but_hair_shedding(cast):
    response = logged_in(cast.alice).post(
        reverse("web:entry_create", args=["side-effect"]), {"kind": "nausea", "ctcae_grade": "2"}
    )
    assert response.status_code == 422
    assert "“Hair shedding grade” applies to hair shedding only" in response.content.decode()
    assert not SideEffect.objects.exists()


def test_it_never_bands_exposure_or_suggests_a_dose(cast):
    for day in range(5):
        diary_record_create(
            actor=cast.alice,
            patient=cast.alice_patient,
            kind="dose_events",
            data={
                "occurred_at": timezone.now() - dt.timedelta(days=day),
                "product_id": cast.kratom.id,
                "amount": 4,
                "unit": "capsule",
                "status": "taken",
            },
        )
    html = logged_in(cast.alice).get(reverse("web:home") + "?entry=dose").content.decode().lower()
    for word in (
        "low exposure",
        "moderate exposure",
        "high exposure",
        "recommended",
        "suggested dose",
        "you should take",
    ):
        assert word not in html
    assert 'name="amount"' in html and 'name="amount" value' not in html  # amount is never prefilled


def test_it_switches_the_chart_window_with_htmx(cast):
    add_pain(cast, nrs=6, when=timezone.now() - dt.timedelta(days=200))
    client = logged_in(cast.alice)
    short = client.get(reverse("web:chart") + "?window=30", HTTP_HX_REQUEST="true").content.decode()
    year = client.get(reverse("web:chart") + "?window=365", HTTP_HX_REQUEST="true").content.decode()
    assert "No pain entries yet in this window" in short
    assert "pain recorded on 1 days" in year and "<html" not in year


def test_it_pages_the_timeline_without_losing_or_repeating_entries(cast):
    moment = timezone.now() - dt.timedelta(hours=1)
    for i in range(25):  # all at the same instant: the cursor's tie-break must still be exact
        add_pain(cast, nrs=i % 11, when=moment)
    client = logged_in(cast.alice)
    first = client.get(reverse("web:home")).content.decode()
    assert first.count('class="entry entry-pain_entries"') == 20
    start = first.index('hx-get="/diary/timeline/?cursor=') + len('hx-get="')
    url = first[start : first.index('"', start)].replace("&amp;", "&")
    more = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert more.count('class="entry entry-pain_entries"') == 5
    assert "Load more" not in more


def test_it_redirects_anonymous_visitors_to_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_it_keeps_clinicians_out_of_the_patient_entry_endpoint(cast):
    response = logged_in(cast.bob).post(reverse("web:entry_create", args=["pain"]), {"body_site": "neck", "nrs": "5"})
    assert response.status_code == 403
    assert not PainEntry.objects.exists()
