"""The ticket in the phone's wallet: Apple Wallet passes (.pkpass) and Google Wallet save links."""
