"""`python -m periodize.cli`: the `periodize` command without its installed script."""

from periodize.cli.main import main

main()
