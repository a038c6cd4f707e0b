from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roles.content_io import ContentError, content_import, content_read_file


class Command(BaseCommand):
    help = (
        "Import a content document (JSON from export_content, a YAML file or a directory of "
        "them). Records are matched by slug: new ones are added, the ones it names are updated, "
        "others are left alone. All or nothing: one bad record and nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The document to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report; change nothing."
        )

    def handle(self, *args, file: str, dry_run: bool = False, verbosity: int = 1, **options):
        path = Path(file)
        try:
            document = content_read_file(path)
            report = content_import(
                data=document, dry_run=dry_run, update=True, comment=f"Imported {path.name}"
            )
        except ContentError as exc:
            raise CommandError(f"Nothing imported. {exc}") from exc
        if verbosity:
            self.stdout.write(report.summary())
