"""The period report page."""
