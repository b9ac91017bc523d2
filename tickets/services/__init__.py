"""Writes of the sales path, one module per concept; import from the module you need."""
