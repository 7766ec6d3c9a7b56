"""Command-line entry point (``bei``)."""

from .main import main

__all__ = ["main"]
