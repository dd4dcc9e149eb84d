"""Vocabularies of the reference data: control regimes, treaty reporting categories, embargo kinds."""

from __future__ import annotations

from django.db import models


class Regime(models.TextChoices):
    EU_MILITARY = "eu_military", "EU Common Military List"
    NATIONAL = "national", "National control list"
    DUAL_USE = "dual_use", "Dual-use list (Wassenaar / EU)"


class AttCategory(models.TextChoices):
    """Arms Trade Treaty, art. 2(1) (a)–(h), plus ammunition (art. 3) and parts and components (art. 4)."""

    BATTLE_TANKS = "a", "(a) Battle tanks"
    ARMOURED_COMBAT_VEHICLES = "b", "(b) Armoured combat vehicles"
    LARGE_CALIBRE_ARTILLERY = "c", "(c) Large-calibre artillery systems"
    COMBAT_AIRCRAFT = "d", "(d) Combat aircraft"
    ATTACK_HELICOPTERS = "e", "(e) Attack helicopters"
    WARSHIPS = "f", "(f) Warships"
    MISSILES = "g", "(g) Missiles and missile launchers"
    SALW = "h", "(h) Small arms and light weapons"
    AMMUNITION = "ammunition", "Ammunition/munitions (art. 3)"
    PARTS_COMPONENTS = "parts_components", "Parts and components (art. 4)"


class UnrocaCategory(models.TextChoices):
    """UN Register of Conventional Arms categories I–VII, and small arms and light weapons reported separately."""

    I = "I", "I. Battle tanks"  # noqa: E741
    II = "II", "II. Armoured combat vehicles"
    III = "III", "III. Large-calibre artillery systems"
    IV = "IV", "IV. Combat aircraft and unmanned combat aerial vehicles"
    V = "V", "V. Attack helicopters"
    VI = "VI", "VI. Warships"
    VII = "VII", "VII. Missiles and missile launchers"
    SALW = "SALW", "Small arms and light weapons"


class EmbargoAuthority(models.TextChoices):
    UN = "un", "United Nations Security Council"
    EU = "eu", "European Union"
    OSCE = "osce", "OSCE"
    NATIONAL = "national", "National"


class EmbargoScope(models.TextChoices):
    FULL = "full", "Full: all military goods"
    PARTIAL = "partial", "Partial: the listed control entries only"


class EmbargoTarget(models.TextChoices):
    """Whom in the country the embargo restricts. Several UN embargoes exempt the government and restrict only
    non-governmental forces (Iraq, Lebanon, DRC, CAR) or named parties (Yemen)."""

    ALL = "all", "All end users in the country"
    NON_GOVERNMENT = "non_government", "Non-governmental forces and designated parties only"


class EmbargoLevel(models.TextChoices):
    FULL = "full", "Fully embargoed"
    PARTIAL = "partial", "Embargoed for some of the goods"
    NONE = "none", "Not embargoed"


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    EMBARGO_CREATED = "embargo.created", "Recorded an arms embargo"
    EMBARGO_UPDATED = "embargo.updated", "Changed the arms embargo"
    EMBARGO_ENDED = "embargo.ended", "Ended the arms embargo"
    DESTINATION_GROUP_CREATED = "destination_group.created", "Created the destination group"
    DESTINATION_GROUP_UPDATED = "destination_group.updated", "Changed the destination group"
    REFDATA_LOADED = "refdata.loaded", "Loaded the reference data"
