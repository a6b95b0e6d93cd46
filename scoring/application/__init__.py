"""The applicant's data: identifiers, the pydantic models of the Annex 2/3 forms, the form layout, Chinese
validation messages and the indicators derived from what was typed."""

from .ids import YEARS, ApplicantType, City, Domain, Section
from .models import (SCHEMA_VERSION, AnyApplication, EnterpriseApplication, ParkApplication, WorkPlan,
                     application_json_schema, dump_application, narrative_items, new_application, parse_application,
                     parse_application_json)
from .errors import field_label, format_validation_error
from .formspec import FieldSpec, form_spec, get_in, set_in
from .derived import YEAR_KEYS, DerivedResult, Metric, compute_derived, fmt

__all__ = ["SCHEMA_VERSION", "YEAR_KEYS", "YEARS", "AnyApplication", "ApplicantType", "application_json_schema",
           "City", "compute_derived", "DerivedResult", "Domain", "dump_application", "EnterpriseApplication",
           "field_label", "FieldSpec", "fmt", "form_spec", "format_validation_error", "get_in", "Metric",
           "narrative_items", "new_application", "ParkApplication", "parse_application", "parse_application_json",
           "Section", "set_in", "WorkPlan"]
