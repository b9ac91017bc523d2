"""Cabinet pages of the reports: dashboard and payout, exports, messages to buyers."""
