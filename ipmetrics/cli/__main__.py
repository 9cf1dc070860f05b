"""`python -m ipmetrics.cli …`: the same as the `ipmetrics` command."""

from ipmetrics.cli import main

main()
