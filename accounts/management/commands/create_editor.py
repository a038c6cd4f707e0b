import getpass
import os

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from roles.registry import EDITORS_GROUP

PASSWORD_VARIABLE = "DJANGO_EDITOR_PASSWORD"  # noqa: S105 - the variable's name, not a password


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors group: it can edit all content in the admin, "
        f"nothing else. The password comes from a prompt, or from {PASSWORD_VARIABLE}. "
        "It prints what the editor must do next: with DJANGO_STAFF_2FA on, set up two-factor."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="The editor's email address.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"Never prompt: the password must be in {PASSWORD_VARIABLE}.",
        )

    def handle(self, *args, username: str, email: str, interactive: bool = True, **options):
        User = get_user_model()
        if User._default_manager.filter(username=username).exists():
            raise CommandError(f"A user called {username!r} already exists; choose another name.")
        try:
            group = Group.objects.get(name=EDITORS_GROUP)
        except Group.DoesNotExist as exc:
            raise CommandError(
                f"There is no {EDITORS_GROUP} group: run `manage.py migrate` first."
            ) from exc

        user = User(username=username, email=email, is_staff=True)
        password = self.get_password(user, interactive)
        user.set_password(password)
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            user.save()
            user.groups.add(group)
        self.stdout.write(f"Created editor {username!r}.")
        self.stdout.write(self.next_steps(username))

    @staticmethod
    def next_steps(username: str) -> str:
        """What to pass on to the new editor: how they get into the admin from here."""
        admin_url, setup_url = reverse("admin:index"), reverse("two_factor_setup")
        if not settings.STAFF_2FA:
            return (
                f"Two-factor sign-in is off on this site (DJANGO_STAFF_2FA=0), so {username} can "
                f"sign in at {admin_url} with the password alone. They may still turn it on at "
                f"{setup_url}; once they have, signing in asks for a code."
            )
        return "\n".join(
            [
                "Staff need two-factor sign-in to use the admin. Tell the editor to:",
                f"  1. Sign in at {admin_url} with the username {username!r} and the password, "
                "leaving the code empty;",
                f"  2. On the set-up page they are sent to ({setup_url}), scan the QR code with an "
                "authenticator app on their phone (or type in the key shown beside it), then "
                "enter the 6-digit code the app shows;",
                "  3. Keep the backup codes shown next somewhere safe: they are shown once, and "
                "each one signs in once if the phone is not to hand.",
                "From then on, signing in asks for the password and a code from the app.",
            ]
        )

    def get_password(self, user, interactive: bool) -> str:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password:
            self.validate(password, user)
            return password
        if not interactive:
            raise CommandError(f"Set {PASSWORD_VARIABLE}, or run the command interactively.")
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ. Try again.")
                continue
            try:
                self.validate(password, user)
            except CommandError as exc:
                self.stderr.write(str(exc))
                continue
            return password

    @staticmethod
    def validate(password: str, user) -> None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
