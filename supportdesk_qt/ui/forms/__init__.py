"""Forms that more than one kind of tab opens: the ticket form is embedded in a client tab's
tickets list and opened from a chat tab ("Create ticket"). Forms import ``ui/common``, ``ui/models``
and the root modules (``theme``, ``tasks``), never a tab package."""
