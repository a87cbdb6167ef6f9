from django.urls import path

from . import views

app_name = "benefit"

urlpatterns = [
    path("dossier/<int:case_id>/inkomsten/", views.income, name="income"),
    path("dossier/<int:case_id>/rekening/", views.bank_account, name="bank_account"),
    path("betaalruns/", views.runs, name="runs"),
    path("betaalruns/<int:run_id>/", views.run, name="run"),
    path("betaalruns/<int:run_id>/vrijgeven/", views.release, name="release"),
    path("betaalruns/<int:run_id>/sepa.xml", views.sepa_file, name="sepa"),
]
