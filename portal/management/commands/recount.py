from django.core.management.base import BaseCommand, CommandError

from portal.tallies import recount


class Command(BaseCommand):
    help = (
        "Count the kept totals (trips' figures and totals, grant statistics, budget lines' "
        "committed and spent) from the rows they add up, and report any difference. With "
        "--fix, rewrite them from the rows. Exits with 1 when a difference was found and not "
        "fixed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Rewrite what differs.")

    def handle(self, *args, fix=False, **options):
        found = recount(fix=fix)
        for name, differences in found.items():
            self.stdout.write(f"{name}: {len(differences)} differ")
            for key, stored, counted in differences[:20]:
                self.stdout.write(f"  {key}: kept {stored}, counted {counted}")
            if len(differences) > 20:
                self.stdout.write(f"  … and {len(differences) - 20} more")
        if not found:
            self.stdout.write("Every kept total equals its rows.")
        elif fix:
            self.stdout.write("Rewritten from the rows.")
        else:
            raise CommandError("Kept totals differ from their rows; run with --fix to rewrite.")
