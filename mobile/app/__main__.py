"""`python -m mobile.app` opens the field app (same as `suicha-field app`)."""

import sys

from mobile.cli import main

sys.exit(main(["app", *sys.argv[1:]]))
