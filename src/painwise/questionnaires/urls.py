from django.urls import path

from painwise.questionnaires.views import clinician, patient

app_name = "questionnaires"

urlpatterns = [
    path("", patient.index, name="list"),
    path("crisis/", patient.crisis, name="crisis"),
    path("fill/<slug:code>/", patient.fill, name="fill"),
    path("responses/<uuid:response_id>/", patient.result, name="result"),
    path("history/<slug:code>/", patient.history, name="history"),
    path("patients/<uuid:patient_id>/", clinician.patient_overview, name="clinician_patient"),
    path("patients/<uuid:patient_id>/history/<slug:code>/", clinician.patient_history, name="clinician_history"),
    path("patients/<uuid:patient_id>/schedule/", clinician.schedule, name="schedule_set"),
    path("patients/<uuid:patient_id>/cows/", clinician.cows_enter, name="cows_enter"),
]
