"""The ticket tab: a ticket's facts and its thread."""
