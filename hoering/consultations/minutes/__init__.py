"""Importing a committee's minutes (referat): text to remarks, each with a proposed section."""
