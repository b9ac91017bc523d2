"""Writes of the reports: attendee exports and messages to buyers."""
