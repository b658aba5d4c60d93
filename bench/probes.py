"""Scripts a page benchmark adds to a page before it loads, to time it from inside the browser."""
from __future__ import annotations

# Records the moment the first data trace is in the SVG, relative to navigation start.
DRAWN_PROBE = """
new MutationObserver((_, observer) => {
  if (document.querySelector('.main-svg .scatterlayer .trace')) {
    window.__drawn = performance.now(); observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
