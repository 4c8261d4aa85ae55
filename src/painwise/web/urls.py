from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.urls import path, re_path

from painwise.web.views import auth, clinician, home, patient

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("diary/<slug:slug>/new/", patient.entry_create, name="entry_create"),
    path("diary/<slug:slug>/form/", patient.entry_form, name="entry_form"),
    path("diary/chart/", patient.chart, name="chart"),
    path("diary/timeline/", patient.timeline, name="timeline"),
    path("patients/<uuid:patient_id>/", clinician.patient_detail, name="patient_detail"),
    path("patients/<uuid:patient_id>/chart/", clinician.patient_chart, name="patient_chart"),
    path("patients/<uuid:patient_id>/timeline/", clinician.patient_timeline, name="patient_timeline"),
]

if not settings.PRODUCTION:
    # `make run` serves without DEBUG; let it serve our own CSS/JS and htmx. Production serves
    # collected static files from the web server instead.
    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", serve, {"insecure": True}))
