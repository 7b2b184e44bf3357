"""One module per ``minigrad`` subcommand, each with ``add_arguments(parser)`` and ``run(args)``."""
