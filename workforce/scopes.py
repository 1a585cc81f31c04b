"""Scopes: which part of the workforce a figure or list covers.

A ``Scope`` narrows posts (and everything hanging off them) to case-holding teams,
a service area, some teams or a role. The access layer intersects it with the teams
a user may see, so one object carries both what was asked and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

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
    def build(
        cls,
        *,
        case_holding_only: bool = False,
        service_area: Any = None,
        teams: Iterable[Any] = (),
        role: Any = None,
    ) -> Scope:
        """Return the scope of these choices (model objects or None), labelled for a reader:
        "Case-holding teams in Children in Care: Social Worker role"."""
        teams = sorted(teams, key=lambda team: team.name)
        if teams:
            names = [team.name for team in teams]
            where = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            if len(names) > 4:
                where = f"{len(names)} teams"
        elif case_holding_only:
            where = "Case-holding teams"
        else:
            where = "All teams" if service_area is None else ""
        if service_area is not None:
            where = f"{where} in {service_area.name}" if where else service_area.name
        if teams and case_holding_only:
            where += " (case-holding only)"
        label = f"{where}: {role.name} role" if role is not None else where
        return cls(
            case_holding_only=case_holding_only,
            service_area_id=service_area.pk if service_area is not None else None,
            team_ids=frozenset(team.pk for team in teams) if teams else None,
            role_id=role.pk if role is not None else None,
            label=label,
        )

    @classmethod
    def parse(cls, text: str) -> Scope:
        """Return the scope written as the command line and report records spell it: ``all``,
        or parts separated by ``;`` from ``case-holding``, ``service-area:NAME|ID``,
        ``team:NAME|ID[,NAME|ID...]`` and ``role:NAME|ID``, e.g.
        ``case-holding;service-area:Children in Care;role:Social Worker``."""
        from workforce.models import Role, ServiceArea, Team

        text = (text or "all").strip() or "all"
        if text.lower() == "all":
            return cls.everything()
        choices: dict[str, Any] = {
            "case_holding_only": False,
            "service_area": None,
            "teams": [],
            "role": None,
        }
        for part in (part.strip() for part in text.split(";")):
            kind, _, value = part.partition(":")
            kind, value = kind.strip().lower(), value.strip()
            if kind == "case-holding" and not value:
                choices["case_holding_only"] = True
            elif kind == "service-area" and value and choices["service_area"] is None:
                choices["service_area"] = _one(ServiceArea, value, "service area")
            elif kind in {"team", "teams"} and value:
                choices["teams"].extend(_teams(Team, value))
            elif kind == "role" and value and choices["role"] is None:
                choices["role"] = _one(Role, value, "role")
            else:
                raise ScopeError(
                    f"Unknown scope '{text}': use all, or case-holding, service-area:NAME, team:NAME[,NAME] "
                    "and role:NAME separated by ';'."
                )
        return cls.build(**choices)

    def as_text(self) -> str:
        """Return the scope in the form ``parse`` reads, teams, service area and role by id."""
        parts = []
        if self.case_holding_only:
            parts.append("case-holding")
        if self.service_area_id is not None:
            parts.append(f"service-area:{self.service_area_id}")
        if self.team_ids is not None:
            parts.append(f"team:{','.join(str(pk) for pk in sorted(self.team_ids))}")
        if self.role_id is not None:
            parts.append(f"role:{self.role_id}")
        return ";".join(parts) or "all"

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


def _one(model: Any, value: str, what: str) -> Any:
    """Return the ``model`` object with id or name ``value``, or raise ``ScopeError``."""
    matches = list(model.objects.filter(Q(pk=int(value)) if value.isdigit() else Q(name__iexact=value))[:2])
    if not matches:
        raise ScopeError(f"Unknown {what} '{value}'.")
    if len(matches) > 1:
        raise ScopeError(f"More than one {what} is called '{value}': give its id instead.")
    return matches[0]


def _teams(model: Any, value: str) -> list[Any]:
    """Return the teams named (or numbered) in ``value``, separated by commas; a name that
    itself holds a comma is tried whole first."""
    if "," in value and model.objects.filter(name__iexact=value).exists():
        return [_one(model, value, "team")]
    return [_one(model, part.strip(), "team") for part in value.split(",") if part.strip()]
