"""Checking the whole chain: every entry's hash, every link, the sequence, and the head."""

from __future__ import annotations

from dataclasses import dataclass

from .chain import GENESIS_HASH, canonical_content, entry_hash
from .models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    problem: str = ""
    first_bad_seq: int | None = None

    def describe(self) -> str:
        if self.ok:
            return f"audit log intact: {self.checked} entries verified"
        return f"audit log BROKEN at entry #{self.first_bad_seq}: {self.problem} ({self.checked} entries read)"


def verify_chain(*, chunk_size: int = 2000) -> VerificationResult:
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        checked += 1
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                problem = f"entries #{expected_seq}..#{entry.seq - 1} are missing (deleted)"
            else:
                problem = "sequence number repeats or runs backwards (inserted entry)"
            return VerificationResult(False, checked, problem, expected_seq)
        if entry.prev_hash != prev_hash:
            return VerificationResult(
                False, checked, "link to the previous entry does not match (inserted or altered)", entry.seq
            )
        content = canonical_content(
            seq=entry.seq,
            occurred_at=entry.occurred_at,
            actor_id=str(entry.actor_id) if entry.actor_id is not None else None,
            actor_repr=entry.actor_repr,
            verb=entry.verb,
            target_type=entry.target_type,
            target_id=entry.target_id,
            target_repr=entry.target_repr,
            payload=entry.payload,
            prev_hash=entry.prev_hash,
        )
        if entry_hash(content) != entry.entry_hash:
            return VerificationResult(False, checked, "content does not match its hash (altered)", entry.seq)
        prev_hash = entry.entry_hash
        expected_seq += 1
    head = AuditChainHead.objects.filter(id=1).first()
    last_seq = expected_seq - 1
    if head is None:
        if last_seq:
            return VerificationResult(False, checked, "the chain head is missing", last_seq)
        return VerificationResult(True, checked)
    if head.last_seq > last_seq:
        return VerificationResult(
            False, checked, f"entries after #{last_seq} up to #{head.last_seq} were deleted", last_seq + 1
        )
    if head.last_seq < last_seq:
        return VerificationResult(
            False, checked, f"entries after #{head.last_seq} were added outside the log", head.last_seq + 1
        )
    if head.last_hash != prev_hash:
        return VerificationResult(False, checked, "the last entry does not match the chain head", last_seq)
    return VerificationResult(True, checked)
