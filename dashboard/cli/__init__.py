"""`membership ...` on the command line: one module per group of commands over cli/common.py."""
