"""Privacy pages by audience: ``public`` (anyone), ``account`` (signed-in buyer), ``staff``."""
