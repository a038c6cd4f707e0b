from django.core.management.base import BaseCommand, CommandError

from roles.links import DEFAULT_TIMEOUT, DEFAULT_WORKERS, check_links


class Command(BaseCommand):
    help = (
        "Check every reference's web address (HEAD, then GET), following redirects, and store "
        "the result and the date on the reference. Editors see broken links in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--timeout",
            type=float,
            default=DEFAULT_TIMEOUT,
            help=f"Seconds to wait for each answer (default {DEFAULT_TIMEOUT:g}).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help=f"Addresses checked at once, one per host at a time (default {DEFAULT_WORKERS}).",
        )

    def handle(self, *args, timeout: float, workers: int, verbosity: int = 1, **options):
        if timeout <= 0 or not 1 <= workers <= 32:
            raise CommandError("Give a timeout above 0 and between 1 and 32 workers.")
        checked = check_links(timeout=timeout, workers=workers)
        broken = [(reference, result) for reference, result in checked if not result.ok]
        if verbosity:
            for reference, result in broken:
                self.stdout.write(f"Broken: {reference.title} <{reference.url}>: {result.error}")
            redirected = sum(1 for _, result in checked if result.ok and result.final_url)
            self.stdout.write(
                f"Checked {len(checked)} reference(s): {len(checked) - len(broken)} working "
                f"({redirected} redirected), {len(broken)} broken."
            )
