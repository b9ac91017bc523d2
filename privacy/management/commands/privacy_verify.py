"""``manage.py privacy_verify``: walk the hash chains of the privacy trails."""

from django.core.management.base import BaseCommand, CommandError

from privacy.services.ledger import ledger_verify


class Command(BaseCommand):
    help = (
        "Verify the hash chains of the consent ledger, withdrawals, disclosures and blocking "
        "steps; print the first broken link of each table and exit non-zero if any is broken."
    )

    def handle(self, *args, **options) -> None:
        broken = 0
        for report in ledger_verify():
            if report.broken is None:
                self.stdout.write(f"{report.table}: OK ({report.rows} rows)")
            else:
                broken += 1
                self.stderr.write(f"{report.table}: BROKEN at row {report.broken.row_id}")
                self.stderr.write(f"  {report.broken.problem}")
        if broken:
            raise CommandError(f"{broken} chain(s) broken", returncode=1)
