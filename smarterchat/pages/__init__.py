"""One module per route; each exposes a ``*_page`` function and nothing else."""
