"""Which session of an event page is shown: the one the visitor picked, else the next ahead.

The event page lists the sessions as date chips and shows one session's tickets (and seat map)
at a time; the choice travels as ``?session=<id>``, so it works without JavaScript.
"""

from collections.abc import Sequence

from django.utils import timezone

from events.models import Session
from eventum.numbers import whole_number


def session_chosen(sessions: Sequence[Session], raw_choice: object) -> Session | None:
    """The session with the id in ``raw_choice``; otherwise the first one still ahead, or the
    last one when all have passed (a finished event); None for an event without sessions.

    An unknown or malformed id falls back the same way: a shared link to a deleted session
    still opens the event.
    """
    if not sessions:
        return None
    wanted = whole_number(raw_choice)
    for session in sessions:
        if session.pk == wanted:
            return session
    now = timezone.now()
    return next((session for session in sessions if session.starts_at >= now), sessions[-1])
