"""Peer comparison: where an applicant stands among peers of the same type and domain (benchmark), who the peers
are and the peer CSV (peer_table), the simulated reference set (simulate) and the plotly charts (charts).

``charts`` loads plotly, so it is not imported here: ``from scoring.peers import charts``.
"""

from .benchmark import (BenchmarkResult, CompositionPart, GroupInfo, Stat, TrendOut, benchmark,
                        load_simulated, peer_from_application, peer_set_from_applications, percentile_rank, quantile,
                        score_peer)
from .peer_table import (MIN_PEERS, SOURCE_LABELS, SOURCE_NOTES, BenchmarkError, CsvIssue, Peer, PeerSet,
                         csv_template, parse_peer_csv)
from .assumptions import ASSUMPTIONS
from .simulate import SEED, generate_applications, simulated_csv, stale_files, write_all

__all__ = ["ASSUMPTIONS", "MIN_PEERS", "SEED", "SOURCE_LABELS", "SOURCE_NOTES", "BenchmarkError", "BenchmarkResult",
           "CompositionPart", "CsvIssue", "GroupInfo", "Peer", "PeerSet", "Stat", "TrendOut", "benchmark",
           "csv_template", "generate_applications", "load_simulated", "parse_peer_csv", "peer_from_application",
           "peer_set_from_applications", "percentile_rank", "quantile", "score_peer", "simulated_csv", "stale_files",
           "write_all"]
