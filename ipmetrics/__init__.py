"""ipmetrics: progress of county IP work against the goals of 罗政〔2021〕28号."""

__version__ = "0.1.0"
