// The table of the figures a view shows, drawn from plain rows (web/counts_table.py: table_data).
// One element for Dash instead of one component a cell: Dash's renderer does work for every
// component on every change of the page, so a table of hundreds of rows made each change slow.
// Every text goes in with textContent (never parsed as markup); links are http(s) only, checked
// on the server (chart/table_rows.py: safe_link).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  figures: {
    draw: function (table) {
      var ids = window.DASHBOARD_IDS;
      var wrap = document.getElementById(ids.FIGURES_TABLE_WRAP);
      if (!wrap || !table) { return window.dash_clientside.no_update; }
      function el(tag, attributes, text) {
        var node = document.createElement(tag);
        Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
        if (text !== undefined && text !== null) { node.textContent = text; }
        return node;
      }
      var element = el('table', {id: ids.FIGURES_TABLE, 'class': 'figures'});
      element.appendChild(el('caption', {}, table.caption));
      var head = el('tr');
      table.headings.forEach(function (heading) { head.appendChild(el('th', {scope: 'col'}, heading)); });
      element.appendChild(el('thead')).appendChild(head);
      var body = el('tbody');
      table.rows.forEach(function (row) {
        var tr = el('tr', {'class': row.year_end ? 'year-end' : 'other-date'});
        row.cells.forEach(function (text, i) {
          var heading = table.headings[i];
          var attributes = {'data-label': heading};
          if (table.number_columns.indexOf(i) >= 0) { attributes['class'] = 'num'; }
          if (heading === 'Note') { attributes['class'] = 'note'; }
          var td = el('td', attributes);
          if (heading === 'Source' && row.link) {
            td.appendChild(el('a', {href: row.link, target: '_blank', rel: 'noopener noreferrer'}, text));
          } else {
            td.textContent = text;
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
      element.appendChild(body);
      wrap.replaceChildren(element);
      return table.rows.length;
    }
  }
});
