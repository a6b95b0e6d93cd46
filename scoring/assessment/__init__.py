"""One whole application scored: eligibility, consistency, indicator score, narrative score and total, brought
together into one ScoreResult."""
