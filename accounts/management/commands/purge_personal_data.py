from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.services import personal_data_purge


class Command(BaseCommand):
    help = (
        "Remove sign-in attempt records older than the retention (DJANGO_PERSONAL_DATA_RETENTION_"
        "DAYS, 30 by default) and expired sessions. Safe to run from cron at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.PERSONAL_DATA_RETENTION_DAYS,
            help="Keep sign-in records this many days (default: the setting).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, remove nothing.")

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 1:
            raise CommandError(
                "--days must be at least 1: a shorter retention would lift lockouts."
            )
        counts = personal_data_purge(days=days, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        parts = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(f"{verb} {parts} (sign-in records older than {days} days).")
