from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from regie.accounts.api_token import obtain_auth_token

from . import views

router = DefaultRouter()
router.register("clients", views.ClientViewSet, basename="client")
router.register("cases", views.CaseViewSet, basename="case")
router.register("pending-decisions", views.PendingDecisionViewSet, basename="pending-decision")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/token/", obtain_auth_token, name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
