from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizersConfig(AppConfig):
    name = "organizers"
    verbose_name = _("Organizers")

    def ready(self) -> None:
        # Imported here: the cabinet module imports models, only once the registry is ready.
        from organizers.cabinet import organizer_sections_register

        organizer_sections_register()
