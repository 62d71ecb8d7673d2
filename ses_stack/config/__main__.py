"""``python -m ses_stack.config > examples/ses-stack.schema.json``: print the config file's JSON Schema."""

import json

from ses_stack.config.model import json_schema

print(json.dumps(json_schema(), indent=2))
