"""Services sold by time slot (museums, excursions, classes): recurring schedules, the slots
they materialise ahead, and capacity shared by several ticket types of one slot."""
