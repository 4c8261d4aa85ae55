"""FHIR R4 exchange of a patient's record, pure: the PatientSnapshot -> a Bundle, and a Bundle -> an
export document for the all-or-nothing importer (docs/fhir.md)."""

from painwise.core.fhir.export import FlagRecord, resources, scoped, snapshot_to_bundle
from painwise.core.fhir.read import ImportReport, bundle_to_export, lab_records
from painwise.core.fhir.validate import validation_error

__all__ = [
    "FlagRecord",
    "ImportReport",
    "bundle_to_export",
    "lab_records",
    "resources",
    "scoped",
    "snapshot_to_bundle",
    "validation_error",
]
