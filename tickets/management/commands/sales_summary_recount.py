"""``manage.py sales_summary_recount [--fix]``: check the sales summary against the orders."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tickets.reports.services.sales_summary import sales_summary_recount


class Command(BaseCommand):
    help = (
        "Count the sales figures again from every order and list the summary rows that differ; "
        "--fix sets them to the recount."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix", action="store_true", help="Set the differing rows to the recount."
        )

    def handle(self, *args: Any, fix: bool = False, **options: Any) -> None:
        differences = sales_summary_recount(fix=fix)
        for difference in differences:
            key = ", ".join(str(part) for part in difference.key)
            self.stdout.write(
                f"{difference.table} ({key}): summary {difference.found}, "
                f"orders {difference.expected}"
            )
        if not differences:
            self.stdout.write(self.style.SUCCESS("The sales summary agrees with the orders."))
        elif fix:
            self.stdout.write(self.style.WARNING(f"{len(differences)} row(s) set right."))
        else:
            self.stdout.write(
                self.style.ERROR(f"{len(differences)} row(s) differ; run with --fix.")
            )
            raise SystemExit(1)
