/* The page's one script that runs at once (web/first_paint.py). The first response is the page as
   plain HTML, the chart as an image: a reader who only looks pays for nothing more. This starts the
   live page (plotly.js, React, Dash's renderer, kept in an inert <template>):
   - on a laptop (a fine pointer that can hover), as soon as the page is idle: the mouse is its first
     interaction, and hover needs the live chart;
   - on a phone, when the reader touches the chart or a control, presses a key, or nears the panels
     below (their controls are the live page's);
   - at once when there is no chart image to show.
   Dash renders the live page out of sight; once its chart is drawn for this screen and its table is
   there, it takes the plain page's place in one frame. Both are laid out alike, so nothing moves.
   A click on a stand-in meanwhile is not lost: it is shown as waiting, then handed to the live
   control it stands for (data-live). */
(function () {
  'use strict';
  var root = document.documentElement;
  var scripts = document.getElementById('deferred-scripts');
  var first = document.getElementById('first-paint');
  var status = document.getElementById('boot-status');
  if (!scripts || !first) { return; }
  var ids = window.DASHBOARD_IDS || {};
  var started = false;
  var pending = null;  // the data-live selector of the stand-in a reader used before the live page
  var drawerOpen = false;

  function say(text) { if (status) { status.textContent = text; } }

  function start() {
    if (started) { return; }
    started = true;
    root.classList.add('booting');
    // the renderer asks for these once its scripts have run: asked for now, they are made meanwhile
    (scripts.getAttribute('data-fetch') || '').split(' ').forEach(function (href) {
      if (!href) { return; }
      var link = document.createElement('link');
      link.rel = 'preload'; link.as = 'fetch'; link.crossOrigin = 'anonymous'; link.href = href;
      document.head.appendChild(link);
    });
    var inert = Array.prototype.slice.call(scripts.content.querySelectorAll('script'));
    var external = inert.filter(function (s) { return s.src; });
    var inline = inert.filter(function (s) { return !s.src; });
    var left = external.length;
    function runInline() {  // Dash's renderer (allowed by its hash in the page's CSP)
      inline.forEach(function (s) {
        var script = document.createElement('script');
        if (s.id) { script.id = s.id; }
        script.textContent = s.textContent;
        document.body.appendChild(script);
      });
      watch();
    }
    external.forEach(function (s) {
      var script = document.createElement('script');
      script.src = s.src;
      script.async = false;  // run in the listed order, as the tags would have
      script.onload = script.onerror = function () { left -= 1; if (left === 0) { runInline(); } };
      document.body.appendChild(script);
    });
    if (!external.length) { runInline(); }
  }

  // The live page is ready when its chart is drawn, laid out for the width of its box on this
  // screen, and its table of figures is there.
  function ready() {
    var live = document.getElementById('react-entry-point');
    var graph = live && live.querySelector('#' + ids.CHART + ' .js-plotly-plot');
    if (!graph || !graph._fullLayout || !graph.querySelector('.main-svg')) { return false; }
    var box = graph.closest('.chart-box');
    var meta = graph.layout && graph.layout.meta;
    if (!box || !meta || meta.laid_out_for !== Math.round(box.getBoundingClientRect().width)) { return false; }
    return !!live.querySelector('#' + ids.FIGURES_TABLE);
  }

  function watch() {
    var live = document.getElementById('react-entry-point');
    var done = false;
    var observer = new MutationObserver(check);
    function check() {
      if (done || !ready()) { return; }
      done = true;
      observer.disconnect();
      // after plotly.js has painted the live chart, so the switch is never a blank frame
      requestAnimationFrame(function () { requestAnimationFrame(swap); });
    }
    observer.observe(live, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
    check();
  }

  function swap() {
    var focused = document.activeElement && first.contains(document.activeElement) ?
      document.activeElement.getAttribute('data-live') : null;
    var table = first.querySelector('.figures-table-wrap');
    var tableScrolled = table ? table.scrollTop : 0;
    first.remove();
    root.classList.remove('booting');
    root.classList.add('live');
    say('');
    var liveTable = document.querySelector('#react-entry-point .figures-table-wrap');
    if (liveTable && tableScrolled) { liveTable.scrollTop = tableScrolled; }  // where the reader was reading
    var setProps = window.dash_clientside && window.dash_clientside.set_props;
    if (drawerOpen && setProps) {  // the drawer the reader opened stays open
      setProps(ids.CONTROLS, { className: 'controls open' });
      setProps(ids.CONTROLS_TOGGLE, { 'aria-expanded': 'true' });
    }
    var wanted = pending || focused;
    if (!wanted) { return; }
    requestAnimationFrame(function () {
      var target = document.querySelector(wanted);
      if (!target) { return; }
      var typing = target.tagName === 'TEXTAREA' || (target.tagName === 'INPUT' && /^(text|number|search)$/.test(target.type));
      if (pending && !typing) { target.click(); }
      target.focus();
    });
  }

  // What a reader does with the plain page before the live one is there.
  first.addEventListener('click', function (event) {
    var stand = event.target.closest('[data-live]');
    if (!stand) { return; }
    if (stand.closest('a[href]')) { return; }  // a link works as it is
    event.preventDefault();
    if (ids.CONTROLS_TOGGLE && stand.getAttribute('data-live') === '#' + ids.CONTROLS_TOGGLE) {
      drawerOpen = true;  // the drawer opens at once, with the stand-ins; the live one follows
      var drawer = document.getElementById('fp-' + ids.CONTROLS);
      if (drawer) { drawer.classList.add('open'); }
      var close = document.getElementById('fp-' + ids.CONTROLS_CLOSE);
      if (close) { close.focus(); }
      say('Loading the controls…');
      start();
      return;
    }
    if (ids.CONTROLS_CLOSE && stand.getAttribute('data-live') === '#' + ids.CONTROLS_CLOSE) {
      drawerOpen = false;
      pending = null;
      var open = document.getElementById('fp-' + ids.CONTROLS);
      if (open) { open.classList.remove('open'); }
      say('');
      return;
    }
    pending = stand.getAttribute('data-live');
    say('Loading the controls…');
    start();
  }, true);
  first.addEventListener('focusin', function (event) {
    if (event.target.closest('[data-live]')) { start(); }
  });
  document.addEventListener('keydown', start, { once: true });
  var chart = first.querySelector('.chart-box');
  if (chart) {
    chart.addEventListener('pointerdown', function () { say('Loading the interactive chart…'); start(); });
    chart.addEventListener('pointerenter', start);
  }
  // the panels below the table (sharing, export, updates): their controls are the live page's
  var panels = first.querySelector('.share-panel') || first.querySelector('.panels');
  if (panels && window.IntersectionObserver) {
    new IntersectionObserver(function (entries, observer) {
      if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); start(); }
    }, { rootMargin: '0px 0px 200px 0px' }).observe(panels);
  }

  var image = first.querySelector('.chart-image');
  function noImage() { say(''); start(); }
  if (!image || scripts.hasAttribute('data-now')) {
    start();
  } else {
    if (image.complete && !image.naturalWidth) { noImage(); }
    image.addEventListener('error', noImage);
    var laptop = window.matchMedia && window.matchMedia('(hover: hover) and (pointer: fine)').matches;
    var saving = navigator.connection && navigator.connection.saveData;
    if (laptop && !saving) {
      var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 1); };
      idle(start, { timeout: 1500 });
    }
  }
})();
