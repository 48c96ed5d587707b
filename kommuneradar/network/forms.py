from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kommuneradar.places.forms import fit_municipality_field
from kommuneradar.places.models import Municipality

from .models import Enrolment, JointDocument, JointProject, Milestone, Programme, Track

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgrammeForm(forms.ModelForm[Programme]):
    class Meta:
        model = Programme
        fields = [
            "name",
            "slug",
            "summary",
            "starts_on",
            "ends_on",
            "enrolment_deadline",
            "fee_dkk",
            "offer",
            "contact_name",
            "contact_email",
            "source",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "enrolment_deadline": DATE_INPUT,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The programme cannot end before it starts."))
        return data


TrackFormSet = inlineformset_factory(
    Programme,
    Track,
    fields=["theme", "name", "technology", "description", "order"],
    extra=2,
    can_delete=True,
)


class EnrolmentForm(forms.ModelForm[Enrolment]):
    """Enrol a municipality in a programme. Editors enrol only their own municipality
    (the field is fixed for them); the deadline is checked against `today`."""

    class Meta:
        model = Enrolment
        fields = ["municipality", "tracks", "commitment", "contact_name", "contact_email"]
        widgets = {"tracks": forms.CheckboxSelectMultiple}

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        today: dt.date,
        fixed_municipality: Municipality | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.today = today
        self.fixed_municipality = fixed_municipality
        tracks = self.fields["tracks"]
        assert isinstance(tracks, forms.ModelMultipleChoiceField)
        tracks.queryset = programme.tracks.all()
        tracks.help_text = _("Choose one or more solutions your municipality commits to.")
        self.instance.programme = programme
        self.instance.enrolled_on = today
        if fixed_municipality is not None:
            del self.fields["municipality"]
            self.instance.municipality = fixed_municipality
        else:
            fit_municipality_field(self, "municipality")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.programme.enrolment_open(self.today):
            deadline = formats.date_format(self.programme.enrolment_deadline, "j. F Y")
            raise forms.ValidationError(
                _(
                    "Enrolment in %(programme)s closed on %(deadline)s. "
                    "Ask KL's contact for the programme whether a late place is possible."
                )
                % {"programme": self.programme.name, "deadline": deadline},
                code="deadline",
            )
        municipality = self.fixed_municipality or data.get("municipality")
        if (
            municipality is not None
            and Enrolment.objects.filter(
                programme=self.programme, municipality=municipality
            ).exists()
        ):
            raise forms.ValidationError(
                _("%(municipality)s is already enrolled in this programme.")
                % {"municipality": municipality.name},
                code="duplicate",
            )
        return data

    def validate_unique(self) -> None:
        # Checked in clean() with a clearer message.
        pass


class MilestoneForm(forms.ModelForm[Milestone]):
    class Meta:
        model = Milestone
        fields = ["track", "kind", "reached_on", "note"]
        widgets = {"reached_on": DATE_INPUT}

    def __init__(self, *args: Any, enrolment: Enrolment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        self.instance.enrolment = enrolment
        track = self.fields["track"]
        assert isinstance(track, forms.ModelChoiceField)
        track.queryset = enrolment.tracks.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        track, kind = data.get("track"), data.get("kind")
        if (
            track is not None
            and kind
            and Milestone.objects.filter(enrolment=self.enrolment, track=track, kind=kind)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error(
                "kind",
                _("This milestone is already recorded for this solution; change its date below."),
            )
        return data

    def validate_unique(self) -> None:
        pass


class EnrolmentStatusForm(forms.ModelForm[Enrolment]):
    class Meta:
        model = Enrolment
        fields = ["status"]


class JointProjectForm(forms.ModelForm[JointProject]):
    class Meta:
        model = JointProject
        fields = [
            "title",
            "slug",
            "technology",
            "description",
            "lead_municipality",
            "participants",
            "starts_on",
            "ends_on",
            "status",
            "results",
            "source",
        ]
        widgets = {"starts_on": DATE_INPUT, "ends_on": DATE_INPUT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fit_municipality_field(self, "lead_municipality")
        fit_municipality_field(self, "participants")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The project cannot end before it starts."))
        participants = data.get("participants")
        lead = data.get("lead_municipality")
        if participants is not None and len(participants) < 2:
            self.add_error("participants", _("A joint project needs at least two municipalities."))
        if lead is not None and participants is not None and lead not in participants:
            self.add_error(
                "lead_municipality", _("The lead municipality must also be a participant.")
            )
        return data


class JointResultsForm(forms.ModelForm[JointProject]):
    """What a participating municipality's editor may change: the shared texts."""

    class Meta:
        model = JointProject
        fields = ["description", "results", "status"]


class JointDocumentForm(forms.ModelForm[JointDocument]):
    url = forms.URLField(
        label=gettext_lazy("link"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("A link to the document, e.g. on the project's site."),
    )

    class Meta:
        model = JointDocument
        fields = ["title", "url"]
