import time

from django.core.management.base import BaseCommand, CommandError

from roles.demo import DemoRefused, demo_catalogue_seed


class Command(BaseCommand):
    help = (
        "Add a synthetic catalogue (roles with every criterion value, skills, comparisons, guides "
        "with steps, FAQs) for load tests. Only adds; refuses on a database that already holds "
        "more than the starter content unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--roles", type=int, required=True, help="How many roles to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--force", action="store_true", help="Add even to a bigger database.")

    def handle(self, *args, roles: int, seed: int, force: bool, verbosity: int = 1, **options):
        started = time.perf_counter()
        try:
            report = demo_catalogue_seed(roles=roles, seed=seed, force=force)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        if verbosity:
            self.stdout.write(f"{report.summary()} ({time.perf_counter() - started:.1f} s)")
