"""The plot's toolbar, the same on the page, the embed and the static site: the camera stays, the
tools a reader of a fixed chart does not need (box and lasso select, zoom, pan, sharing) go."""
from __future__ import annotations

PLOT_CONFIG: dict = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d",
                               "autoScale2d", "resetScale2d", "sendChartToCloud", "sendDataToCloud"],
    "showSendToCloud": False,
    "showEditInChartStudio": False,
}
