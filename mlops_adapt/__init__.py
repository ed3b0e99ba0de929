"""MLOps-Adapt: verified adaptation of ML training code to MLOps tools."""

__version__ = "0.1.0"
