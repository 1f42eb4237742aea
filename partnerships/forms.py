from django import forms
from django.utils.timezone import localdate
from django.utils.translation import gettext_lazy as _

from partnerships.enums import ExchangeStatus
from partnerships.models import Exchange
from portal.forms import DateInput, QuickSelect

PARTICIPANT_FIELDS = ("pupils", "teachers", "staff", "others")


class ExchangeForm(forms.ModelForm):
    class Meta:
        model = Exchange
        fields = [
            "title",
            "kind",
            "school",
            "partner_city",
            "other_destination",
            "direction",
            "starts_on",
            "ends_on",
            *PARTICIPANT_FIELDS,
            "status",
            "report",
        ]
        widgets = {
            "starts_on": DateInput(),
            "partner_city": QuickSelect,  # grows with the municipality
            "ends_on": DateInput(),
            "report": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "school": _("Not on the list? An administrator adds schools and units in the admin."),
            "pupils": _("Numbers only: never write a pupil's name in the portal."),
            "report": _("What happened and what came of it. Seen by staff only."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner_city"].empty_label = _("Not a partner city")
        self.fields["school"].empty_label = _("Choose a school or unit")
        for name in PARTICIPANT_FIELDS:
            self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))

        # Planned is what has not happened yet: the public page counts a carried-out
        # exchange as done (partnerships.selectors.activity_by_year).
        status = cleaned.get("status")
        if status == ExchangeStatus.CARRIED_OUT and starts_on and starts_on > localdate():
            self.add_error(
                "status",
                _("An exchange that has not begun cannot be carried out yet: choose Planned."),
            )

        counts = [cleaned.get(name) for name in PARTICIPANT_FIELDS]
        if all(count is not None for count in counts) and sum(counts) == 0:
            self.add_error(
                "pupils", _("Give at least one participant: pupils, teachers, staff or others.")
            )

        partner_city = cleaned.get("partner_city")
        other = (cleaned.get("other_destination") or "").strip()
        if partner_city and other:
            self.add_error(
                "other_destination",
                _("Leave this empty when the exchange is with a partner city."),
            )
        elif not partner_city and not other and "partner_city" not in self.errors:
            self.add_error(
                "partner_city", _("Choose a partner city, or write the place under 'Other place'.")
            )
        return cleaned
