"""Check-in at the door: scanner devices and their tokens, the scan decision, the JSON API
for scanner apps and the cabinet's scanner page. The QR payload itself is ``tickets.qr``."""
