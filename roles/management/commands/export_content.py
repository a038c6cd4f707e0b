from pathlib import Path

from django.core.management.base import BaseCommand

from roles.content_io import content_export


class Command(BaseCommand):
    help = "Write all content as one JSON document (to FILE, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write; standard output if omitted.")

    def handle(self, *args, file: str | None = None, verbosity: int = 1, **options):
        text = content_export()
        if not file or file == "-":
            self.stdout.write(text, ending="")
            return
        Path(file).write_text(text, encoding="utf-8")
        if verbosity:
            self.stderr.write(f"Wrote all content to {file}.")
