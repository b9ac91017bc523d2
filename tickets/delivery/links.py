"""Absolute links on the site's own domain, for files and e-mails made outside a request."""


def site_url(path: str) -> str:
    """``path`` on the site's domain (the Sites framework, as allauth's own e-mails)."""
    # Imported on use: allauth's utils read the Sites framework, which needs the app registry.
    from allauth.utils import build_absolute_uri

    return str(build_absolute_uri(None, path))
