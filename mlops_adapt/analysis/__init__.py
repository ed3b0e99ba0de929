"""Read-only libcst visitors that find the facts recipes and prompts consume."""
