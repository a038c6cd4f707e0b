"""The reader's account pages under /accounts/.

They keep django.contrib.auth's URL names (login, password_reset_confirm, ...) without a namespace,
because its views and e-mails reverse them that way.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import two_factor, views
from accounts.forms import (
    CrispyPasswordChangeForm,
    CrispyPasswordResetForm,
    CrispySetPasswordForm,
    LoginForm,
)

urlpatterns = [
    path("", views.account, name="account"),
    path("data/", views.account_data, name="account_data"),
    path("delete/", views.account_delete, name="account_delete"),
    path("deleted/", views.account_deleted, name="account_deleted"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(form_class=CrispyPasswordChangeForm),
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
        views.PasswordResetView.as_view(form_class=CrispyPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(form_class=CrispySetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("two-factor/", two_factor.status, name="two_factor"),
    path("two-factor/setup/", two_factor.setup, name="two_factor_setup"),
    path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
    path("two-factor/backup-codes/", two_factor.backup_codes, name="two_factor_backup_codes"),
    path("two-factor/disable/", two_factor.disable, name="two_factor_disable"),
]
