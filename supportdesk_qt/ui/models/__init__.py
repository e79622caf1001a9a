"""Item models of the desk (lists are models, never a widget per row)."""
