"""Caching of public pages: ``headers`` (Cache-Control for browsers and proxies) and ``pages``
(the server-side copy of the event page for visitors without a session)."""
