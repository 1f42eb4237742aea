from django.urls import path

from budgets import followup_views, views

app_name = "budgets"

urlpatterns = [
    path("budget/", views.budget_index, name="index"),
    path("budget/staff-time/", views.staff_time_page, name="staff_time"),
    path("budget/<int:year>/", views.budget_year, name="year"),
    path("budget/<int:year>/csv/", views.budget_year_csv, name="year_csv"),
    path("budget/<int:year>/lines/<text:code>/", views.line_page, name="line"),
    path("staff/budget/lines/<int:pk>/", views.line_detail, name="line_detail"),
    path(
        "staff/budget/commitments/<int:pk>/reverse/",
        views.commitment_reverse,
        name="commitment_reverse",
    ),
]

urlpatterns += [
    path("follow-up/", followup_views.follow_up_index, name="follow_up_index"),
    path("follow-up/<int:year>/", followup_views.follow_up, name="follow_up"),
    path("follow-up/<int:year>/pdf/", followup_views.follow_up_pdf, name="follow_up_pdf"),
    path("staff/follow-up/<int:year>/", followup_views.staff_follow_up, name="staff_follow_up"),
    path("staff/follow-up/<int:year>/csv/", followup_views.follow_up_csv, name="follow_up_csv"),
    path(
        "staff/follow-up/<int:year>/rounds/<slug:round>/",
        followup_views.follow_up_round,
        name="follow_up_round",
    ),
    path(
        "staff/follow-up/initiatives/new/", followup_views.initiative_edit, name="initiative_create"
    ),
    path(
        "staff/follow-up/initiatives/<int:pk>/edit/",
        followup_views.initiative_edit,
        name="initiative_edit",
    ),
]
