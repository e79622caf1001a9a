"""Client search: the bar with its drop-down of results, and the full search tab."""
