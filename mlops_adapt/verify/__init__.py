"""Verification of candidate edits: V1-V5, safety labels, test generation, sandbox."""
