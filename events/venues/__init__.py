"""The organizer's venues in the cabinet: listed with their events, edited in ru/kk/en."""
