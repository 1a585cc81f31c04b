"""Scopes: which part of the workforce a figure or list covers.

A ``Scope`` narrows posts (and everything hanging off them) to case-holding teams,
a service area, some teams or a role. The access layer intersects it with the teams
a user may see, so one object carries both what was asked and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Q, QuerySet


class ScopeError(ValueError):
    """Raised for a scope that cannot be read, with a message for the person who typed it."""


@dataclass(frozen=True)
class Scope:
    """What part of the workforce to count. The default is everything."""

    case_holding_only: bool = False
    service_area_id: int | None = None
    team_ids: frozenset[int] | None = None
    role_id: int | None = None
    label: str = "All teams"

    @classmethod
    def everything(cls) -> Scope:
        return cls()

    @classmethod
    def case_holding(cls) -> Scope:
        return cls(case_holding_only=True, label="Case-holding teams")

    @classmethod
    def service_area(cls, service_area_id: int, name: str = "") -> Scope:
        return cls(service_area_id=service_area_id, label=name or f"Service area {service_area_id}")

    @classmethod
    def team(cls, team_id: int, name: str = "") -> Scope:
        return cls(team_ids=frozenset({team_id}), label=name or f"Team {team_id}")

    @classmethod
    def parse(cls, text: str) -> Scope:
        """Return the scope written as ``all``, ``case-holding``, ``service-area:NAME|ID``
        or ``team:NAME|ID`` (as the command line and report records spell it)."""
        from workforce.models import ServiceArea, Team

        text = (text or "all").strip()
        kind, _, value = text.partition(":")
        kind = kind.strip().lower()
        value = value.strip()
        if kind == "all" and not value:
            return cls.everything()
        if kind == "case-holding" and not value:
            return cls.case_holding()
        if kind in {"service-area", "team"} and value:
            model = ServiceArea if kind == "service-area" else Team
            match = model.objects.filter(
                Q(pk=int(value)) if value.isdigit() else Q(name__iexact=value)
            ).first()
            if match is None:
                raise ScopeError(f"Unknown {kind.replace('-', ' ')} '{value}'.")
            if kind == "team":
                return cls.team(match.pk, match.name)
            return cls.service_area(match.pk, match.name)
        raise ScopeError(f"Unknown scope '{text}': use all, case-holding, service-area:NAME or team:NAME.")

    def as_text(self) -> str:
        """Return the scope in the form ``parse`` reads."""
        if self.team_ids is not None and len(self.team_ids) == 1:
            return f"team:{next(iter(self.team_ids))}"
        if self.service_area_id is not None:
            return f"service-area:{self.service_area_id}"
        if self.case_holding_only:
            return "case-holding"
        return "all"

    def limited_to_teams(self, team_ids: frozenset[int] | None) -> Scope:
        """Return this scope narrowed to ``team_ids`` (None leaves it as it is)."""
        if team_ids is None:
            return self
        allowed = team_ids if self.team_ids is None else self.team_ids & team_ids
        return replace(self, team_ids=frozenset(allowed))

    def with_role(self, role_id: int | None) -> Scope:
        return replace(self, role_id=role_id)

    def team_filter(self, team_path: str) -> Q:
        """Return a ``Q`` over teams reached through ``team_path`` (e.g. ``"post__team"``)."""
        condition = Q()
        if self.case_holding_only:
            condition &= Q(**{f"{team_path}__case_holding": True})
        if self.service_area_id is not None:
            condition &= Q(**{f"{team_path}__service_area_id": self.service_area_id})
        if self.team_ids is not None:
            condition &= Q(**{f"{team_path}_id__in": sorted(self.team_ids)})
        return condition

    def filter_posts(self, queryset: QuerySet, post_path: str = "") -> QuerySet:
        """Return ``queryset`` narrowed to posts in this scope; ``post_path`` leads to the post."""
        prefix = f"{post_path}__" if post_path else ""
        queryset = queryset.filter(self.team_filter(f"{prefix}team"))
        if self.role_id is not None:
            queryset = queryset.filter(**{f"{prefix}role_id": self.role_id})
        return queryset
