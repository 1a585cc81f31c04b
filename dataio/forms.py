"""The admin's upload form: one or more CSV or XLSX files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

MAX_FILES = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files at once and cleans to a list of them."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        if isinstance(data, list | tuple):
            data = None
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Files",
        help_text="CSV or XLSX files of teams, posts, workers, assignments, absences, leavers, exit "
        "conversations, campaigns, applications or starts (several at once). The columns are described "
        "in docs/import.md.",
        widget=MultipleFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        if len(files) > MAX_FILES:
            raise ValidationError(f"Upload at most {MAX_FILES} files at once.")
        limit = int(getattr(settings, "IMPORT_MAX_FILE_BYTES", 20 * 2**20))
        for upload in files:
            if upload.size > limit:
                raise ValidationError(f"{upload.name} is larger than {limit // 2**20} MB.")
        return files
