"""The catalogue in the public API: events, sessions, ticket types and live availability.

Reads only, through ``events.selectors`` (the same rows the catalogue pages show)."""
