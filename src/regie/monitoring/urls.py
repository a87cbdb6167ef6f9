from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("trajecten/", views.trajectories, name="trajectories"),
    path("budget/", views.budget, name="budget"),
    path("budget/bewerken/", views.budget_edit, name="budget_edit"),
    path("statistiek/", views.statistics, name="statistics"),
]
