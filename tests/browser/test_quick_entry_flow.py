"""Alice, on her phone, logs in, records her pain with the quick entry, and sees it on chart and timeline."""

from __future__ import annotations

import datetime as dt
import os

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def alice(transactional_db):
    from painwise.accounts.models import User
    from painwise.patients.services import patient_create

    user = User.objects.create_user(username="alice", password=PASSWORD, role="patient")
    patient_create(
        actor=user, user=user, date_of_birth=dt.date(1980, 5, 1), sex_at_birth="female", time_zone="Europe/London"
    )
    return user


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE}


def test_it_adds_a_pain_entry_from_the_phone_and_shows_it(live_server, page, alice):
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="My diary").wait_for()
    assert "add your first one above" in page.locator("#chart-panel").inner_text()

    page.get_by_label("Where").select_option("lower_back")
    page.locator("#field-nrs label", has_text="7").click()
    with page.expect_response(lambda r: "/diary/pain/new/" in r.url) as answer:
        page.get_by_role("button", name="Save pain entry").click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"  # swapped in place, no full reload

    page.locator(".saved").wait_for()
    assert "Pain 7/10" in page.locator("#timeline").inner_text()
    assert page.locator("#chart-panel svg.chart path.chart-max").count() == 1
    assert "pain recorded on 1 days" in page.locator("#chart-panel").inner_text()

    # Bad input: the service's message sits next to the field and nothing is stored.
    page.get_by_label("Where").select_option("neck")
    page.get_by_role("button", name="Save pain entry").click()
    page.locator("#field-nrs .field-error").wait_for()
    assert page.locator("#timeline .entry").count() == 1

    # Phone layout: nothing wider than the screen, and the htmx script and styles loaded under the CSP.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("getComputedStyle(document.querySelector('.card')).borderRadius") == "10px"
    assert csp_errors == []
    if os.environ.get("PAINWISE_SCREENSHOTS"):
        page.screenshot(path=os.environ["PAINWISE_SCREENSHOTS"] + "/phone-dashboard.png", full_page=True)
