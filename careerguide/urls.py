from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from roles.forms import (
    CrispyPasswordChangeForm,
    CrispyPasswordResetForm,
    CrispySetPasswordForm,
    LoginForm,
)
from roles.page_cache import anonymous_page_cache
from roles.sitemaps import SITEMAPS
from roles.views import accounts, healthz, readyz, robots_txt, signup

# Accounts keep django.contrib.auth's URL names (login, password_reset_confirm, ...) because its
# views and e-mails reverse them without a namespace.
account_patterns = [
    path("signup/", signup, name="signup"),
    path("login/", accounts.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        accounts.PasswordChangeView.as_view(form_class=CrispyPasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        accounts.PasswordResetView.as_view(form_class=CrispyPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(form_class=CrispySetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", anonymous_page_cache(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("accounts/", include(account_patterns)),
    path("", include("roles.urls")),
]

handler404 = "roles.views.page_not_found"
