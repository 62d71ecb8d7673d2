"""``ses-preflight validate-list``: an address list checked with SES's email validation before the first send."""
