/* The chart page (dashboard /embed and the static site's index.html): shows the chart's image for the
   width the page has, tells a parent page its height, and when the reader touches or hovers the
   chart (or when there is no image), loads plotly.js and the figure for that width and draws the
   live chart in the image's place: the same size and drawing, in the reader's colour scheme. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("chart-config").textContent);
  var box = document.getElementById("chart-box");
  var chart = document.getElementById("chart");
  var image = box.querySelector(".chart-image");
  var scheme = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var figures = window[config.global] = window[config.global] || {};
  var started = false;
  var loading = {};
  var lastHeight = 0;

  function isDark() { return !!(scheme && scheme.matches); }

  function reportHeight() {
    if (window.parent === window) { return; }
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) { return; }
    lastHeight = height;
    var message = {};
    message[config.message] = { height: height };
    window.parent.postMessage(message, "*");  // a height is not a secret: any embedding page may have it
  }

  function load(src, then) {
    if (loading[src]) { loading[src].push(then); return; }
    loading[src] = [then];
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () { loading[src].forEach(function (f) { f(); }); loading[src] = null; };
    document.head.appendChild(script);
  }

  // The box has the size of the chart for this width (CSS); the figure made for that size.
  function draw() {
    var width = Math.round(box.getBoundingClientRect().width);
    var height = Math.round(box.getBoundingClientRect().height);
    var key = String(width);
    if (!config.figures[key]) {  // not a size the page knows (a zoomed page): the nearest below
      key = Object.keys(config.figures).filter(function (w) { return Number(w) <= width; }).pop() ||
        Object.keys(config.figures)[0];
    }
    if (!figures[key]) { load(config.figures[key], draw); return; }
    var figure = figures[key][isDark() ? "dark" : "light"];
    document.documentElement.setAttribute("data-theme", isDark() ? "dark" : "light");
    var layout = Object.assign({}, figure.layout, { width: width, height: height });
    window.Plotly.react(chart, figure.data, layout, config.config).then(function () {
      box.classList.add("live");
      reportHeight();
    });
  }

  function start() {
    if (started) { return; }
    started = true;
    load(config.plotly, draw);
  }

  if (!image) {
    start();
  } else {
    if (image.complete && !image.naturalWidth) { start(); }
    image.addEventListener("error", start);
    ["pointerenter", "pointerdown", "touchstart", "focusin"].forEach(function (name) {
      box.addEventListener(name, start, { passive: true });
    });
    document.addEventListener("keydown", start, { once: true });
  }
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { if (started && window.Plotly) { draw(); } reportHeight(); }, 100);
  });
  if (scheme) {
    var redraw = function () { if (started && window.Plotly) { draw(); } };
    if (scheme.addEventListener) { scheme.addEventListener("change", redraw); } else { scheme.addListener(redraw); }
  }
  if (window.ResizeObserver) { new ResizeObserver(reportHeight).observe(document.body); }
  reportHeight();
  window.addEventListener("load", reportHeight);
})();
