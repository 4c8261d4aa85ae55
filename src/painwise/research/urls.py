from django.urls import path

from painwise.research import views

app_name = "research"

urlpatterns = [
    path("consent/", views.consent, name="consent"),
    path("consent/decide/", views.consent_set, name="consent_set"),
    path("", views.index, name="index"),
    path("runs/", views.run_create, name="run_create"),
    path("runs/<uuid:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<uuid:run_id>/step/", views.run_step, name="run_step"),
    path("runs/<uuid:run_id>/download/", views.download, name="download"),
]
