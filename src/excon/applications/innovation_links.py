"""The extension point through which the innovations registry (issue 16, `excon.innovations`, still to come) lets a
technology-transfer or licensed-production application name the registered innovation it transfers, without this
app importing it.

Today an application records the registry's reference as given (`ApplicationTerms.innovation_reference`) and the
licence-type check says it is not verified. When the registry lands, it registers one resolver in its
`AppConfig.ready()`:

    from excon.applications.innovation_links import InnovationLink, register_innovation_resolver

    def resolve(reference: str) -> InnovationLink | None:
        innovation = Innovation.objects.filter(reference=reference).first()
        return InnovationLink(reference, innovation.title, f"/innovations/{innovation.pk}/") if innovation else None

    register_innovation_resolver(resolve)

and from then on an unknown reference fails the check (`application.unknown_innovation`) and a known one is shown
with its title and link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class InnovationLink:
    reference: str
    title: str
    link: str = ""


InnovationResolver = Callable[[str], InnovationLink | None]

_RESOLVER: list[InnovationResolver] = []


def register_innovation_resolver(resolver: InnovationResolver) -> None:
    """One slot: the registry that lands fills it (registering again replaces it, as ready() may run twice)."""
    _RESOLVER[:] = [resolver]


def unregister_innovation_resolver() -> None:
    _RESOLVER.clear()


def registry_installed() -> bool:
    return bool(_RESOLVER)


def resolve_innovation(reference: str) -> InnovationLink | None:
    """The registered innovation under `reference`; None when it is unknown or when no registry is installed
    (ask `registry_installed()` to tell the two apart)."""
    return _RESOLVER[0](reference) if _RESOLVER else None
