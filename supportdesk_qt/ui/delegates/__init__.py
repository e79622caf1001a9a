"""Item delegates: how one row of a model is painted."""
