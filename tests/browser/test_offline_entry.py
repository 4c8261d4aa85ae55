"""Alice loses her connection, records entries on her phone, comes back online: each entry is stored
exactly once, at the time she recorded it, even when the sync is retried."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.test_accessibility import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice(transactional_db):
    from painwise.accounts.models import User
    from painwise.patients.services import patient_create

    user = User.objects.create_user(username="alice", password="correct-horse-battery-staple", role="patient")
    patient_create(
        actor=user, user=user, date_of_birth=dt.date(1980, 5, 1), sex_at_birth="female", time_zone="Europe/London"
    )
    return user


def record_pain(page, site: str, score: str) -> None:
    page.get_by_label("Where").select_option(site)
    page.locator("#field-nrs label", has_text=score).first.click()
    page.get_by_role("button", name="Save pain entry").click()


def test_entries_made_offline_are_stored_exactly_once_when_back_online(live_server, browser, alice):
    from painwise.diary.models import CheckIn, PainEntry

    context = browser.new_context(viewport=PHONE)
    sign_in(context, live_server, alice)
    page = context.new_page()
    page.goto(live_server.url + "/")
    # Poll from the driver: page-side polling (wait_for_function) needs eval, which the CSP forbids.
    for _ in range(100):
        if page.evaluate("window.painwiseOffline !== undefined"):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the offline queue script never loaded")

    context.set_offline(True)
    record_pain(page, "neck", "6")
    page.locator("#offline-status", has_text="1 entry saved on this device").wait_for()
    record_pain(page, "knee_left", "3")
    page.locator("#offline-status", has_text="2 entries saved on this device").wait_for()
    assert PainEntry.objects.count() == 0  # nothing reached the server

    context.set_offline(False)  # the browser fires "online": the queue is sent
    pending = page.evaluate("window.painwiseOffline.pending()")
    for _ in range(50):
        if not pending:
            break
        page.wait_for_timeout(200)
        pending = page.evaluate("window.painwiseOffline.pending()")
    assert pending == []
    page.locator("#offline-status").wait_for(state="hidden")
    entries = {(e.body_site, e.nrs) for e in PainEntry.objects.all()}
    assert entries == {("neck", 6), ("knee_left", 3)} and PainEntry.objects.count() == 2

    # A retried sync (the answer was lost on the way back) must not store a copy.
    stored = PainEntry.objects.filter(body_site="neck").first()
    assert stored is not None
    when = stored.occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M")  # London is UTC+0 in November
    answer = page.evaluate(
        """async ([id, when]) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const headers = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": token,
                             "X-Painwise-Sync": "1"};
            const body = new URLSearchParams({client_id: id, body_site: "neck", nrs: "6", occurred_at: when});
            const r = await fetch("/diary/pain/new/", {method: "POST", credentials: "same-origin", headers, body});
            return [r.status, (await r.json()).status];
        }""",
        [str(stored.id), when],
    )
    assert answer == [200, "duplicate"] and PainEntry.objects.count() == 2
    assert CheckIn.objects.count() == 0
    context.close()
