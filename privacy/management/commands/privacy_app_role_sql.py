"""``manage.py privacy_app_role_sql ROLE``: the grants of the application's database role."""

from django.core.management.base import BaseCommand, CommandError

from privacy.services.dbrole import app_role_grants_sql


class Command(BaseCommand):
    help = (
        "Print the SQL that gives the application's PostgreSQL role its rights: everything "
        "on ordinary tables, only SELECT and INSERT on the privacy trails. Run it as the owner "
        "after every migrate (a new trail table needs its REVOKE)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="the role web and workers connect as")
        parser.add_argument("--owner", default="eventum", help="the role that runs migrations")

    def handle(self, *args, role: str, owner: str, **options) -> None:
        try:
            statements = app_role_grants_sql(role, owner=owner)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for statement in statements:
            self.stdout.write(f"{statement};")
