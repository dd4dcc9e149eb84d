from __future__ import annotations

from django.db import models


class DeclarationSource(models.TextChoices):
    MANUFACTURER = "manufacturer", "Declared by the manufacturer"
    MINISTRY_CORRECTION = "ministry_correction", "Corrected by the defence ministry"


class RequirementKind(models.TextChoices):
    STATE_ORDER = "state_order", "State order"
    PLANNED_PROCUREMENT = "planned_procurement", "Planned procurement"


class RequirementPriority(models.IntegerChoices):
    HIGHEST = 1, "1 – highest"
    HIGH = 2, "2 – high"
    NORMAL = 3, "3 – normal"


class SurplusRuleMode(models.TextChoices):
    FAIL = "fail", "Fail the application"
    WARNING = "warning", "Warn the case officer"


class EquipmentCondition(models.TextChoices):
    UNUSED = "unused", "Unused (from stores)"
    SERVICEABLE = "serviceable", "Used, serviceable"
    NEEDS_REPAIR = "needs_repair", "Needs repair or overhaul"
    FOR_PARTS = "for_parts", "For parts"
