"""Document pages (namespace ``documents``)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("dossiers/<int:case_id>/documenten/nieuw/", views.upload, name="upload"),
    path("documenten/<int:document_id>/", views.detail, name="detail"),
    path("documenten/<int:document_id>/bestand/", views.download, name="download"),
    path("documenten/<int:document_id>/voorbeeld/", views.preview, name="preview"),
    path("clienten/<int:client_id>/dossier-pdf/", views.export_new, name="export_new"),
    path("dossier-pdf/<int:export_id>/", views.export_status, name="export"),
    path("dossier-pdf/<int:export_id>/bestand/", views.export_download, name="export_download"),
]
