"""Recruitment in the Django admin, for HR staff.

Every write goes through ``recruitment.services``: single edits, the interviews inline,
the actions on many applications (each application on its own, failures reported one
by one), the start of a candidate and the bulk upload of a campaign's applications.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from access.admin import ScopedAdmin, TabularInline
from access.admin_filters import ChoiceOrSearchFilter, SearchFilterMedia, period_filter
from foundation.dates import long_date
from foundation.measures import format_fte
from recruitment import importing, services
from recruitment.admin_actions import bulk_start, stage_action
from recruitment.forms import (
    ApplicationForm,
    BulkStartForm,
    InterviewForm,
    OfferAnswerForm,
    OfferForm,
    StageDateForm,
    StartForm,
    UploadForm,
    apply_service,
)
from recruitment.models import (
    STAGE_FILTERS,
    Application,
    Campaign,
    CampaignStatus,
    Channel,
    DeclineReason,
    Interview,
    Stage,
)
from recruitment.rules import check_interviews, first_attended
from recruitment.selectors import campaigns_with_funnel, cost_per_start

UPLOAD_SESSION_KEY = "recruitment_upload"


@admin.register(Channel)
class ChannelAdmin(ScopedAdmin):
    list_display = ["name", "code", "order"]
    list_editable = ["order"]
    search_fields = ["name", "code"]


@admin.register(DeclineReason)
class DeclineReasonAdmin(ScopedAdmin):
    """The reasons offers are declined or withdrawn: renamed, added or retired by HR, with history."""

    list_display = ["name", "code", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["active"]
    search_fields = ["name", "code"]


class CampaignStatusFilter(admin.SimpleListFilter):
    title = "status today"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(CampaignStatus.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.with_status(self.value(), timezone.localdate())
        return queryset


class CampaignApplicationInline(TabularInline):
    """Log applications one by one on the campaign (stages are moved on each application)."""

    model = Application
    extra = 1
    show_change_link = True
    fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "role",
        "team",
        "received_on",
        "internal",
        "newly_qualified",
        "source",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("role", "team", "source")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Logged applications are shown, not edited, here: their stages and interviews are
        # moved on each application's own page. New ones can be added.
        return False


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    list_display = [
        "title",
        "opens_on",
        "closes_on",
        "status",
        "role_names",
        "target_hires",
        "cost",
        "received",
        "interviewed",
        "offered",
        "accepted",
        "started",
        "per_start",
    ]
    list_filter = [
        CampaignStatusFilter,
        "roles",
        "channels",
        "newly_qualified_cohort",
        period_filter("opens_on", "opening date"),
    ]
    search_fields = ["title", "partner_name"]
    filter_horizontal = ["roles", "channels"]
    change_form_template = "recruitment/admin/campaign_change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "roles", "opens_on", "closes_on"]}),
        ("Channels and cost", {"fields": ["channels", "partner_name", "cost", "target_hires"]}),
        ("Newly qualified", {"fields": ["newly_qualified_cohort", "cohort_starts_on"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.view_name == "admin:autocomplete":
            # Searching for a campaign by title (the applications' campaign filter, say)
            # needs no funnel: counting every campaign's applications would be wasted.
            return queryset
        return campaigns_with_funnel(queryset=queryset)

    def get_inlines(self, request: HttpRequest, obj: Campaign | None) -> list:
        # Applications are checked against the campaign's roles, which exist once it is saved.
        return [CampaignApplicationInline] if obj is not None else []

    @admin.display(description="Status")
    def status(self, obj: Campaign) -> str:
        return CampaignStatus(obj.status_on(timezone.localdate())).label

    @admin.display(description="Roles")
    def role_names(self, obj: Campaign) -> str:
        return ", ".join(role.name for role in obj.roles.all())

    @admin.display(description="Received", ordering="received")
    def received(self, obj: Campaign) -> int:
        return obj.received

    @admin.display(description="Interviewed", ordering="interviewed")
    def interviewed(self, obj: Campaign) -> int:
        return obj.interviewed

    @admin.display(description="Offered", ordering="offered")
    def offered(self, obj: Campaign) -> int:
        return obj.offered

    @admin.display(description="Accepted", ordering="accepted")
    def accepted(self, obj: Campaign) -> int:
        return obj.accepted

    @admin.display(description="Started", ordering="started")
    def started(self, obj: Campaign) -> int:
        return obj.started

    @admin.display(description="Cost per start (£)")
    def per_start(self, obj: Campaign) -> str:
        value = cost_per_start(obj.cost, obj.started)
        return "–" if value is None else f"{value:,.2f}"

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        services.save_campaign(campaign=obj, user=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for deleted in formset.deleted_objects:
            deleted.delete()
        for instance in instances:
            services.save_application(application=instance, user=request.user)
        formset.save_m2m()

    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/upload/",
                self.admin_site.admin_view(self.upload_view),
                name="recruitment_campaign_upload",
            ),
            *super().get_urls(),
        ]

    def upload_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Upload applications from a CSV or XLSX file: preview (a dry run), then import all or none."""
        campaign = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, campaign):
            raise PermissionDenied
        form = UploadForm()
        result = None
        file_error = ""
        if request.method == "POST" and "confirm" in request.POST:
            stored = request.session.get(UPLOAD_SESSION_KEY) or {}
            if stored.get("campaign") != campaign.pk:
                messages.error(request, "Nothing to import: upload the file again.")
            else:
                result = importing.import_applications(
                    campaign=campaign, rows=stored["rows"], dry_run=False, user=request.user
                )
                if result.saved:
                    del request.session[UPLOAD_SESSION_KEY]
                    messages.success(request, f"Imported {len(result.applications)} applications.")
                    return HttpResponseRedirect(
                        reverse("admin:recruitment_campaign_change", args=[campaign.pk])
                    )
                messages.error(request, "Nothing was imported: the rows below have problems.")
        elif request.method == "POST":
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    rows = importing.read_rows(content=upload.read(), filename=upload.name)
                except importing.ImportFileError as error:
                    file_error = str(error)
                else:
                    result = importing.import_applications(campaign=campaign, rows=rows, dry_run=True)
                    if result.ok:
                        request.session[UPLOAD_SESSION_KEY] = {"campaign": campaign.pk, "rows": rows}
                    else:
                        request.session.pop(UPLOAD_SESSION_KEY, None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": campaign,
            "title": f"Upload applications to {campaign}",
            "form": form,
            "result": result,
            "file_error": file_error,
            "columns": importing.COLUMNS,
            "required": importing.REQUIRED,
        }
        return TemplateResponse(request, "recruitment/admin/upload.html", context)


