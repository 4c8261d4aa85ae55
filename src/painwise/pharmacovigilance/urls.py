from django.urls import path

from painwise.pharmacovigilance import views

app_name = "pharmacovigilance"

urlpatterns = [
    path("", views.signals_page, name="signals"),
    path("upload/", views.upload, name="upload"),
    path("signals.csv", views.download, name="download"),
]
