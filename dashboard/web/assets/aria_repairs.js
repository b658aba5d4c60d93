// Repairs to the ARIA of dash 4.4's components, so screen readers hear what the controls are and
// an accessibility audit (axe-core) finds nothing serious. Each repair names what dash renders.
// A MutationObserver applies them to whatever dash draws or re-draws; React leaves attributes it
// did not change alone, and the observer re-applies the ones it does change.
(function () {
  // dcc.Checklist, dcc.RadioItems and the list of dcc.Dropdown render <div role="listbox"> with
  // <label role="option" aria-selected> around each native checkbox or radio: a listbox of
  // options that contain inputs ("nested-interactive"). The native inputs already say
  // everything: drop the roles.
  var LISTS = '.dash-checklist, .dash-radioitems, .dash-dropdown-options';
  function repairOptionLists(root) {
    root.querySelectorAll('.dash-checklist[role="listbox"], .dash-radioitems[role="listbox"], .dash-dropdown-options[role="listbox"]')
      .forEach(function (list) { list.removeAttribute('role'); });
    root.querySelectorAll(LISTS.split(', ').map(function (list) {
      return list + ' label[role="option"], ' + list + ' label[aria-selected]';
    }).join(', ')).forEach(function (label) {
      label.removeAttribute('role');
      label.removeAttribute('aria-selected');
    });
  }

  // dcc.Dropdown puts an aria-hidden, focusable <input> before its button to take Tab focus
  // ("aria-hidden-focus"), and names the button by its count, then its values run together
  // ("2 selected LabourSNP"), not as shown ("label-content-name-mismatch"). The button takes Tab
  // focus itself instead, and is named in words by its <label>, its values and their count
  // ("Parties: Labour, SNP, 2 selected").
  function repairDropdowns(root) {
    root.querySelectorAll('.dash-dropdown-focus-target').forEach(function (target) {
      if (target.tabIndex !== -1) { target.tabIndex = -1; }
      var button = target.nextElementSibling;
      if (button && button.tagName === 'BUTTON' && button.tabIndex !== 0 && !button.disabled) { button.tabIndex = 0; }
    });
    root.querySelectorAll('button.dash-dropdown[id]').forEach(function (button) {
      var label = document.querySelector('label[for="' + button.id + '"]');
      var text = function (element) { return element ? element.textContent.trim() : ''; };
      var values = Array.prototype.map.call(button.querySelectorAll('.dash-dropdown-value-item'), text).filter(Boolean);
      var shown = values.length ? values.join(', ') : text(button.querySelector('.dash-dropdown-placeholder'));
      var count = text(button.querySelector('.dash-dropdown-value-count'));
      var name = [label ? text(label) + ':' : '', shown + (count ? ',' : ''), count].filter(Boolean).join(' ');
      if (button.getAttribute('aria-label') !== name) { button.setAttribute('aria-label', name); }
      if (button.hasAttribute('aria-labelledby')) { button.removeAttribute('aria-labelledby'); }
      // its list opens in a popover dialog (Radix), named by the same label ("aria-dialog-name")
      if (button.getAttribute('aria-haspopup') !== 'dialog') { button.setAttribute('aria-haspopup', 'dialog'); }
      var popup = button.getAttribute('aria-controls') && document.getElementById(button.getAttribute('aria-controls'));
      if (popup && label && popup.getAttribute('aria-label') !== text(label)) { popup.setAttribute('aria-label', text(label)); }
    });
  }

  // dcc.Upload's file <input> has no name of its own ("label"): it is named by its drop zone's text.
  function repairUploads(root) {
    root.querySelectorAll('input[type="file"]:not([aria-labelledby]):not([aria-label])').forEach(function (input) {
      var zone = input.closest('[id]');
      if (zone && zone.id) { input.setAttribute('aria-labelledby', zone.id); }
    });
  }

  // dcc.Dropdown opens on a letter typed on its button and moves the focus to its search box a
  // frame later. A letter whose key goes down in between is typed into the button and lost
  // ("sn" filtered as "s"). Once the box is there, a letter's key moves the focus at once.
  document.addEventListener('keydown', function (event) {
    var button = event.target;
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (!(button instanceof HTMLElement) || !button.matches('button.dash-dropdown[aria-expanded="true"]')) { return; }
    var popup = button.getAttribute('aria-controls') && document.getElementById(button.getAttribute('aria-controls'));
    var search = popup && popup.querySelector('input.dash-dropdown-search');
    if (search) { search.focus(); }
  }, true);

  function repair() {
    repairOptionLists(document);
    repairDropdowns(document);
    repairUploads(document);
  }
  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; repair(); });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ['role', 'aria-selected', 'tabindex', 'aria-labelledby', 'aria-label', 'aria-haspopup', 'aria-controls']});
})();
