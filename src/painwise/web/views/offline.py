"""The service worker and the web app manifest, served from the site root: a service worker only
controls pages under the path it is served from, so it cannot live under /static/."""

from __future__ import annotations

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

STATIC = Path(__file__).resolve().parent.parent / "static" / "web"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse((STATIC / "sw.js").read_text(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # browsers check for a new version on every visit
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    return HttpResponse((STATIC / "manifest.webmanifest").read_text(), content_type="application/manifest+json")
