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


class AuditVerb(models.TextChoices):
    """What this app writes into the audit log, with the label history pages show."""

    SUPPLY_CAPACITY_DECLARED = "supply.capacity_declared", "Declared production capacity and stock"
    SUPPLY_CAPACITY_CORRECTED = "supply.capacity_corrected", "Corrected a capacity declaration (ministry)"
    SUPPLY_REQUIREMENT_RECORDED = "supply.requirement_recorded", "Recorded a domestic requirement"
    SUPPLY_REQUIREMENT_WITHDRAWN = "supply.requirement_withdrawn", "Withdrew a domestic requirement"
    SUPPLY_PRIORITY_PLACED = "supply.priority_placed", "Placed on domestic priority"
    SUPPLY_PRIORITY_LIFTED = "supply.priority_lifted", "Lifted a domestic priority"
    SUPPLY_PRIORITY_LICENCES_SUSPENDED = (
        "supply.priority_licences_suspended",
        "Suspended licences for a domestic priority",
    )
    SUPPLY_RULE_SET = "supply.rule_set", "Set the surplus rule"
    SUPPLY_EQUIPMENT_LISTED = "supply.equipment_listed", "Listed surplus equipment of the armed forces"
    SUPPLY_EQUIPMENT_ADJUSTED = "supply.equipment_adjusted", "Changed the quantity of surplus equipment available"
