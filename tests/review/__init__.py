"""Tests of the pull-request bot (mlops_adapt.review)."""
