from django.urls import path

from painwise.reports import views

app_name = "reports"

urlpatterns = [
    path("insights/", views.insights_page, name="insights"),
    path("report/", views.own_report, name="own_report"),
    path("csv/", views.own_csv, name="own_csv"),
    path("patients/<uuid:patient_id>/", views.clinician_reports, name="clinician"),
    path("patients/<uuid:patient_id>/report/", views.clinician_report, name="clinician_report"),
    path("patients/<uuid:patient_id>/csv/", views.clinician_csv, name="clinician_csv"),
]
