"""`python -m parlgraph`: the same as the console command."""

from .cli import main

main()
