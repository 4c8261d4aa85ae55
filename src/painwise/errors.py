"""Re-export of the error types for the Django edge."""

from painwise.core.errors import DomainError, NotFound

__all__ = ["DomainError", "NotFound"]
