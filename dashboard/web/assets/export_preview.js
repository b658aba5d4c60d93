// The export preview is drawn at the export's full size (so its text wraps as in the file);
// scale it to the width its frame has, whenever the panel appears, the preview is redrawn or the
// window is resized. An observer rather than a callback: the panel arrives after the page.
(function () {
  function fit() {
    var frame = document.getElementById(window.DASHBOARD_IDS.EXPORT_PREVIEW_FRAME);
    var inner = document.getElementById(window.DASHBOARD_IDS.EXPORT_PREVIEW_INNER);
    var plot = inner && inner.querySelector('.js-plotly-plot');
    var width = plot && plot.layout && plot.layout.width;
    if (!frame || !width || !frame.clientWidth) { return; }
    var transform = 'scale(' + frame.clientWidth / width + ')';
    if (inner.style.transform !== transform) { inner.style.transform = transform; }
  }
  new MutationObserver(fit).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener('resize', fit);
})();
