from django.urls import path

from grants import views

app_name = "grants"

urlpatterns = [
    path("grants/", views.scheme_list, name="schemes"),
    path("grants/statistics/", views.public_statistics, name="statistics"),
    path("grants/statistics/<int:year>/", views.public_statistics, name="statistics_year"),
    path("grants/statistics/360giving.json", views.statistics_360giving, name="statistics_360"),
    path("grants/<slug:slug>/apply/", views.apply, name="apply"),
    path("grants/<slug:slug>/apply/check/", views.check_answers, name="check"),
    path("grants/sent/", views.submitted, name="submitted"),
    path("grants/case/<text:token>/", views.case, name="case"),
    path("grants/case/<text:token>/withdraw/", views.withdraw, name="withdraw"),
    path("grants/case/<text:token>/letter/", views.case_letter, name="case_letter"),
    path("staff/grants/", views.queue, name="queue"),
    path("staff/grants/batch/", views.queue_batch, name="queue_batch"),
    path("staff/grants/csv/", views.queue_csv, name="queue_csv"),
    path("staff/grants/payments/", views.payment_list, name="payments"),
    path("staff/grants/payments/download/", views.payment_download, name="payment_download"),
    path("staff/grants/to-file/", views.to_file, name="to_file"),
    path("staff/grants/<int:pk>/", views.officer_case, name="officer_case"),
    path("staff/grants/<int:pk>/journal/", views.officer_journal_number, name="officer_journal"),
    path("staff/grants/<int:pk>/archive/", views.officer_archive, name="officer_archive"),
    path("staff/grants/<int:pk>/filed/", views.officer_filed, name="officer_filed"),
    path("staff/grants/<int:pk>/letter/", views.officer_letter, name="officer_letter"),
    path("staff/grants/<int:pk>/<slug:action>/", views.officer_action, name="officer_action"),
    path("staff/grants/attachments/<int:pk>/", views.officer_attachment, name="officer_attachment"),
]
