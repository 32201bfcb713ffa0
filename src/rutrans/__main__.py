"""``python -m rutrans`` runs the command line."""

from rutrans.cli import main

main()