class CampaignFilter(ChoiceOrSearchFilter):
    """The campaigns, most recently opened first; searched for by title once there are many."""

    title = "campaign"
    parameter_name = "campaign"
    path = "campaign"

    def options(self, request: HttpRequest) -> QuerySet:
        return Campaign.objects.order_by("-opens_on", "title")


class StageFilter(admin.SimpleListFilter):
    title = "stage"
    parameter_name = "stage"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Stage.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in STAGE_FILTERS:
            return queryset.filter(STAGE_FILTERS[self.value()])
        return queryset


class InterviewFormSet(BaseInlineFormSet):
    """Check the interviews as they will be saved against the application's stages."""

    def live_interviews(self) -> list[Interview]:
        return [
            form.instance
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]

    def note_changes(self) -> None:
        """Record what changed for the admin's log, as ``save()`` would (the service saves)."""
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            if not form.is_valid() or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk:
                    self.deleted_objects.append(form.instance)
            elif form.instance.pk is None and form.has_changed():
                self.new_objects.append(form.instance)
            elif form.instance.pk and form.has_changed():
                self.changed_objects.append((form.instance, form.changed_data))

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        interviews = self.live_interviews()
        self.instance.interviewed_on = first_attended(interviews)
        try:
            check_interviews(self.instance, interviews)
        except ValidationError as error:
            labels = {f.name: f.verbose_name for f in Application._meta.fields}
            raise ValidationError(
                [
                    f"{str(labels.get(name, name)).capitalize()}: {message}"
                    for name, messages_ in error.message_dict.items()
                    for message in messages_
                ]
            ) from error


class InterviewInline(TabularInline):
    model = Interview
    formset = InterviewFormSet
    extra = 1
    fields = ["held_on", "panel", "outcome"]


