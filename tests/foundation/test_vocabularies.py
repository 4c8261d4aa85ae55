"""Each vocabulary is defined once (painwise.core.vocabularies); every edge lists exactly its codes."""

import pytest

from painwise.core import diary, exposure, plan
from painwise.core.vocabularies import (
    DoseStatus,
    DoseUnit,
    DrugClass,
    KratomForm,
    SessionModality,
    SessionStatus,
    Severity,
    TherapyKind,
)


def test_the_core_validation_lists_are_the_vocabularies():
    assert diary.DOSE_STATUSES == DoseStatus.values() == exposure.STATUSES
    assert DoseUnit.values() == diary.DOSE_UNITS
    assert SessionModality.values() == diary.SESSION_MODALITIES
    assert SessionStatus.values() == diary.SESSION_STATUSES
    assert Severity.values() == diary.SEVERITIES
    assert TherapyKind.values() == plan.THERAPY_KINDS
    assert KratomForm.values() == plan.KRATOM_FORMS
    assert DrugClass.values() == plan.DRUG_CLASSES


@pytest.mark.parametrize(
    "model,field,vocabulary",
    [
        ("diary.DoseEvent", "status", DoseStatus),
        ("diary.TherapySession", "status", SessionStatus),
        ("treatment.Therapy", "kind", TherapyKind),
        ("treatment.Therapy", "form", KratomForm),
        ("treatment.Therapy", "drug_class", DrugClass),
    ],
)
def test_model_choices_are_the_vocabulary(model, field, vocabulary):
    from django.apps import apps

    choices = apps.get_model(model)._meta.get_field(field).choices
    assert [(value, str(label)) for value, label in choices] == vocabulary.choices()


def test_the_api_schema_lists_the_vocabularies():
    from painwise.api import api

    schemas = api.get_openapi_schema()["components"]["schemas"]

    def enum(name):
        return tuple(schemas[name]["enum"])

    assert enum("DoseStatus") == DoseStatus.values()
    assert enum("DoseUnit") == DoseUnit.values()
    assert enum("SessionModality") == SessionModality.values()
    assert enum("SessionStatus") == SessionStatus.values()
    assert enum("Severity") == Severity.values()
    assert enum("TherapyKind") == TherapyKind.values()


def test_the_web_forms_offer_the_vocabularies():
    from painwise.web.forms import DoseForm, SessionForm, SideEffectForm

    def codes(form, field):
        return tuple(value for value, _ in form().fields[field].widget.choices if value)

    assert codes(DoseForm, "status") == DoseStatus.values()
    assert codes(DoseForm, "unit") == DoseUnit.values()
    assert codes(SessionForm, "modality") == SessionModality.values()
    assert codes(SessionForm, "status") == SessionStatus.values()
    assert codes(SideEffectForm, "severity") == Severity.values()


def test_a_member_is_its_stored_text():
    assert TherapyKind.KRATOM == "kratom" and str(DoseStatus.AS_NEEDED) == "as_needed"
    assert DoseStatus.AS_NEEDED.label == "As needed"
