"""The work-plan narrative engine: sentence encoders, sentence splitting, coverage of the evaluation points,
the section rules and narrative score, and the calibration of the coverage thresholds."""

from .encoders import Encoder, EncoderLoadError, get_encoder, load_encoder_with_fallback
from .textsplit import Span, split_sentences
from .coverage import Doc, PointCoverage, Thresholds, cover_points, thresholds_for
from .workplan import (NarrativeResult, SectionResult, TotalScore, char_count, load_narrative_rubric, score_narrative,
                       total_score)
from .calibrate import run_calibration

__all__ = ["char_count", "cover_points", "Doc", "Encoder", "EncoderLoadError", "get_encoder",
           "load_encoder_with_fallback", "load_narrative_rubric", "NarrativeResult", "PointCoverage",
           "run_calibration", "score_narrative", "SectionResult", "Span", "split_sentences", "Thresholds",
           "thresholds_for", "total_score", "TotalScore"]
