"""The `periodize` command line: the commands (`main`: solve, report, validate, audit, schema,
explain; `inputs`: init and fit; `log`; `replan`; `sweep`: compare and solve-many), their shared
options and outputs (`options`) and Ctrl-C (`interrupts`). Exit codes: core/errors.py."""
