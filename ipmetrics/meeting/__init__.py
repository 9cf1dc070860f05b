"""The monthly meeting: snapshots frozen as the figures of record, whether a month is ready to freeze,
comparisons between snapshots, action items, and the briefing generated from a snapshot."""
