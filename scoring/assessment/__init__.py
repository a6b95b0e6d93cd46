"""One whole application scored: eligibility, consistency, indicator score, narrative score and total, brought
together into one ScoreResult."""

from .engine import derive, score_application, summary
from .result import ScoreResult, Summary

__all__ = ["derive", "score_application", "ScoreResult", "summary", "Summary"]
