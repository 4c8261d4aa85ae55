"""The fast widget renderer writes exactly the markup of Django's stock widget templates."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from painwise.web.form_renderer import FastWidgetRenderer
from painwise.web.forms import ENTRY_KINDS, DoseForm, SessionForm
from tests.personas import logged_in

STOCK, FAST = DjangoTemplates(), FastWidgetRenderer()
CHOICES = [("a", "Alpha & <b>"), ("b", 'Beta "quoted"'), (3, "Three")]
GROUPED = [("Group <one>", [("x", "X"), ("y", "Y")]), ("z", "Zed")]


class Everything(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"placeholder": 'say "hi" <now>'}))
    number = forms.IntegerField(min_value=0, max_value=10)
    when = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "autofocus": True, "hidden": False}))
    secret = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput)
    flag = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    pick = forms.ChoiceField(choices=CHOICES)
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple(attrs={"class": "chips"}))
    grouped_many = forms.MultipleChoiceField(choices=GROUPED, widget=forms.CheckboxSelectMultiple)
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect(attrs={"class": "scale"}))
    multi_select = forms.MultipleChoiceField(choices=CHOICES)


BOUND = {
    "text": "<script>alert(1)</script>", "number": "11", "when": "2026-01-02T03:04", "day": "2026-01-02",
    "secret": "s3cret", "hidden": 'h"idden', "flag": "on", "note": "line one\n<line two> & more", "pick": "b",
    "grouped": "y", "many": ["a", "3"], "grouped_many": ["x"], "radio": "3", "multi_select": ["b"],
}  # fmt: skip


@pytest.mark.parametrize("data", [None, BOUND], ids=["unbound", "bound"])
def test_every_stock_widget_is_written_as_the_templates_write_it(data):
    for name in Everything.base_fields:
        stock = Everything(data, renderer=STOCK)[name]
        fast = Everything(data, renderer=FAST)[name]
        if data is not None:
            stock.form.is_valid()
            fast.form.is_valid()
        assert str(fast) == str(stock), name


@pytest.mark.django_db
def test_every_quick_entry_form_is_identical_unbound_and_with_errors(cast):
    products = [cast.kratom]
    for kind in ENTRY_KINDS.values():
        for data in (None, {"occurred_at": "not a time", "nrs": "99"}):

            def make(renderer, data=data, kind=kind):
                if kind.form is DoseForm:
                    return DoseForm(data, products=products, renderer=renderer)
                if kind.form is SessionForm:
                    return SessionForm(data, therapies=products, renderer=renderer)
                return kind.form(data, renderer=renderer)

            stock, fast = make(STOCK), make(FAST)
            for name in stock.fields:
                assert str(fast[name]) == str(stock[name]), (kind.slug, name)


@pytest.mark.django_db
def test_the_dashboard_is_the_same_page_with_either_renderer(cast, settings):
    client = logged_in(cast.alice)
    fast = client.get("/?window=90").content.decode()
    settings.FORM_RENDERER = "django.forms.renderers.DjangoTemplates"  # Django clears its renderer cache
    stock = client.get("/?window=90").content.decode()
    token = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"|(nonce=")[^"]+"')
    assert token.sub(r"\1\2", fast) == token.sub(r"\1\2", stock)
    assert "<select" in fast or "<input" in fast
