"""The retention schedule for the sales path: order IPs shortened, old orders made anonymous,
and the organizer's destruction of an event's personal data after the event."""