@admin.register(Application)
class ApplicationAdmin(SearchFilterMedia, ScopedAdmin):
    team_path = "team"
    list_display = [
        "full_name",
        "campaign",
        "role",
        "team",
        "received_on",
        "internal",
        "newly_qualified",
        "stage",
    ]
    list_filter = [
        StageFilter,
        "role",
        "internal",
        "newly_qualified",
        "source",
        "decline_reason",
        CampaignFilter,
        period_filter("received_on", "date received"),
    ]
    search_fields = [
        "first_name",
        "last_name",
        "email",
        "campaign__title",
        "team__name",
        "team__service_area__name",
    ]
    list_select_related = ["campaign", "role", "team"]
    autocomplete_fields = ["worker", "team"]
    form = ApplicationForm
    inlines = [InterviewInline]
    readonly_fields = ["interviewed_on", "started_on", "started_in"]
    change_form_template = "recruitment/admin/application_change_form.html"
    fieldsets = [
        (None, {"fields": ["campaign", "role", "team", "received_on", "source"]}),
        ("Candidate", {"fields": ["first_name", "last_name", "email", "phone", "worker"]}),
        ("About the candidate", {"fields": ["internal", "newly_qualified", "start_origin"]}),
        ("Shortlisting and interviews", {"fields": ["shortlisted_on", "interviewed_on"]}),
        (
            "Offer",
            {
                "fields": [
                    "offered_on",
                    "salary_point",
                    "salary",
                    "market_premium",
                    "start_planned_on",
                    "offer_accepted_on",
                    "offer_declined_on",
                    "offer_withdrawn_on",
                    "decline_reason",
                ]
            },
        ),
        ("Start", {"fields": ["started_on", "started_in"]}),
    ]
    actions = [
        "shortlist",
        "record_interview",
        "make_offer",
        "accept_offer",
        "decline_offer",
        "withdraw_offer",
        "start_in_vacant_posts",
    ]

    @admin.display(description="Name", ordering="last_name")
    def full_name(self, obj: Application) -> str:
        return obj.full_name

    @admin.display(description="Stage")
    def stage(self, obj: Application) -> str:
        return obj.get_stage_display()

    @admin.display(description="Started in")
    def started_in(self, obj: Application) -> str:
        if obj.assignment_id is None:
            return "–"
        assignment = obj.assignment
        return format_html(
            '<a href="{}">{}</a> ({} FTE)',
            reverse("admin:workforce_assignment_change", args=[assignment.pk]),
            assignment.post.reference,
            format_fte(assignment.fte),
        )

    def save_model(self, request: HttpRequest, obj: Application, form: Any, change: bool) -> None:
        """Save nothing yet: the application is saved with its interviews in ``save_related``."""

    def save_related(self, request: HttpRequest, form: Any, formsets: list, change: bool) -> None:
        interviews = None
        for formset in formsets:
            if formset.model is Interview:
                interviews = formset.live_interviews()
                formset.note_changes()
        services.save_application(application=form.instance, interviews=interviews, user=request.user)
        form.save_m2m()

    # --- actions on many ---------------------------------------------------------------
    @admin.action(permissions=["change"], description="Shortlist the selected applications")
    def shortlist(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return stage_action(
            self,
            request,
            queryset,
            form_class=StageDateForm,
            title="Shortlist",
            apply=lambda a, d, u: services.shortlist(application=a, shortlisted_on=d["on"], user=u),
        )

    @admin.action(permissions=["change"], description="Record an interview for the selected applications")
    def record_interview(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return stage_action(
            self,
            request,
            queryset,
            form_class=InterviewForm,
            title="Record an interview",
            apply=lambda a, d, u: services.record_interview(application=a, user=u, **d),
        )

    @admin.action(permissions=["change"], description="Make an offer to the selected applications")
    def make_offer(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return stage_action(
            self,
            request,
            queryset,
            form_class=OfferForm,
            title="Make an offer",
            apply=lambda a, d, u: services.make_offer(application=a, user=u, **d),
        )

    @admin.action(permissions=["change"], description="Record the offer accepted")
    def accept_offer(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return stage_action(
            self,
            request,
            queryset,
            form_class=StageDateForm,
            title="Offer accepted",
            apply=lambda a, d, u: services.accept_offer(application=a, accepted_on=d["on"], user=u),
        )

    @admin.action(permissions=["change"], description="Record the offer declined")
    def decline_offer(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return stage_action(
            self,
            request,
            queryset,
            form_class=OfferAnswerForm,
            title="Offer declined",
            apply=lambda a, d, u: services.decline_offer(
                application=a, declined_on=d["on"], reason=d["reason"], user=u
            ),
        )

    @admin.action(permissions=["change"], description="Record the offer withdrawn")
    def withdraw_offer(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return stage_action(
            self,
            request,
            queryset,
            form_class=OfferAnswerForm,
            title="Offer withdrawn",
            apply=lambda a, d, u: services.withdraw_offer(
                application=a, withdrawn_on=d["on"], reason=d["reason"], user=u
            ),
        )

    @admin.action(
        permissions=["change"], description="Start the selected candidates in vacant posts of their role"
    )
    def start_in_vacant_posts(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return stage_action(
            self, request, queryset, form_class=BulkStartForm, title="Start", apply=bulk_start
        )

    # --- starting one candidate ---------------------------------------------------------
    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/start/",
                self.admin_site.admin_view(self.start_view),
                name="recruitment_application_start",
            ),
            *super().get_urls(),
        ]

    def start_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Start the candidate in a vacant establishment post of the application's role."""
        application = get_object_or_404(self.get_queryset(request).select_related("role", "worker"), pk=pk)
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        form = StartForm(request.POST or None, application=application)
        if request.method == "POST" and form.is_valid():
            # The form's fields are the service's arguments, named alike.
            assignment = apply_service(
                form,
                lambda: services.start_candidate(
                    application=application, user=request.user, **form.cleaned_data
                ),
            )
            if assignment is not None:
                self.message_user(
                    request,
                    f"{application.full_name} starts in {assignment.post.reference} on "
                    f"{long_date(assignment.start)}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:recruitment_application_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": application,
            "title": f"Start {application.full_name}",
            "form": form,
        }
        return TemplateResponse(request, "recruitment/admin/start.html", context)
