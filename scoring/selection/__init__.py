"""A city's selection of its candidates: batch import, the batch workbook template, scoring and ranking against
the quotas, conflicts between candidates, rank robustness, and the Annex 1 and score-workbook exports."""

from .batch import BatchImport, import_files, import_paths
from .batch_template import template_bytes
from .ranking import Decision, DecisionError, Ranking, apply_decisions, build_ranking, rank_candidates, score_candidates
from .conflicts import Conflict, Entry, find_conflicts
from .robustness import RobustnessResult, analyse
from .exports import annex1_bytes, score_workbook_bytes

__all__ = ["analyse", "annex1_bytes", "apply_decisions", "BatchImport", "build_ranking", "Conflict", "Decision",
           "DecisionError", "Entry", "find_conflicts", "import_files", "import_paths", "rank_candidates", "Ranking",
           "RobustnessResult", "score_candidates", "score_workbook_bytes", "template_bytes"]
