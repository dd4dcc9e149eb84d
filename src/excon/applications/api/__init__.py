"""API of licence applications, the departments' advice, the commission, routing rules and risk profiles."""

from .routes import router

__all__ = ["router"]
