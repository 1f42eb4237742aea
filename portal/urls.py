from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from portal import views

admin.site.site_header = admin.site.site_title = _("International portal: administration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("portal.api_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("staff/", views.staff_dashboard, name="staff_dashboard"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("partnerships.urls")),
    path("", include("budgets.urls")),
    path("", include("travel.urls")),
    path("", include("grants.urls")),
    prefix_default_language=False,
)
