// A click on the chart places the writer's note at that date (web/marks_panel.py): the date under
// the pointer, or the figure's own date and party when the click is on a figure. plotly.js tells
// of clicks on points only, so the click is read from the pointer over the plot area, and the
// point under it (if any) from the plot's hover data. A drag (more than a few pixels) is no click.
(function () {
  // the inverse of core.selection.position: year Y spans [Y, Y + 1), each day at its middle
  function isoDate(x) {
    var year = Math.floor(x);
    var leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    var days = leap ? 366 : 365;
    var day = Math.min(Math.max(Math.floor((x - year) * days), 0), days - 1);
    return new Date(Date.UTC(year, 0, 1 + day)).toISOString().slice(0, 10);
  }

  function plotUnder(event) {
    var chart = document.getElementById(window.DASHBOARD_IDS.CHART);
    var plot = chart && chart.querySelector('.js-plotly-plot');
    var layout = plot && plot._fullLayout;
    if (!layout || !layout.xaxis || !layout._size) { return null; }
    var box = plot.getBoundingClientRect();
    var size = layout._size;
    var x = event.clientX - box.left - size.l;
    var y = event.clientY - box.top - size.t;
    if (x < 0 || y < 0 || x > size.w || y > size.h) { return null; }
    return {plot: plot, x: layout.xaxis.p2d(x)};
  }

  // the figure under the pointer, as the plot's hover found it (read on pointerdown: plotly.js
  // clears its hover data when a press starts)
  function hoveredFigure(plot) {
    var hovered = plot._hoverdata && plot._hoverdata[0];
    var meta = hovered && hovered.data && hovered.data.meta;
    if (!meta || !meta.party) { return null; }
    var date = typeof hovered.customdata === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(hovered.customdata)
      ? hovered.customdata : null;
    return {party: meta.party, date: date};
  }

  var down = null;
  document.addEventListener('pointerdown', function (event) {
    var under = event.button === 0 ? plotUnder(event) : null;
    down = under ? {x: event.clientX, y: event.clientY, figure: hoveredFigure(under.plot)} : null;
  }, true);
  document.addEventListener('pointerup', function (event) {
    if (!down || Math.abs(event.clientX - down.x) > 5 || Math.abs(event.clientY - down.y) > 5) { return; }
    var figure = down.figure;
    down = null;
    var under = plotUnder(event);
    if (!under || typeof under.x !== 'number' || !isFinite(under.x)) { return; }
    var click = {date: isoDate(under.x), party: ''};
    if (figure) {
      click.party = figure.party;
      click.date = figure.date || click.date;
    }
    click.at = Date.now();  // the same date clicked twice is still a new click
    window.dash_clientside.set_props(window.DASHBOARD_IDS.CHART_CLICK, {data: click});
    var box = document.getElementById(window.DASHBOARD_IDS.NOTE_TEXT);
    if (box && !box.value) { box.focus(); }
  }, true);
})();
