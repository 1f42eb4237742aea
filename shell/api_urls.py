"""/api/: the read-only open-data API and its OpenAPI document."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from budgets.api import BudgetYearViewSet
from grants.api import GrantStatisticsView
from partnerships.api import ExchangeStatisticsView, NetworkViewSet, PartnerCityViewSet
from portal.api import APIRootView, not_found
from travel.api import TripViewSet

app_name = "api"

router = SimpleRouter()
router.register("partner-cities", PartnerCityViewSet, basename="partner-city")
router.register("networks", NetworkViewSet, basename="network")
router.register("budget-years", BudgetYearViewSet, basename="budget-year")
router.register("trips", TripViewSet, basename="trip")

urlpatterns = [
    path("", APIRootView.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("exchanges/", ExchangeStatisticsView.as_view(), name="exchange-statistics-list"),
    path("grant-statistics/", GrantStatisticsView.as_view(), name="grant-statistics-list"),
    path("", include(router.urls)),
    # Any other address under /api/ (a detail whose key is no key, /api/budget-years/x/):
    # the API's JSON 404, as the document says, also where DEBUG would show Django's page.
    # Only addresses ending in "/": the others are sent there first (APPEND_SLASH).
    re_path(r"^.*/$", not_found),
]
