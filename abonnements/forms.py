"""The readers' forms: an address checked like ``make send`` checks it, a honeypot."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from email_validator import EmailNotValidError, validate_email


def normalised_address(value: str) -> str:
    """The address with its domain as an A-label; refuses CR, LF and anything invalid."""
    if any(c in value for c in '\r\n\0'):
        raise ValidationError('Adresse invalide.')
    try:
        result = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError('Adresse invalide.') from error
    return f'{result.local_part}@{result.ascii_domain}'


class AddressField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            label='Adresse e-mail',
            max_length=254,
            widget=forms.EmailInput(attrs={'autocomplete': 'email'}),
            **kwargs,  # type: ignore[arg-type]
        )

    def clean(self, value: object) -> str:
        return normalised_address(super().clean(value))


class SubscribeForm(forms.Form):
    email = AddressField()
    name = forms.CharField(
        label='Nom (facultatif)',
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={'autocomplete': 'name'}),
    )
    consent = forms.BooleanField(
        label=(
            'J’accepte que le centre conserve mon adresse pour m’envoyer la lettre Galien '
            'chaque mois ; je peux me désabonner à tout moment.'
        ),
        required=True,
    )
    #: A field people do not see (hidden by the stylesheet), that robots fill in.
    website = forms.CharField(label='Ne pas remplir', required=False, max_length=200)

    def clean_name(self) -> str:
        name = str(self.cleaned_data.get('name', ''))
        if any(c in name for c in '\r\n\0'):
            raise ValidationError('Nom invalide.')
        return name.strip()


class DataRequestForm(forms.Form):
    email = AddressField()
    website = forms.CharField(label='Ne pas remplir', required=False, max_length=200)
