from typing import Any

from django.urls import URLPattern, include, path

from painwise.api import api
from painwise.ops.health import healthz, readyz

# Apps with pages of their own; each has a urls.py with app_name set (web owns the home and login).
PAGE_APPS = ("questionnaires", "labs", "monitoring", "pharmacovigilance", "research", "reports")

API_URLS = api.urls
# CDS Hooks at the root as the standard names it (GET /cds-services, POST /cds-services/{id}): the very
# same ninja operations as /api/v1/cds-services (auth, errors, OpenAPI there); docs/fhir.md.
_CDS_VIEWS: dict[str, Any] = {
    p.name: p.callback for p in API_URLS[0] if isinstance(p, URLPattern) and p.name in ("cds_discovery", "cds_service")
}

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", API_URLS),
    path("cds-services", _CDS_VIEWS["cds_discovery"], name="cds_discovery"),
    path("cds-services/<service_id>", _CDS_VIEWS["cds_service"], name="cds_service"),
    *(path(f"{name}/", include(f"painwise.{name}.urls")) for name in PAGE_APPS),
    path("", include("painwise.web.urls")),
]
