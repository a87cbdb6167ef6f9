"""Task pages (namespace ``worktasks``), under /taken/."""

from django.urls import path

from . import views

app_name = "worktasks"

urlpatterns = [
    path("", views.my_tasks, name="mine"),
    path("nieuw/", views.new_task, name="new"),
    path("<int:task_id>/", views.task_detail, name="detail"),
    path("afwezigheid/", views.absence, name="absence"),
    path("team/", views.team, name="team"),
    path("team/herverdelen/", views.bulk, name="bulk"),
]
