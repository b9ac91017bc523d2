"""Paying by bank transfer: orders that wait for a company's payment order, the accountant's
"paid" mark and bank statement import (1C client-bank exchange), expiry with a reminder, and
returns recorded as transfers."""
