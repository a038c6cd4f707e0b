from django.core.management.base import BaseCommand

from roles.readership import flush_reads


class Command(BaseCommand):
    help = (
        "Add the page read counts kept in the cache (per page per day, nothing about readers) "
        "to the database, for the admin's attention list. Run it hourly or at least daily."
    )

    def handle(self, *args, verbosity: int = 1, **options):
        added = flush_reads()
        if verbosity:
            self.stdout.write(f"Added {added} page read(s).")
