"""Per-task verification rules: scope policy (V2) and postconditions (V4)."""
