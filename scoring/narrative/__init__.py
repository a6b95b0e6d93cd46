"""The work-plan narrative engine: sentence encoders, sentence splitting, coverage of the evaluation points,
the section rules and narrative score, and the calibration of the coverage thresholds."""
