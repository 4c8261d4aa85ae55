from django.urls import path

from painwise.monitoring import views
from painwise.monitoring.models import Status

app_name = "monitoring"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("evidence/", views.evidence, name="evidence"),
    path("flags/<uuid:flag_id>/", views.flag_detail, name="flag"),
    path("flags/<uuid:flag_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("flags/<uuid:flag_id>/resolve/", views.close, {"status": Status.RESOLVED}, name="resolve"),
    path("flags/<uuid:flag_id>/dismiss/", views.close, {"status": Status.DISMISSED}, name="dismiss"),
]
