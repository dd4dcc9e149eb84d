"""The in-app inbox. Each message is also sent by e-mail once the change that caused it has committed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from excon.core.models import BaseModel


class InboxMessage(BaseModel):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True, default="")
    link = models.CharField(max_length=300, blank=True, default="", help_text="a path inside ExCon")
    event = models.CharField(max_length=100, help_text="the audit verb that caused it")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notifications_unread_idx")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient_id}"
