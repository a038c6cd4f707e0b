from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roles.oews import OewsError, oews_import


class Command(BaseCommand):
    help = (
        "Import pay and employment from a BLS OEWS national release: national_M2025_dl.xlsx, "
        "the zip that holds it, or its sheet saved as CSV. Occupations are matched by SOC code; "
        "a value an editor changed is kept. All or nothing: one bad cell and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .xlsx, .zip or .csv file.")
        parser.add_argument(
            "--release",
            default="",
            help='The release, e.g. "May 2025" (default: read from the file name).',
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; change nothing."
        )

    def handle(self, *args, path: str, release: str, dry_run: bool, verbosity: int = 1, **kw):
        try:
            report = oews_import(path=Path(path), release=release, dry_run=dry_run)
        except OewsError as exc:
            raise CommandError(f"Nothing imported.\n{exc}") from exc
        if verbosity:
            self.stdout.write(report.summary())
