"""What the door needs to know about a ticket for a service's time slot: is the slot today,
and is it now (entry opens a little before the start and closes when the slot ends)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events.models import Session

# A visitor may come in this long before the slot starts.
EARLY_ENTRY = timedelta(minutes=15)
DEFAULT_SLOT_LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class SlotTiming:
    code: str  # "now", "later_today", "over_today" or "other_day"
    text: str


def slot_timing(session: Session, now: datetime | None = None) -> SlotTiming | None:
    """``None`` for a one-off event's session; else where the slot stands against ``now``."""
    if session.schedule_id is None:
        return None
    now = now or timezone.now()
    starts = timezone.localtime(session.starts_at)
    ends = session.ends_at or session.starts_at + DEFAULT_SLOT_LENGTH
    at = formats.time_format(starts, "H:i")
    if starts.date() != timezone.localdate(now):
        day = formats.date_format(starts, "j E")
        return SlotTiming(
            "other_day",
            _("Time slot %(day)s at %(time)s — not today.") % {"day": day, "time": at},
        )
    if now < session.starts_at - EARLY_ENTRY:
        minutes = int((session.starts_at - now).total_seconds() // 60)
        return SlotTiming(
            "later_today",
            _("Time slot %(time)s today — starts in %(minutes)d min.")
            % {"time": at, "minutes": minutes},
        )
    if now >= ends:
        return SlotTiming(
            "over_today", _("Time slot %(time)s today — already over.") % {"time": at}
        )
    return SlotTiming("now", _("Time slot %(time)s — now.") % {"time": at})
