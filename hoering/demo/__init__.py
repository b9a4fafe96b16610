"""The demo: the reference consultation replayed, and its data modules."""
