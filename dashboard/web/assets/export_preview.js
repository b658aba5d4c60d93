// The export preview is drawn at the export's full size (so its text wraps as in the file);
// scale it to the width its frame has, whenever the panel appears, the preview is redrawn or the
// window is resized. An observer rather than a callback: the panel arrives after the page.
// The panel also says whether it is on screen (or nearly), in its store export-in-view: the
// server draws the preview only then, so a view changed with the panel off screen costs less.
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

  var watched = null;
  var said = false;  // the store's first value (export_panel.py)
  var onScreen = new IntersectionObserver(function (entries) {
    var now = entries[entries.length - 1].isIntersecting;
    if (now !== said) {
      said = now;
      window.dash_clientside.set_props(window.DASHBOARD_IDS.EXPORT_IN_VIEW, {data: now});
    }
  }, {rootMargin: '300px 0px'});
  function watch() {
    var frame = document.getElementById(window.DASHBOARD_IDS.EXPORT_PREVIEW_FRAME);
    if (frame === watched) { return; }
    if (watched) { onScreen.unobserve(watched); }
    watched = frame;
    said = false;
    if (frame) { onScreen.observe(frame); }
  }

  new MutationObserver(function () { fit(); watch(); }).observe(document.documentElement, {childList: true, subtree: true});
  window.addEventListener('resize', fit);
})();
