"""API of licence applications, the departments' advice, the commission, routing rules and risk profiles."""

from .routes import router
from .types import router as types_router

router.add_router("", types_router)  # the licence types' particulars and rules

__all__ = ["router"]
