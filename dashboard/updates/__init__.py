"""Changing the data: reading uploads, the diff, the only writer of data/, and who may change it."""
