"""Background sequencing of the audit log: queued on the commit of every audited write, at most one at a time."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from excon.celery import app

from .sequencing import sequence_pending

QUEUED_KEY = "excon:audit:sequencing-queued"


@app.task(name="excon.audit.sequence")
def sequence_audit_log() -> int:
    cache.delete(QUEUED_KEY)  # first, so an entry committed while this runs queues the next run
    return sequence_pending().sequenced


def schedule_sequencing() -> None:
    """Queue one sequencing run a moment from now unless one is already queued; writers in that moment share it.
    With eager tasks (the embedded default) the run happens at once, after the commit."""
    delay = settings.EXCON_AUDIT_SEQUENCING_DELAY
    if cache.add(QUEUED_KEY, 1, timeout=max(int(delay * 10), 30)):
        sequence_audit_log.apply_async(countdown=delay)
