"""Seed data for the task-tracking system (pure data, no Flask or database)."""
