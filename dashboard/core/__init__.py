"""The data: its schema, loading and validation, the reader's view and what it shows. No Dash, Flask or Kaleido."""
