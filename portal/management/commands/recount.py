from django.core.management.base import BaseCommand, CommandError

from portal.scoping import for_each_municipality
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
        differ = False
        for municipality in for_each_municipality():  # each municipality's totals, in turn
            found = recount(fix=fix)
            differ = differ or bool(found)
            for name, differences in found.items():
                self.stdout.write(f"{municipality.slug}: {name}: {len(differences)} differ")
                for key, stored, counted in differences[:20]:
                    self.stdout.write(f"  {key}: kept {stored}, counted {counted}")
                if len(differences) > 20:
                    self.stdout.write(f"  … and {len(differences) - 20} more")
        if not differ:
            self.stdout.write("Every kept total equals its rows.")
        elif fix:
            self.stdout.write("Rewritten from the rows.")
        else:
            raise CommandError("Kept totals differ from their rows; run with --fix to rewrite.")
