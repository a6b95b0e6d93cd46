"""The work-plan narrative engine: sentence encoders, sentence splitting and kinds, coverage of the evaluation
points (features and a learned decision), the section rules and narrative score, and the calibration."""

from .encoders import Encoder, EncoderLoadError, get_encoder, load_encoder_with_fallback
from .textsplit import Span, split_sentences
from .decision import CoverageModel, Figures
from .coverage import Doc, PointCoverage, cover_points, model_for
from .workplan import (NarrativeResult, SectionResult, TotalScore, char_count, load_narrative_rubric, score_narrative,
                       total_score)
from .calibrate import run_calibration

__all__ = ["char_count", "cover_points", "CoverageModel", "Doc", "Encoder", "EncoderLoadError", "Figures",
           "get_encoder", "load_encoder_with_fallback", "load_narrative_rubric", "model_for", "NarrativeResult",
           "PointCoverage", "run_calibration", "score_narrative", "SectionResult", "Span", "split_sentences",
           "total_score", "TotalScore"]
