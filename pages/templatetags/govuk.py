"""Render Django form fields and their errors as GOV.UK Frontend components.

``{% govuk_field form.name %}`` lays out one field with its label, hint, error message
and the widget carrying the GOV.UK classes and ``aria-describedby``;
``{% govuk_error_summary form %}`` lists every error at the top of the form, each
linking to the field it is about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from foundation.inputs import ERROR_CLASS, DateTextInput, GovukDateInput

register = template.Library()

INPUT = "input"
SELECT = "select"
TEXTAREA = "textarea"
CHECKBOX = "checkbox"
CHECKBOXES = "checkboxes"
RADIOS = "radios"
FILE = "file"
RANGE = "range"
HIDDEN = "hidden"
DATE = "date"  # GOV.UK's date input: day, month and year boxes
RANGE_LABELS = ("From", "To")


def widget_kind(field: BoundField) -> str:
    """Return which GOV.UK component lays out ``field``'s widget."""
    widget = field.field.widget
    if widget.is_hidden:
        return HIDDEN
    if isinstance(widget, GovukDateInput):
        return DATE
    if isinstance(widget, forms.MultiWidget):
        return RANGE
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return CHECKBOXES
    if isinstance(widget, forms.RadioSelect):
        return RADIOS
    if isinstance(widget, forms.CheckboxInput):
        return CHECKBOX
    if isinstance(widget, forms.Select):
        return SELECT
    if isinstance(widget, forms.Textarea):
        return TEXTAREA
    if isinstance(widget, forms.FileInput):
        return FILE
    return INPUT


def anchor(field: BoundField) -> str:
    """Return the id of the control an error summary links to for ``field`` (its first box)."""
    kind = widget_kind(field)
    if kind == DATE:
        return f"{field.auto_id}-day"
    if kind in {CHECKBOXES, RADIOS, RANGE}:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


def _described_by(field: BoundField, hint: bool) -> str:
    ids = []
    if hint and field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


def _control_class(kind: str, field: BoundField, *, input_type: str | None = None) -> str:
    error = bool(field.errors)
    if kind == SELECT:
        return "govuk-select" + (" govuk-select--error" if error else "")
    if kind == TEXTAREA:
        return "govuk-textarea" + (" govuk-textarea--error" if error else "")
    if kind == FILE:
        return "govuk-file-upload" + (" govuk-file-upload--error" if error else "")
    classes = "govuk-input"
    input_type = input_type or getattr(field.field.widget, "input_type", "text")
    if input_type == "date" or isinstance(field.field.widget, DateTextInput):
        classes += " govuk-input--width-10"
    elif input_type == "number":
        classes += " govuk-input--width-5"
    return classes + (" govuk-input--error" if error else "")


def _attrs(field: BoundField, css: str, *, hint: bool = True) -> dict[str, str]:
    attrs = {"class": css}
    described = _described_by(field, hint)
    if described:
        attrs["aria-describedby"] = described
    return attrs


def _options(field: BoundField, kind: str) -> SafeString:
    """Return the boxes of a checkbox list or radio group, each with its own label."""
    prefix = "govuk-checkboxes" if kind == CHECKBOXES else "govuk-radios"
    items = []
    for option in field.subwidgets:
        option.data["attrs"] = {**option.data["attrs"], "class": f"{prefix}__input"}
        items.append(
            format_html(
                '<div class="{}__item">{}<label class="govuk-label {}__label" for="{}">{}</label></div>',
                prefix,
                option.tag(),
                prefix,
                option.id_for_label,
                option.choice_label,
            )
        )
    return format_html_join("", "{}", ((item,) for item in items))


def _range(field: BoundField) -> SafeString:
    """Return the two boxes of a from-to range, each labelled, named as the widget names them."""
    widget = field.field.widget
    context = widget.get_context(field.html_name, field.value(), {**widget.attrs, "id": field.auto_id})
    parts = []
    for index, sub in enumerate(context["widget"]["subwidgets"]):
        control_class = _control_class(INPUT, field, input_type=sub.get("type"))
        sub["attrs"] = {**sub["attrs"], **_attrs(field, control_class)}
        sub["attrs"].pop("required", None)  # a range may be open at either end
        label = RANGE_LABELS[index] if index < len(RANGE_LABELS) else sub["name"]
        parts.append(
            format_html(
                '<div class="govuk-form-group"><label class="govuk-label" for="{}">{}</label>{}</div>',
                sub["attrs"]["id"],
                label,
                # Django's own widget template, as Widget.render marks it.
                mark_safe(field.form.renderer.render(sub["template_name"], {"widget": sub})),
            )
        )
    return format_html('<div class="app-range">{}</div>', format_html_join("", "{}", ((p,) for p in parts)))


