"""What the organizer sets up for selling an event: promo codes and checkout questions."""
