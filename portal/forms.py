from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker; ISO dates, which Django reads in every language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
