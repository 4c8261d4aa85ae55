"""Accessibility and polish that a server-side test can pin: contrast of the focus ring and input
borders, error ids linked to their fields, the favicon, offline API docs under the CSP, one-line 403s."""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.personas import logged_in

CSS = (Path(__file__).resolve().parents[2] / "src/painwise/web/static/web/app.css").read_text()


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def css_var(name: str) -> str:
    found = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS)
    assert found, name
    return found.group(1)


@pytest.mark.parametrize("background", ["#ffffff", "#f6f7f9"])
def test_the_focus_ring_and_input_borders_reach_3_to_1(background):
    # WCAG 2.2 1.4.11 non-text contrast: 3:1 against what they sit on (white cards, the page).
    assert contrast(css_var("focus"), background) >= 3
    assert contrast(css_var("input-border"), background) >= 3
    assert "#9aa5b1" not in CSS  # the old 2.5:1 border grey


@pytest.mark.django_db
def test_an_error_is_linked_to_its_field_by_the_id_django_names(cast):
    html = logged_in(cast.alice).post(reverse("web:entry_create", args=["pain"]), {"nrs": "5"}).content.decode()
    described = re.search(r'<select[^>]*name="body_site"[^>]*aria-describedby="([^"]+)"', html)
    assert described, "the select names its error"
    for ident in described.group(1).split():
        assert f'id="{ident}"' in html, ident


@pytest.mark.django_db
def test_every_help_text_id_named_by_a_field_exists(cast):
    client = logged_in(cast.alice)
    for url in (reverse("web:signup"), reverse("web:profile"), reverse("web:plan_new", args=["kratom"])):
        if url == reverse("web:signup"):
            client.logout()
        html = client.get(url).content.decode()
        for ident in re.findall(r'aria-describedby="([^"]+)"', html):
            for one in ident.split():
                assert f'id="{one}"' in html, (url, one)
        client = logged_in(cast.alice)


@pytest.mark.django_db
def test_every_page_links_a_favicon_that_exists(client):
    html = client.get(reverse("web:login")).content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert href and client.get(href.group(1)).status_code == 200


@pytest.mark.django_db
def test_the_api_docs_load_swagger_from_the_app_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.content.decode())
    assert sources and all(s.startswith("/static/ninja/") for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source


@pytest.mark.django_db
def test_a_403_probe_is_logged_as_one_line(cast):
    handler = next(
        h for h in logging.getLogger().handlers if any(f.__class__.__name__ == "OneLineForbidden" for f in h.filters)
    )
    stream, old = io.StringIO(), handler.stream  # type: ignore[attr-defined]
    handler.stream = stream  # type: ignore[attr-defined]
    try:
        response = logged_in(cast.rita).get(reverse("web:plan"))  # a researcher on a patient page
    finally:
        handler.stream = old  # type: ignore[attr-defined]
    assert response.status_code == 403
    logged = stream.getvalue().strip().splitlines()
    assert len(logged) == 1 and "Forbidden" in logged[0] and "Traceback" not in stream.getvalue()


@pytest.mark.django_db
def test_sub_pages_highlight_their_navigation_tab(cast):
    client = logged_in(cast.alice)
    html = client.get(reverse("web:plan_edit", args=[cast.kratom.id])).content.decode()
    assert re.search(r'<a href="/me/plan/" aria-current="page">My plan</a>', html)
    html = client.get(reverse("web:condition_new")).content.decode()
    assert re.search(r'<a href="/me/profile/" aria-current="page">Profile</a>', html)


@pytest.mark.django_db
def test_the_insights_tab_is_highlighted_on_the_patients_insights_page(cast):
    html = logged_in(cast.alice).get(reverse("reports:insights")).content.decode()
    assert re.search(r'<a href="/[^"]*insights/" aria-current="page">Insights</a>', html)
