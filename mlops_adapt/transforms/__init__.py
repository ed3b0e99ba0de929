"""Recipes (one deterministic libcst codemod per task) and edit helpers."""
