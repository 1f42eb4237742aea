from django.urls import path

from bench import views
from shell.urls import handler404  # noqa: F401
from shell.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/ok/", views.ok, name="bench_ok"),
    path("bench/rows/<int:count>/", views.rows, name="bench_rows"),
    path("bench/change/", views.change, name="bench_change"),
    *portal_urlpatterns,
]
