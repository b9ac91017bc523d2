"""The buyer's side of the public API: orders, tickets with their QR payload and PDF, order
status; later the cart and checkout. Every endpoint calls the same selectors and services as
the site's pages."""
