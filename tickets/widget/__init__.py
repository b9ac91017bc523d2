"""The embedded widget: the script, the compact checkout in an iframe, its signed state, and
the cabinet page that gives the organizer the snippet."""
