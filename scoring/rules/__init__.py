"""The rule-driven checks of one application: eligibility (hard rules of the notice), consistency warnings and
the indicator score, with the result models they produce."""
