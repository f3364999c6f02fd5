"""`python -m audiogen` runs the command line."""

from .cli import main

main()
