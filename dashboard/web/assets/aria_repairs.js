// Repairs to the ARIA of dash 4.4's components, so screen readers hear what the controls are and
// an accessibility audit (axe-core) finds nothing serious. Each repair names what dash renders.
// A MutationObserver applies them to whatever dash draws or re-draws; React leaves attributes it
// did not change alone, and the observer re-applies the ones it does change.
(function () {
  // dcc.Checklist and dcc.RadioItems render <div role="listbox"> with <label role="option"
  // aria-selected> around each native checkbox or radio: a listbox of options that contain
  // inputs ("nested-interactive"). The native inputs already say everything: drop the roles.
  function repairOptionLists(root) {
    root.querySelectorAll('.dash-checklist[role="listbox"], .dash-radioitems[role="listbox"]').forEach(function (list) {
      list.removeAttribute('role');
    });
    root.querySelectorAll('.dash-checklist label[role="option"], .dash-radioitems label[role="option"],' +
                          '.dash-checklist label[aria-selected], .dash-radioitems label[aria-selected]').forEach(function (label) {
      label.removeAttribute('role');
      label.removeAttribute('aria-selected');
    });
  }

  // dcc.Dropdown puts an aria-hidden, focusable <input> before its button to take Tab focus
  // ("aria-hidden-focus"), and names the button by its value only. The button takes Tab focus
  // itself instead, and is named by its <label> too ("Parties: Labour, SNP").
  function repairDropdowns(root) {
    root.querySelectorAll('.dash-dropdown-focus-target').forEach(function (target) {
      if (target.tabIndex !== -1) { target.tabIndex = -1; }
      var button = target.nextElementSibling;
      if (button && button.tagName === 'BUTTON' && button.tabIndex !== 0 && !button.disabled) { button.tabIndex = 0; }
    });
    root.querySelectorAll('button.dash-dropdown[id]').forEach(function (button) {
      var label = document.querySelector('label[for="' + button.id + '"]');
      if (!label) { return; }
      if (!label.id) { label.id = button.id + '-label'; }
      var names = (button.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
      if (names[0] !== label.id) {
        button.setAttribute('aria-labelledby', [label.id].concat(names.filter(function (n) { return n !== label.id; })).join(' '));
      }
    });
  }

  function repair() {
    repairOptionLists(document);
    repairDropdowns(document);
  }
  var scheduled = false;
  new MutationObserver(function () {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () { scheduled = false; repair(); });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                        attributeFilter: ['role', 'aria-selected', 'tabindex', 'aria-labelledby']});
})();
