/* The chart page (dashboard /embed and the static site's index.html): draws the layout made for
   the width the page has, in the reader's colour scheme, and tells a parent page its height. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var chart = document.getElementById("chart");
  var scheme = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var widths = Object.keys(data.charts).map(Number).sort(function (a, b) { return a - b; });
  var drawnWidth = 0;
  var lastHeight = 0;

  // colours.graphics for lines, markers, fills and the paper; colours.text for colours inside a font
  function recolour(value, colours, inFont) {
    if (Array.isArray(value)) { return value.map(function (item) { return recolour(item, colours, inFont); }); }
    if (!value || typeof value !== "object") { return value; }
    var table = inFont ? colours.text : colours.graphics;
    var swap = function (c) {
      return typeof c === "string" && Object.prototype.hasOwnProperty.call(table, c) ? table[c] : c;
    };
    var out = {};
    Object.keys(value).forEach(function (key) {
      var item = value[key];
      if (key.indexOf("color") !== -1 && typeof item === "string") {
        out[key] = swap(item);
      } else if (key.indexOf("color") !== -1 && Array.isArray(item)) {
        out[key] = item.map(swap);
      } else {
        out[key] = recolour(item, colours, inFont || /font$/.test(key));
      }
    });
    return out;
  }

  function merge(base, extra) {
    var out = Object.assign({}, base);
    Object.keys(extra).forEach(function (key) {
      var both = out[key] && typeof out[key] === "object" && typeof extra[key] === "object";
      out[key] = both ? merge(out[key], extra[key]) : extra[key];
    });
    return out;
  }

  function isDark() { return !!(scheme && scheme.matches); }

  function reportHeight() {
    if (window.parent === window) { return; }
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) { return; }
    lastHeight = height;
    var message = {};
    message[data.message] = { height: height };
    window.parent.postMessage(message, "*");  // a height is not a secret: any embedding page may have it
  }

  function draw() {
    var have = chart.clientWidth || document.documentElement.clientWidth;
    var pick = widths[0];
    widths.forEach(function (w) { if (w <= have) { pick = w; } });
    var figure = data.charts[String(pick)];
    var traces = figure.data;
    var layout = figure.layout;
    if (isDark()) {
      traces = recolour(traces, data.dark.colours, false);
      layout = merge(recolour(layout, data.dark.colours, false), data.dark.layout);
    }
    document.documentElement.setAttribute("data-theme", isDark() ? "dark" : "light");
    layout = Object.assign({}, layout, { width: have, height: layout.height });
    drawnWidth = have;
    return Plotly.react(chart, traces, layout, data.config).then(reportHeight);
  }

  draw();
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if ((chart.clientWidth || document.documentElement.clientWidth) !== drawnWidth) { draw(); } else { reportHeight(); }
    }, 100);
  });
  if (scheme) {
    var redraw = function () { draw(); };
    if (scheme.addEventListener) { scheme.addEventListener("change", redraw); } else { scheme.addListener(redraw); }
  }
  if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
  window.addEventListener("load", reportHeight);
})();
