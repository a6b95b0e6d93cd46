"""The applicant's data: identifiers, the pydantic models of the Annex 2/3 forms, the form layout, Chinese
validation messages and the indicators derived from what was typed."""
