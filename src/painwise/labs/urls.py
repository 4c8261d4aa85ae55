from django.urls import path

from painwise.labs import views

app_name = "labs"

urlpatterns = [
    path("", views.index, name="index"),
    path("patients/<uuid:patient_id>/", views.patient_labs, name="patient_labs"),
    path("patients/<uuid:patient_id>/new/", views.entry, name="entry"),
    path("patients/<uuid:patient_id>/import/", views.csv_import, name="csv_import"),
    path("patients/<uuid:patient_id>/chart/<str:analyte>/", views.analyte_chart, name="analyte_chart"),
    path("patients/<uuid:patient_id>/results/<uuid:result_id>/delete/", views.delete, name="delete"),
]
