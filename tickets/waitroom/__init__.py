"""A virtual waiting room in front of a big on-sale: places in Redis, admission by signed pass."""
