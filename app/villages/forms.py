"""Editing a village's details; moving a village to another commune stays in administration."""
from app.admin.forms import VillageForm


class VillageDetailsForm(VillageForm):
    """Name and kind only."""

    commune_id = None
