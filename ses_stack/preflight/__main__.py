"""``python -m ses_stack.preflight``."""

from ses_stack.preflight.cli import main

raise SystemExit(main())
