from django.urls import path

from painwise.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("flags/<uuid:flag_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
