"""The waiting list for sold-out tickets: joining it, offers that hold a ticket for a while
when tickets come back, the one-use link that turns an offer into a cart, and the organizer's
view of the list."""
