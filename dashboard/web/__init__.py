"""The Dash app: create_app(settings), the layout, one module per panel, the component ids."""
