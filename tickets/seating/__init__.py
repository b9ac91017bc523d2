"""Selling seats of a seated session: seat claims (holds, sold seats, blocks), the buyer's map
and its JSON, the best-seats search. The hall plans themselves are ``events.seating``."""
