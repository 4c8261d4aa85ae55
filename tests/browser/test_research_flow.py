"""Rita, a researcher, builds a cohort of consenting (synthetic) patients; the page moves through each step by
itself (HTMX) and ends on the results, with the caveat and a download link, and no CSP errors."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def rita(transactional_db, settings, tmp_path):
    from painwise.accounts.models import User
    from painwise.core.synth import generate_cohort
    from painwise.exchange.importer import import_patient
    from painwise.research.consent import CONSENT_VERSION
    from painwise.research.services import research_consent_set

    settings.RESEARCH_DIR = tmp_path / "research"
    for doc in generate_cohort(5, 0.5, 2, end_date=dt.date(2026, 10, 31)).patients:
        patient = import_patient(doc)
        research_consent_set(actor=patient.user, patient=patient, decision="opt_in", version=CONSENT_VERSION)
    return User.objects.create_user(username="rita", password=PASSWORD, role="researcher")


def test_it_builds_a_cohort_with_progress_and_shows_the_results(live_server, page, rita):
    csp_errors: list[str] = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Research").first.click()
    page.get_by_role("button", name="Build cohort and run analyses").click()
    page.get_by_text("Read this first").wait_for(timeout=180_000)
    content = page.content()
    assert "<strong>5</strong> consenting patients, de-identified" in content
    assert "ferritin_exposure" in content and "not proof of cause" in content
    assert page.get_by_role("link", name="Download the export", exact=False).count() == 1
    assert not csp_errors
