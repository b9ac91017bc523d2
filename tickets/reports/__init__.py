"""What the organizer learns from its sales: the dashboard and its charts, the payout report,
attendee exports and messages to buyers (with their Celery tasks)."""
