"""Views of the events app, by audience: ``public`` (buyers) and ``cabinet`` (organizers)."""
