"""The chart: (dataset, view) -> plotly figure in the house style, its table rows and alt text."""
