"""ipmetrics: a region's IP work tracked against the goals of its plan, as its goal file declares them."""

__version__ = "0.1.0"
