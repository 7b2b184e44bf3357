"""``python -m minigrad``: the same as the ``minigrad`` command."""

import sys

from minigrad.cli import main

sys.exit(main())
