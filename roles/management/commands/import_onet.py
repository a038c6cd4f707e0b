import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roles.onet.importer import onet_import
from roles.onet.reader import OnetError


class Command(BaseCommand):
    help = (
        "Import the O*NET database's text release (db_30_1_text.zip as downloaded, or its "
        "unzipped folder): occupations as roles, with their titles, tasks, ratings, technology, "
        "Job Zone, related occupations and criterion values. An editor's value always wins. "
        "All or nothing, in one transaction; docs/DATA.md explains each value."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The release: its zip or its folder.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Read, check and report; change nothing."
        )
        parser.add_argument(
            "--release",
            help="The release number, e.g. 30.1 (default: read from the name, db_30_1_text).",
        )

    def handle(self, *args, path: str, dry_run=False, release=None, verbosity=1, **options):
        def progress(message: str) -> None:
            if verbosity >= 1:
                self.stderr.write(message)
                sys.stderr.flush()

        try:
            report = onet_import(
                path=Path(path), release=release, dry_run=dry_run, progress=progress
            )
        except OnetError as exc:
            raise CommandError(f"Nothing imported. {exc}") from exc
        if verbosity >= 1:
            self.stdout.write(report.summary())
