from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    """Reader accounts: sign-up, sign-in, passwords, two-factor sign-in, the lockout page and
    create_editor. The users themselves are django.contrib.auth's and the second factor's devices
    django-otp's; readers' bookmarks and progress hang off content, so they live in roles."""

    name = "accounts"
    verbose_name = "Reader accounts"


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with accounts.admin_site.StaffAdminSite as `admin.site`: the admin
    asks staff for a second factor. It stands in INSTALLED_APPS for django.contrib.admin."""

    default = False  # named in INSTALLED_APPS; "accounts" alone is AccountsConfig
    default_site = "accounts.admin_site.StaffAdminSite"
