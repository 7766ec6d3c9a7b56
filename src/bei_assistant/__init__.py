"""bei-assistant: behavioural event interviews of bank customer managers, coded live."""

__version__ = "0.1.0"
