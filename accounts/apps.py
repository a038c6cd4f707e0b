from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Reader accounts: sign-up, sign-in, passwords, the lockout page and create_editor. The
    users themselves are django.contrib.auth's; readers' bookmarks and progress hang off content,
    so they live in roles."""

    name = "accounts"
    verbose_name = "Reader accounts"
