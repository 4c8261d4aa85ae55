"""painwise: chronic-pain self-management and safety monitoring."""

__version__ = "0.1.0"
