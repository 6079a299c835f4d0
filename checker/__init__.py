"""tdcheck: compliance checks for AI training deployment manifests."""

__version__ = "0.1.0"
