"""The main navigation: each app registers its entries with the roles that see them.

Registration keeps core free of imports from the apps above it: an app's AppConfig.ready() (or its urls module)
calls register_nav_item()."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in user
    order: int = 100
    # Where a role exists in several kinds of organisation (a senior officer in the authority and in a
    # department), the kinds of organisation the entry is for; None: all.
    organisation_kinds: frozenset[str] | None = None


_REGISTRY: list[NavItem] = []


def register_nav_item(
    label: str,
    url_name: str,
    roles: set[str] | frozenset[str] | None = None,
    order: int = 100,
    organisation_kinds: AbstractSet[str] | None = None,
) -> None:
    item = NavItem(
        label,
        url_name,
        frozenset(roles) if roles is not None else None,
        order,
        frozenset(organisation_kinds) if organisation_kinds is not None else None,
    )
    if item not in _REGISTRY:
        _REGISTRY.append(item)


def navigation_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = user.role_set
    items: list[dict[str, Any]] = []
    for item in sorted(_REGISTRY, key=lambda entry: (entry.order, entry.label)):
        if item.roles is not None and roles.isdisjoint(item.roles):
            continue
        if item.organisation_kinds is not None and user.organisation.kind not in item.organisation_kinds:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if any(existing["url"] == url for existing in items):
            continue  # one entry per page, however many registrations let this user in
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": item.label, "url": url, "active": active})
    return items


@dataclass(frozen=True)
class HomeSection:
    """A panel on a role's home page: what this role does here, with links to start."""

    title: str
    description: str
    links: tuple[tuple[str, str], ...]  # (label, url name)
    roles: frozenset[str]
    order: int = 100
    organisation_kinds: frozenset[str] | None = None


_HOME_SECTIONS: list[HomeSection] = []


def register_home_section(
    title: str,
    description: str,
    links: list[tuple[str, str]],
    roles: set[str] | frozenset[str],
    order: int = 100,
    organisation_kinds: AbstractSet[str] | None = None,
) -> None:
    kinds = frozenset(organisation_kinds) if organisation_kinds is not None else None
    section = HomeSection(title, description, tuple(links), frozenset(roles), order, kinds)
    if section not in _HOME_SECTIONS:
        _HOME_SECTIONS.append(section)


def home_sections_for(user: Any) -> list[dict[str, Any]]:
    roles = user.role_set
    sections = []
    for section in sorted(_HOME_SECTIONS, key=lambda entry: (entry.order, entry.title)):
        if roles.isdisjoint(section.roles):
            continue
        if section.organisation_kinds is not None and user.organisation.kind not in section.organisation_kinds:
            continue
        links = []
        for label, url_name in section.links:
            try:
                links.append({"label": label, "url": reverse(url_name)})
            except NoReverseMatch:
                continue
        sections.append({"title": section.title, "description": section.description, "links": links})
    return sections
