"""After "Load more" on the timeline, keyboard focus lands on the first newly loaded entry; chart text
on a 390 px phone renders at a legible size."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def alice(transactional_db):
    from django.utils import timezone

    from painwise.accounts.models import User
    from painwise.diary.services import diary_record_create
    from painwise.patients.services import patient_create

    user = User.objects.create_user(username="alice", password=PASSWORD, role="patient")
    patient = patient_create(
        actor=user, user=user, date_of_birth=dt.date(1980, 5, 1), sex_at_birth="female", time_zone="Europe/London"
    )
    for i in range(25):
        when = timezone.now() - dt.timedelta(hours=i + 1)
        data = {"occurred_at": when, "body_site": "neck", "nrs": i % 11}
        diary_record_create(actor=user, patient=patient, kind="pain_entries", data=data)
    return user


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def test_load_more_moves_focus_to_the_first_new_entry_and_chart_text_is_legible(live_server, page, alice):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="My diary").wait_for()
    # The pain chart's labels: font-size in viewBox units times the drawn/viewBox width ratio.
    px = page.evaluate(
        """() => { const svg = document.querySelector('svg.chart'); const t = svg.querySelector('text');
        const ratio = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(t).fontSize) * ratio; }"""
    )
    assert px >= 10.5
    assert page.locator("#timeline-list li.entry").count() == 20
    page.get_by_role("link", name="Load more").focus()
    page.keyboard.press("Enter")
    page.locator("#timeline-list li.entry").nth(24).wait_for()
    expect(page.locator("#timeline-list li[data-page-cursor]")).to_be_focused()
    focused_index = page.evaluate(
        "Array.from(document.querySelectorAll('#timeline-list li.entry')).indexOf(document.activeElement)"
    )
    assert focused_index == 20  # the first of the five new entries
