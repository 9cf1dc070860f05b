"""Why each goal stands where it does: one module per thematic area (trademarks, patents, financing,
enterprises, brands, rewards), the named records behind a figure (ledger), and one ranking of a region
among its peers (peers, townships included)."""
