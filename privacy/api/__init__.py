"""The privacy self-service in the public API: the signed-in subject's data export, marketing
consent on and off, and requests to block data or to learn what is held — through the same
privacy services as the account pages and the public forms."""
