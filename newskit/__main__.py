"""`python -m newskit` is the `newskit` command."""

import sys

from .cli import main

sys.exit(main())
