"""Giving a ticket to someone else: the organizer's transfer rules per event, the buyer's
transfer (a new QR code, the new holder's name and e-mail, their ticket by e-mail) and its
trail."""
