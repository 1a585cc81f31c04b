"""The agency records in the Django admin, for HR staff: suppliers, the region's price caps by
core job type, permanent costs by role, and the suppliers' invoice lines. Agency terms of an
assignment are kept on the assignment's own page (``workforce.admin``)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from access.admin import ScopedAdmin
from access.admin_filters import SearchFilterMedia, period_filter, team_filter
from workforce import agency_services
from workforce.models import InvoiceLine, JobType, PermanentCost, PriceCap, Supplier


@admin.register(JobType)
class JobTypeAdmin(ScopedAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]


@admin.register(Supplier)
class SupplierAdmin(ScopedAdmin):
    list_display = ["name", "route", "agreement", "supply_type", "active"]
    list_filter = ["route", "supply_type", "active"]
    search_fields = ["name", "agreement"]

    def save_service(self, obj: Supplier) -> None:
        agency_services.save_supplier(supplier=obj)


@admin.register(PriceCap)
class PriceCapAdmin(ScopedAdmin):
    list_display = ["job_type", "applies_from", "hourly_cap", "notes"]
    list_filter = ["job_type"]
    list_select_related = ["job_type"]

    def save_service(self, obj: PriceCap) -> None:
        agency_services.save_price_cap(cap=obj)


@admin.register(PermanentCost)
class PermanentCostAdmin(ScopedAdmin):
    list_display = ["role", "applies_from", "salary", "on_costs_percent", "annual_cost"]
    list_filter = ["role"]
    list_select_related = ["role"]
    readonly_fields = ["annual_cost"]

    @admin.display(description="Annual cost (£, salary plus on-costs)")
    def annual_cost(self, obj: PermanentCost) -> str:
        return f"£{obj.annual_cost:,}" if obj.salary is not None and obj.on_costs_percent is not None else "–"

    def save_service(self, obj: PermanentCost) -> None:
        agency_services.save_permanent_cost(cost=obj)


@admin.register(InvoiceLine)
class InvoiceLineAdmin(SearchFilterMedia, ScopedAdmin):
    team_path = "assignment__post__team"
    list_display = ["week_ending", "supplier", "worker", "hours", "amount", "invoice_reference", "assignment"]
    list_filter = [
        "supplier",
        team_filter("assignment__post__team"),
        period_filter("week_ending", "week ending"),
    ]
    search_fields = ["worker__staff_reference", "worker__last_name", "invoice_reference", "supplier__name"]
    list_select_related = ["supplier", "worker", "assignment__post", "assignment__worker"]
    autocomplete_fields = ["worker"]
    readonly_fields = ["assignment"]
    fields = ["supplier", "worker", "week_ending", "hours", "amount", "invoice_reference", "assignment"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("supplier", "worker")

    def save_service(self, obj: InvoiceLine) -> None:
        agency_services.save_invoice_line(line=obj)
