"""Peer comparison: where an applicant stands among peers of the same type and domain, the simulated reference
set used when no real peers are given, and the charts of both."""
