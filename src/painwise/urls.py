from django.urls import include, path

from painwise.api import api
from painwise.ops.health import healthz, readyz

# Apps with pages of their own; each has a urls.py with app_name set (web owns the home and login).
PAGE_APPS = ("questionnaires", "labs", "monitoring", "pharmacovigilance", "research", "reports")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/v1/", api.urls),
    *(path(f"{name}/", include(f"painwise.{name}.urls")) for name in PAGE_APPS),
    path("", include("painwise.web.urls")),
]