@dataclass(frozen=True)
class FieldView:
    field: BoundField
    kind: str
    control: SafeString
    anchor: str
    fieldset: bool  # several controls: a fieldset with a legend instead of a label
    label: str
    label_classes: str


DJANGO_EMPTY_LABEL = "---------"


@register.inclusion_tag("govuk/field.html")
def govuk_field(field: BoundField, label_classes: str = "", empty: str = "") -> dict[str, Any]:
    """Lay out ``field`` as a GOV.UK form group: label, hint, error message, control.

    ``empty`` words a select's empty choice ("Any" in a filter) instead of Django's dashes.
    """
    kind = widget_kind(field)
    if empty and kind == SELECT and getattr(field.field, "empty_label", None) == DJANGO_EMPTY_LABEL:
        field.field.empty_label = empty  # this request's own copy of the form's field
    if kind == HIDDEN:
        control = field.as_widget()
    elif kind in {CHECKBOXES, RADIOS}:
        control = _options(field, kind)
    elif kind == RANGE:
        control = _range(field)
    elif kind == DATE:
        # The fieldset carries the hint and error; the boxes only show that they are wrong.
        control = field.as_widget(attrs={"class": ERROR_CLASS} if field.errors else {})
    elif kind == CHECKBOX:
        control = field.as_widget(attrs=_attrs(field, "govuk-checkboxes__input"))
    else:
        control = field.as_widget(attrs=_attrs(field, _control_class(kind, field)))
    view = FieldView(
        field=field,
        kind=kind,
        control=control,
        anchor=anchor(field),
        fieldset=kind in {CHECKBOXES, RADIOS, RANGE, DATE},
        label=str(field.label or ""),
        label_classes=label_classes,
    )
    return {"view": view, "field": field}


@dataclass(frozen=True)
class ErrorLink:
    text: str
    anchor: str  # "" for an error about the whole form


def form_errors(form: forms.BaseForm) -> list[ErrorLink]:
    """Return every error of ``form`` as the summary lists it: "Label: message", linked to the field."""
    errors = [ErrorLink(str(message), "") for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            target = "" if field.is_hidden else anchor(field)
            errors.append(ErrorLink(f"{field.label}: {message}" if field.label else str(message), target))
    return errors


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(form: forms.BaseForm | None) -> dict[str, Any]:
    """Show a GOV.UK error summary at the top of a form with errors (nothing otherwise)."""
    return {"errors": form_errors(form) if form is not None and form.is_bound else []}


class TableBoxNode(template.Node):
    def __init__(self, label: template.base.FilterExpression, nodelist: template.NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        return format_html(
            '<div class="app-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            mark_safe(self.nodelist.render(context)),  # the template's own rendered, escaped output
        )


@register.tag
def tablebox(parser: template.base.Parser, token: template.base.Token) -> TableBoxNode:
    """Wrap a wide table in its own box that scrolls sideways, so the page never does.

    ``{% tablebox "Totals" %}<table class="data-table">...</table>{% endtablebox %}``: the
    box is a labelled region reachable with the keyboard (axe's scrollable-region rule),
    and the table's first column stays in view while the rest scrolls (see docs/pages.md).
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("tablebox takes one argument: the box's label")
    nodelist = parser.parse(("endtablebox",))
    parser.delete_first_token()
    return TableBoxNode(parser.compile_filter(bits[1]), nodelist)


@register.filter
def sorted_by(table: Any) -> str:
    """Return the name of the column a django-tables2 table is sorted by first ("" if none).

    A queryset ordered by several fields marks each of their columns as ordered; only the
    first is the sort a person chose, so only it shows an arrow and ``aria-sort``."""
    order_by = getattr(table, "order_by", None) or ()
    return str(order_by[0]).lstrip("-") if order_by else ""
