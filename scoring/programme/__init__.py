"""The programme's content as loaded from rubrics/: indicator rubrics and shared YAML loading, the evaluation
points of the work plan, and the cities' recommendation quotas."""
