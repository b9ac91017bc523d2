from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        # Imported here, not at the top: models may only be imported once the app registry is
        # ready.
        from django.db.models.signals import post_delete, post_save

        from events import checks  # noqa: F401  (registers the system checks)
        from events.cabinet_sections import cabinet_sections_register
        from events.models import Session
        from events.upcoming import session_changed

        post_save.connect(session_changed, sender=Session, dispatch_uid="events.upcoming.save")
        post_delete.connect(session_changed, sender=Session, dispatch_uid="events.upcoming.delete")
        cabinet_sections_register()
