"""The establishment's files: teams, posts, workers, assignments and absences.

Teams are written by ``workforce.services``. Posts, workers, assignments and absences,
which run to thousands of rows, are written in batches (``dataio.importing.batch``):
each row is checked in memory with the same model validation and the same rules
(``workforce.rules``: FTE ranges, a post never overfilled by its employees, a worker
never over 1.0 FTE, agency reasons, date order) as ``workforce.services`` applies, against
the records read up front and the rows accepted before it, then every accepted record is
written in bulk with its history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dataio.importing import values as read
from dataio.importing.batch import Batch, taken_values
from dataio.importing.kinds.base import (
    KEEP,
    Applied,
    Column,
    Kind,
    RowProblem,
    assign,
    field_values,
    name_in_history,
    outcome,
)
from workforce import services
from workforce.models import (
    Funding,
    Post,
    ServiceArea,
    Team,
)

if TYPE_CHECKING:
    from dataio.importing.context import Context


class Teams(Kind):
    name = "teams"
    title = "Teams"
    record = "team"
    key = ("team",)
    columns = (
        Column(
            "team",
            read.text,
            "The team's name, unique; how posts name their team.",
            "Child Protection East",
            required=True,
            field="name",
        ),
        Column(
            "service_area",
            read.text,
            "The service area the team is in; a new name adds the area.",
            "Child Protection",
            required=True,
        ),
        Column(
            "case_holding",
            read.yes_no,
            "Does the team hold children's cases? Yes or no; blank: yes for "
            "a new team, unchanged for a recorded one.",
            "yes",
            field="case_holding",
            empty=KEEP,
        ),
        Column(
            "managers",
            read.text,
            "The user names of the team's managers, separated by semicolons. "
            "When the column is there, the team's managers become exactly these (blank: none).",
            "asha.patel; tom.reed",
        ),
    )

    refers = {"team": "teams"}
    model = Team

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        team = context.teams.get(values["team"]) or Team()
        adding = team._state.adding
        changes = list(assign(team, field_values(self, values)))
        area_name = values["service_area"]
        area = context.service_areas.get(area_name)
        if area is None:
            area = ServiceArea(name=area_name)
            name_in_history(area, context)
            area = services.save_service_area(area=area)
            context.service_areas.add(area)
            changes.append(f"new service area {area_name}")
        changes += assign(team, {"service_area": area})
        managers = self._managers(values, context) if "managers" in values else None
        if adding or changes:
            name_in_history(team, context)
            services.save_team(team=team)
            context.teams.add(team)
        if managers is not None:
            current = set() if adding else set(team.managers.values_list("pk", flat=True))
            if current != {user.pk for user in managers}:
                team.managers.set(managers)
                if not adding:
                    shown = ", ".join(sorted(user.get_username() for user in managers))
                    changes.append(f"managers: {shown or '(none)'}")
        return outcome(adding, changes)

    def _managers(self, values: dict[str, Any], context: Context) -> list[Any]:
        names = [name.strip() for name in (values.get("managers") or "").replace(",", ";").split(";")]
        users = []
        for name in filter(None, names):
            user = context.users.get(name)
            if user is None:
                raise RowProblem(
                    f"there is no user '{name}' (managers are named by their user name)", "managers"
                )
            users.append(user)
        return users


class Posts(Kind):
    name = "posts"
    title = "Posts"
    record = "post"
    key = ("post_reference",)
    columns = (
        Column(
            "post_reference",
            read.text,
            "The post's reference, unique and never reused.",
            "CP-E-014",
            required=True,
            field="reference",
        ),
        Column(
            "team",
            read.text,
            "The team's name, as in the teams file or already recorded.",
            "Child Protection East",
            required=True,
        ),
        Column(
            "role",
            read.text,
            "The role (grade), by its name or code as set up in the admin under Roles.",
            "Social Worker",
            required=True,
        ),
        Column(
            "fte",
            read.decimal,
            "Funded full-time equivalent: more than 0, at most 1.",
            "0.5",
            required=True,
            field="fte",
        ),
        Column(
            "active_from",
            read.date,
            "The first day the post is funded.",
            "2019-04-01",
            required=True,
            field="active_from",
        ),
        Column(
            "active_to",
            read.date,
            "The last day the post is funded; blank if it continues.",
            "",
            field="active_to",
        ),
        Column(
            "funding",
            read.choice(Funding.choices, what="funding"),
            "establishment (the permanent structure; only these can be vacant) or temporary; blank: "
            "establishment for a new post, unchanged for a recorded one.",
            "establishment",
            field="funding",
            empty=KEEP,
        ),
    )

    refers = {"post_reference": "posts", "team": "teams"}
    batch_model = Post

    def prepare(self, rows: list[dict[str, Any]], context: Context) -> None:
        """Read the posts and teams the rows name and which of their references are taken."""
        super().prepare(rows, context)
        taken = taken_values(Post, {"reference": [values["post_reference"] for values in rows]})
        context.batches[Post] = Batch(Post, taken)

    def refused(self, values: dict[str, Any], context: Context) -> None:
        post = context.posts.get(values["post_reference"])
        if post is not None and post.pk is None:
            context.posts.discard(values["post_reference"])

    def apply(self, values: dict[str, Any], context: Context) -> Applied:
        post = context.posts.get(values["post_reference"]) or Post()
        adding = post._state.adding
        team = context.find(context.teams, values["team"], kind="teams", what="team", column="team")
        role = context.roles.get(values["role"])
        if role is None:
            raise RowProblem(
                f"there is no role '{values['role']}' (the roles are: {', '.join(context.roles.names())})",
                "role",
            )
        changes = assign(post, {**field_values(self, values), "team": team, "role": role})
        if adding or changes:
            context.batches[Post].stage(post, context.row)
            context.posts.add(post)
        return outcome(adding, changes)
