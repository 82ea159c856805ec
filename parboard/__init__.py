"""parboard: the public administration reform emulation dashboard."""

__version__ = "0.1.0"
