"""Forms of the vignette study and the motivation coding (Django forms keep the input on errors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import Municipality
from regie.accounts.tenancy import municipality_ids
from regie.platform import labels

from .models import LOGICS, QUESTIONS, Vignette, VignetteStudy


class StudyForm(forms.ModelForm):
    questions = forms.MultipleChoiceField(
        label=_("Vragen aan de klantmanagers"), choices=QUESTIONS, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = VignetteStudy
        fields = ["title", "description", "starts_on", "ends_on", "participants", "questions"]
        labels = {
            "title": _("Titel"),
            "description": _("Toelichting voor de klantmanagers"),
            "starts_on": _("Begint op"),
            "ends_on": _("Eindigt op"),
            "participants": _("Deelnemende gemeenten"),
        }
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "participants": forms.CheckboxSelectMultiple,
            # the study's own text, written in Dutch (lang="nl" for screen readers in the English UI)
            "description": forms.Textarea(attrs={"rows": 3, "lang": "nl"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own municipality, or the municipalities of their shared service, can take part.
        self.fields["participants"].queryset = Municipality.objects.filter(pk__in=municipality_ids(user))
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("questions", [k for k, _l in QUESTIONS])
            if user.municipality_id:
                self.initial.setdefault("participants", [user.municipality_id])

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("De einddatum ligt voor de begindatum."))
        return data


class VignetteForm(forms.ModelForm):
    class Meta:
        model = Vignette
        fields = [
            "title",
            "age",
            "sex",
            "household",
            "n_children",
            "youngest_child_age",
            "education",
            "origin",
            "language",
            "health",
            "debts",
            "motivation_willen",
            "motivation_kunnen",
            "work_history",
            "sketch",
        ]
        labels = {
            "title": _("Korte naam"),
            "age": _("Leeftijd"),
            "sex": _("Geslacht"),
            "household": _("Huishouden"),
            "n_children": _("Aantal kinderen"),
            "youngest_child_age": _("Leeftijd jongste kind"),
            "education": _("Opleiding"),
            "origin": _("Herkomst"),
            "language": _("Taal"),
            "health": _("Gezondheid"),
            "debts": _("Schulden"),
            "motivation_willen": _("Motivatie: willen"),
            "motivation_kunnen": _("Motivatie: kunnen"),
            "work_history": _("Werkverleden"),
            "sketch": _("Situatieschets"),
        }
        # the vignette's own texts, written in Dutch (lang="nl" for screen readers in the English UI)
        widgets = {
            "work_history": forms.Textarea(attrs={"rows": 2, "lang": "nl"}),
            "sketch": forms.Textarea(attrs={"rows": 4, "lang": "nl"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("age") is not None and not 18 <= data["age"] <= 67:
            self.add_error("age", _("Bijstand geldt van 18 jaar tot de AOW-leeftijd."))
        if data.get("n_children") and data.get("youngest_child_age") is None:
            self.add_error("youngest_child_age", _("Vul de leeftijd van het jongste kind in."))
        return data


YES_NO = [("", "—"), ("ja", _("ja")), ("nee", _("nee"))]


class AnswerForm(forms.Form):
    """One judgement, with the questions the study asks and the levels of the respondent's own scheme."""

    def __init__(self, *args, study, options, **kwargs):
        super().__init__(*args, **kwargs)
        if study.asks("level"):
            if options.levels:
                self.fields["level"] = forms.ChoiceField(
                    label=_("Classificatie (%(scheme)s)") % {"scheme": labels.option_label("scheme", options.scheme)},
                    choices=[("", "—")]
                    + [(lid, label or labels.option_label("level", lid)) for lid, label, _r in options.levels],
                )
            else:
                self.fields["level"] = forms.CharField(label=_("Classificatie"), max_length=100)
        if study.asks("route"):
            self.fields["route"] = forms.ChoiceField(
                label=_("Route / traject"),
                choices=[("", "—")] + [(r, labels.option_label("route", r)) for r in options.routes],
            )
        if study.asks("exemption"):
            self.fields["exemption"] = forms.ChoiceField(label=_("Ontheffing van de arbeidsplicht"), choices=YES_NO)
        if study.asks("months"):
            self.fields["months"] = forms.IntegerField(
                label=_("Verwachte maanden tot werk"), min_value=0, max_value=240
            )
        if study.asks("motivation"):
            self.fields["motivation"] = forms.CharField(
                label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
            )

    def clean_exemption(self):
        return {"ja": True, "nee": False}.get(self.cleaned_data["exemption"])


class CodingForm(forms.Form):
    event = forms.IntegerField(widget=forms.HiddenInput)
    label = forms.ChoiceField(choices=LOGICS)
