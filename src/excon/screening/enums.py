"""Vocabulary of the screening app."""

from __future__ import annotations

from django.db import models


class SourceCode(models.TextChoices):
    UN = "un", "UN Security Council consolidated list"
    OFAC = "ofac", "US OFAC SDN list"
    EU = "eu", "EU consolidated financial sanctions list"
    UK = "uk", "UK sanctions list (OFSI)"
    OPENSANCTIONS = "opensanctions", "OpenSanctions (FollowTheMoney)"
    NATIONAL = "national", "National denial list"


IMPORTED_SOURCES = (SourceCode.UN, SourceCode.OFAC, SourceCode.EU, SourceCode.UK, SourceCode.OPENSANCTIONS)


class VersionStatus(models.TextChoices):
    IN_FORCE = "in_force", "In force"
    SUPERSEDED = "superseded", "Superseded"
    FAILED = "failed", "Failed"


class EntryKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    VESSEL = "vessel", "Vessel"
    AIRCRAFT = "aircraft", "Aircraft"
    UNKNOWN = "unknown", "Unknown"


class NameQuality(models.TextChoices):
    STRONG = "strong", "Strong"
    WEAK = "weak", "Weak"


class IdentifierType(models.TextChoices):
    PASSPORT = "passport", "Passport"
    NATIONAL_ID = "national_id", "National identity number"
    TAX_ID = "tax_id", "Tax number"
    REGISTRATION = "registration", "Company registration number"
    IMO = "imo", "IMO number"
    MMSI = "mmsi", "MMSI"
    AIRCRAFT_REG = "aircraft_reg", "Aircraft registration"
    SWIFT = "swift", "SWIFT/BIC"
    OTHER = "other", "Other"


class HitStatus(models.TextChoices):
    OPEN = "open", "Open"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    SCREENING_LIST_IMPORTED = "screening.list_imported", "Imported a version of the list"
    SCREENING_NATIONAL_ENTRY_CREATED = "screening.national_entry_created", "Added to the national denial list"
    SCREENING_NATIONAL_ENTRY_UPDATED = "screening.national_entry_updated", "Changed the national denial list entry"
    SCREENING_NATIONAL_ENTRY_REMOVED = "screening.national_entry_removed", "Removed from the national denial list"
    SCREENING_HIT_RAISED = "screening.hit_raised", "Screening raised a possible match"
    SCREENING_HIT_CONFIRMED = "screening.hit_confirmed", "Confirmed the hit as a true match"
    SCREENING_HIT_DISMISSED = "screening.hit_dismissed", "Dismissed the hit"
    SCREENING_RESCREEN_ALERT = "screening.rescreen_alert", "Re-screening alerted the compliance officers"
