// Clientside functions of the page's view, link and share section (chart_callbacks.py,
// share_panel.py). In a file, not inline: a Content-Security-Policy without 'unsafe-inline'
// lets it run.
(function () {
  var noUpdate = function () { return window.dash_clientside.no_update; };
  // The chart's box takes the widest of a few sizes that fits the window (chart/screen_sizes.py): when
  // a resize gives it another, the chart is laid out again for it (chart_callbacks: VIEWPORT_WIDTH).
  var resizing = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      var ids = window.DASHBOARD_IDS;
      var chart = ids && document.getElementById(ids.CHART);
      var graph = chart && chart.querySelector('.js-plotly-plot');
      var box = chart && chart.closest('.chart-box');
      var clientside = window.dash_clientside;
      if (!graph || !box || !clientside || !clientside.set_props) { return; }
      var width = Math.round(box.getBoundingClientRect().width);
      var laidOut = graph.layout && graph.layout.meta && graph.layout.meta.laid_out_for;
      if (width && width !== laidOut) { clientside.set_props(ids.VIEWPORT_WIDTH, { data: width }); }
    }, 250);
  });
  // Escape closes the controls' drawer on a phone, as its Done button does.
  document.addEventListener('keydown', function (event) {
    var ids = window.DASHBOARD_IDS;
    var drawer = ids && document.getElementById(ids.CONTROLS);
    if (event.key === 'Escape' && drawer && drawer.classList.contains('open')) {
      document.getElementById(ids.CONTROLS_CLOSE).click();
    }
  });
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    explore: {
      // The controls' drawer (a phone): open from the bar's button, closed by Done; the focus goes
      // into it when it opens and back to the button when it closes.
      drawer: function () {
        var ids = window.DASHBOARD_IDS;
        var open = window.dash_clientside.callback_context.triggered_id === ids.CONTROLS_TOGGLE;
        setTimeout(function () {
          var target = open ? document.getElementById(ids.CONTROLS_CLOSE) : document.getElementById(ids.CONTROLS_TOGGLE);
          if (target) { target.focus(); }
        }, 0);
        return [open ? 'controls open' : 'controls', open ? 'true' : 'false'];
      },
      // The link to this view and the citation, with the page's address as the reader's browser has it.
      share: function (info) {
        if (!info) { return [noUpdate(), noUpdate(), noUpdate(), noUpdate()]; }
        var link = window.location.origin + window.location.pathname + info.query;
        return [link, info.cite[0] + link + info.cite[1], info.csv + info.query, info.xlsx + info.query];
      },
      // Copy the link or the citation; where the Clipboard API is not allowed (a plain-http
      // address), select the text so the reader can copy it.
      copy: function () {
        var ids = window.DASHBOARD_IDS;
        var link = window.dash_clientside.callback_context.triggered_id === ids.COPY_LINK;
        var field = document.getElementById(link ? ids.SHARE_LINK : ids.CITATION);
        var what = link ? 'Link' : 'Citation';
        if (!field) { return noUpdate(); }
        var selectIt = function () {
          field.focus();
          field.select();
          var copied = false;
          try { copied = document.execCommand('copy'); } catch (e) { copied = false; }
          return copied ? what + ' copied.' : what + ' selected: press Ctrl+C (⌘C on a Mac) to copy it.';
        };
        if (navigator.clipboard && window.isSecureContext) {
          return navigator.clipboard.writeText(field.value).then(function () { return what + ' copied.'; }, selectIt);
        }
        return selectIt();
      }
    }
  });
})();
