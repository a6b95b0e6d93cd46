"""A city's selection of its candidates: batch import, the batch workbook template, scoring and ranking against
the quotas, conflicts between candidates, rank robustness, and the Annex 1 and score-workbook exports."""
