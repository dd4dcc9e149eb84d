"""The licence signature covers the whole document; old documents still verify and say what they cover; one
answer for every "not authentic"; the public check is rate-limited and proves the issue is in the audit log."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.cache import cache

from excon.audit.merkle import leaf_hash, verify_inclusion
from excon.audit.sequencing import sequence_pending
from excon.licences import selectors, signing
from excon.licences.document import verification_url
from excon.licences.models import Licence, LicenceVersion
from excon.licences.selectors import NOT_AUTHENTIC

from .factories import direct_licence, issued_licence

pytestmark = pytest.mark.django_db


def check(licence: Licence, **changes: str) -> selectors.Verification:
    arguments = {
        "number": licence.number,
        "version": str(licence.version),
        "key_id": licence.signing_key.key_id if licence.signing_key else "",
        "signature": licence.signature,
        **changes,
    }
    return selectors.verify_document(**arguments)


def rewrite_signed_snapshot(licence: Licence, change: Any) -> None:
    record = LicenceVersion.objects.get(licence=licence, version=licence.version)
    snapshot = json.loads(json.dumps(record.snapshot))
    change(snapshot["signed"])
    LicenceVersion.objects.filter(pk=record.pk).update(snapshot=snapshot)


def test_the_signature_covers_every_particular_and_goods_line() -> None:
    _, licence = issued_licence()
    signed = LicenceVersion.objects.get(licence=licence, version=1).snapshot["signed"]
    assert signed["scheme"] == signing.SCHEME_WHOLE_DOCUMENT
    line = licence.lines.get(line_number=1)
    assert signed["lines"][0] == {
        "line": 1,
        "description": line.description,
        "control_entry": line.control_entry.code if line.control_entry else "",
        "hs_code": line.hs_code,
        "quantity": line.quantity,
        "value": f"{line.value:.2f}",
        "currency": line.currency,
    }
    assert signed["end_user"] == licence.end_user
    assert signed["conditions"] == licence.conditions
    assert signed["application"] == licence.application.reference
    result = check(licence)
    assert result.authentic, result.reason
    assert result.covers_whole_document
    assert result.lines[0]["quantity"] == line.quantity
    assert result.lines[0]["description"] == line.description


@pytest.mark.parametrize(
    "alteration",
    [
        lambda signed: signed["lines"][0].update(quantity=signed["lines"][0]["quantity"] + 100),
        lambda signed: signed["lines"][0].update(value="9999999.00"),
        lambda signed: signed.update(end_user="Someone Else"),
        lambda signed: signed.update(consignees=[{"name": "Shell Co", "country": "XX", "role": "consignee"}]),
        lambda signed: signed.update(conditions=""),
    ],
    ids=["quantity", "value", "end_user", "consignees", "conditions"],
)
def test_an_altered_document_fails_verification(alteration: Any) -> None:
    _, licence = issued_licence()
    rewrite_signed_snapshot(licence, alteration)
    result = check(licence)
    assert not result.authentic
    assert result.reason == NOT_AUTHENTIC
    assert result.lines == []


def test_a_goods_quantity_changed_behind_the_services_fails_verification() -> None:
    licence = direct_licence(quantity=10)
    assert check(licence).authentic
    licence.lines.update(quantity=500)
    assert not check(licence).authentic


def test_a_document_signed_under_the_old_scheme_still_verifies_and_says_what_it_covers() -> None:
    licence = direct_licence(number="LIC-V1-000001")
    old_fields = {
        "number": licence.number,
        "version": "1",
        "holder": licence.holder.registration_number or licence.holder.name,
        "destination": licence.destination.iso2,
        "issued_on": licence.issued_on.isoformat(),
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else "",
    }
    key_id = licence.signing_key.key_id
    old_signature = signing.sign(key_id, signing.signed_message(old_fields))
    assert signing.signed_message(old_fields).startswith(b"excon-licence-v1|")
    LicenceVersion.objects.filter(licence=licence).update(
        snapshot={"signed": {**old_fields, "key_id": key_id, "signature": old_signature}, "lines": []}
    )
    Licence.objects.filter(pk=licence.pk).update(signature=old_signature)
    licence.refresh_from_db()
    result = check(licence)
    assert result.authentic
    assert (result.scheme, result.covers_whole_document) == (signing.SCHEME_IDENTIFYING_DATA, False)
    assert "earlier scheme" in result.reason
    # A character in the middle: the last base64 characters carry padding bits, so changing them may not change
    # the signature's bytes at all.
    flipped = "A" if old_signature[20] != "A" else "B"
    assert not check(licence, signature=old_signature[:20] + flipped + old_signature[21:]).authentic


def test_an_unknown_number_and_a_wrong_signature_get_the_same_answer() -> None:
    licence = direct_licence()
    unknown = check(licence, number="LIC-2026-999999")
    wrong = check(licence, signature=licence.signature[:-4] + "AAAA")
    malformed = check(licence, version="x")
    assert unknown == wrong == malformed
    assert unknown.reason == NOT_AUTHENTIC


def test_the_page_shows_the_goods_lines_and_the_log_proof(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    _, licence = issued_licence()
    parts = urlsplit(verification_url(licence))
    page = client.get(f"{parts.path}?{parts.query}").content.decode()
    line = licence.lines.get(line_number=1)
    assert 'id="goods-lines"' in page
    assert f"{line.quantity:,}".replace(",", "") in page or str(line.quantity) in page
    assert line.description.split(" ")[0] in page
    assert "not yet under a published checkpoint" in page
    with django_capture_on_commit_callbacks(execute=True):
        sequence_pending()
    page = client.get(f"{parts.path}?{parts.query}").content.decode()
    assert "of the authority&#x27;s public audit log" in page or "of the authority's public audit log" in page


def test_the_log_proof_verifies_from_what_is_shown(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    _, licence = issued_licence()
    with django_capture_on_commit_callbacks(execute=True):
        sequence_pending()
    parts = urlsplit(verification_url(licence))
    body = client.get(f"/api/v1{parts.path.rstrip('/')}?{parts.query}").json()
    proof = body["log_proof"]
    assert proof["sequenced"]
    entry = json.loads(proof["leaf_data"])
    assert (entry["verb"], entry["target_id"], entry["payload"]["number"]) == (
        "licence.issued",
        str(licence.pk),
        licence.number,
    )
    leaf = leaf_hash(proof["leaf_data"].encode("utf-8"))
    assert leaf.hex() == proof["leaf_hash"]
    assert verify_inclusion(
        leaf,
        proof["leaf_index"],
        proof["tree_size"],
        [bytes.fromhex(n) for n in proof["path"]],
        bytes.fromhex(proof["root_hash"]),
    )
    lines = proof["checkpoint_text"].splitlines()
    assert (int(lines[2]), lines[3]) == (proof["tree_size"], proof["root_hash"])
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(proof["public_key"] + "=="))
    public.verify(
        base64.urlsafe_b64decode(proof["signature"] + "=" * (-len(proof["signature"]) % 4)),
        proof["checkpoint_text"].encode(),
    )  # raises InvalidSignature if not


def test_the_public_check_is_rate_limited_per_address(client: Any, settings: Any) -> None:
    settings.EXCON_VERIFY_RATE_LIMIT = "3/m"
    cache.clear()
    licence = direct_licence()
    parts = urlsplit(verification_url(licence))
    page = f"{parts.path}?{parts.query}"
    api = f"/api/v1{parts.path.rstrip('/')}?{parts.query}"
    assert [client.get(page).status_code, client.get(api).status_code, client.get(page).status_code] == [200] * 3
    limited = client.get(page)
    assert limited.status_code == 429
    assert "Too many checks" in limited.content.decode()
    refused = client.get(api)
    assert refused.status_code == 429
    assert refused.json()["code"] == "verification.rate_limited"
    other_address = client.get(page, REMOTE_ADDR="203.0.113.9")
    assert other_address.status_code == 200
