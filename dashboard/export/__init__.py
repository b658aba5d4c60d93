"""Files made from a view: PNG/SVG images (one warm browser), data downloads and the static site."""
