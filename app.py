#!/usr/bin/env python3
"""CDK app entry point: `npx cdk synth -c config=path/to/config.json` (default: examples/ses-stack.json)."""

import sys
from pathlib import Path

from ses_stack._cdk.node import use_bundled_node

use_bundled_node()

from ses_stack.app.main import main  # noqa: E402 (after choosing Node: aws_cdk starts jsii)

if __name__ == "__main__":
    sys.exit(main(project_dir=Path(__file__).resolve().parent))
