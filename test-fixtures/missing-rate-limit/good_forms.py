# The login form limits password attempts per account with a token bucket.
from django import forms

from .buckets import TokenBucket


class PasswordLoginForm(forms.Form):
    email = forms.EmailField()
    password = forms.CharField()

    def clean(self):
        if not TokenBucket.authorize_login_password(self.cleaned_data.get("email")):
            raise forms.ValidationError("Too many attempts, please try later")
        return super().clean()
