from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("partner-cities/", views.city_list, name="city_list"),
    path("partner-cities/<slug:slug>/", views.city_detail, name="city_detail"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<slug:slug>/", views.network_detail, name="network_detail"),
    path("charters/", views.charter_list, name="charter_list"),
    path("charters/<slug:slug>/", views.charter_detail, name="charter_detail"),
    path(
        "charters/<slug:slug>/attachments/<int:pk>/",
        views.charter_attachment,
        name="charter_attachment",
    ),
    path("staff/exchanges/", views.exchange_list, name="exchange_list"),
    path("staff/exchanges/new/", views.exchange_create, name="exchange_create"),
    path("staff/exchanges/<int:pk>/", views.exchange_detail, name="exchange_detail"),
    path("staff/exchanges/<int:pk>/edit/", views.exchange_edit, name="exchange_edit"),
]
