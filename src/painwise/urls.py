from django.urls import include, path

from painwise.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("painwise.web.urls")),
]
