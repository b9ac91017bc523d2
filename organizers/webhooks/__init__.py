"""Webhooks: an organizer's systems are told when an order is paid, refunded or cancelled, a
ticket is checked in or an event sells out.

An organizer registers endpoints in the cabinet (URL, the event types wanted, a secret shown
once). The apps that own those moments call ``webhook_emit`` in the transaction that makes them
happen; each matching endpoint gets a ``WebhookDelivery`` row, sent after the commit through the
outbox, signed (HMAC-SHA256 over timestamp and body), retried with exponential back-off, and
logged attempt by attempt. An endpoint that keeps failing is switched off and its owner told.
"""
