from django.core.management.base import BaseCommand, CommandError

from roles.content_io import (
    STARTER_CONTENT_DIR,
    ContentError,
    content_import,
    content_read_directory,
)


class Command(BaseCommand):
    help = "Add the starter content (roles/content/starter/*.yaml) that the database lacks."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report, change nothing.")

    def handle(self, *args, dry_run: bool = False, verbosity: int = 1, **options):
        try:
            document = content_read_directory(STARTER_CONTENT_DIR)
            report = content_import(data=document, dry_run=dry_run, comment="Starter content")
        except ContentError as exc:
            raise CommandError(f"Starter content not loaded: {exc}") from exc
        if verbosity:
            self.stdout.write(report.summary())
