"""``python -m tratado.cli``."""

from tratado.cli import main

main()
