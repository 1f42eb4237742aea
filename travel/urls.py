from django.urls import path

from portal.pagecache import public_page
from travel import views
from travel.feeds import PublishedTripsFeed

app_name = "travel"

urlpatterns = [
    path("trips/", views.trip_list, name="list"),
    path("trips/feed/", public_page(PublishedTripsFeed()), name="feed"),
    path("trips/overdue/", views.overdue, name="overdue"),
    path("trips/people/", views.people, name="people"),
    path("trips/people/<slug:slug>/", views.person_detail, name="person"),
    path("trips/<slug:slug>/", views.trip_detail, name="trip"),
    path("trips/<slug:slug>/pdf/", views.trip_pdf, name="trip_pdf"),
    path("staff/trips/", views.staff_trip_list, name="staff_list"),
    path("staff/trips/new/", views.trip_edit, name="trip_create"),
    path("staff/trips/<int:pk>/", views.staff_trip, name="staff_trip"),
    path("staff/trips/<int:pk>/edit/", views.trip_edit, name="trip_edit"),
    path("staff/trips/<int:pk>/publish/", views.trip_publish, name="trip_publish"),
    path("staff/trips/<int:pk>/unpublish/", views.trip_unpublish, name="trip_unpublish"),
    path(
        "staff/trips/<int:pk>/approve-report/",
        views.trip_approve_report,
        name="trip_approve_report",
    ),
]
