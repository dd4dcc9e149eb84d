"""Screening's extension points: the apps above screening say which parties are screened again (party sources) and
how a hit on one of their parties is shown (hit describers), registering in their `AppConfig.ready()`; screening
never imports them.

    from excon.screening.registry import Case, HitTarget, register_hit_describer, register_party_source

    def open_case_parties() -> Iterator[tuple[Party, Case]]:
        for application in Application.objects.filter(status__in=OPEN):
            case = Case(label=f"application {application.reference}", link=f"/applications/{application.pk}/")
            for party in screenable_parties(application):
                yield party, case

    register_party_source("applications", open_case_parties)
    register_hit_describer("applications.party", describe_party)  # key → HitTarget | None

A party's `reference` is "<target type>:<id>" (e.g. "applications.party:<uuid>"); its hits carry that target type
and id, and the describer registered for the target type tells the hit pages what the party belongs to."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from .services import Party


@dataclass(frozen=True)
class Case:
    """What a screened party belongs to, as an alert names it."""

    label: str  # "application EXP-2026-000123", "licence LIC-2026-000045"
    link: str


@dataclass(frozen=True)
class HitTarget:
    """How the hit pages show the party behind a hit (the screened name is the hit's own)."""

    country: str = ""
    kind: str = ""
    role: str = ""
    belongs_to: str = ""
    link: str = ""


PartySource = Callable[[], Iterable[tuple["Party", Case]]]
HitDescriber = Callable[[UUID], HitTarget | None]

_PARTY_SOURCES: dict[str, PartySource] = {}
_HIT_DESCRIBERS: dict[str, HitDescriber] = {}


def register_party_source(name: str, source: PartySource) -> None:
    """Add the parties `source()` yields (each with the case it belongs to) to every re-screening run."""
    _PARTY_SOURCES[name] = source


def unregister_party_source(name: str) -> None:
    _PARTY_SOURCES.pop(name, None)


def party_sources() -> list[PartySource]:
    return [_PARTY_SOURCES[name] for name in sorted(_PARTY_SOURCES)]


def register_hit_describer(target_type: str, describer: HitDescriber) -> None:
    """How a hit on a party of this target type is shown: `describer(id)` gives its HitTarget, or None when the
    party no longer exists."""
    _HIT_DESCRIBERS[target_type] = describer


def unregister_hit_describer(target_type: str) -> None:
    _HIT_DESCRIBERS.pop(target_type, None)


def describe_hit_target(target_type: str, key: UUID) -> HitTarget | None:
    describer = _HIT_DESCRIBERS.get(target_type)
    return describer(key) if describer is not None else None
