"""The chart on a phone as plotly.js draws it: its legend, the row naming elections and leaders, and the
leaders' names at the foot of the plot, each clear of the others (a crowded phone chart once drew the
legend over the axis's unit and ran leaders' names together, "Smith Tony Blair")."""
from __future__ import annotations

import pytest
from helpers import CHART, wait_for_chart

pytestmark = [pytest.mark.browser]

PHONES = [{"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
          {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}]
# The drawn boxes of the legend, the axis's unit and every italic label (leaders' names), in page pixels.
BOXES = f"""() => {{
  const chart = document.querySelector('{CHART}');
  const box = e => {{ const b = e.getBoundingClientRect(); return {{left: b.left, right: b.right, top: b.top, bottom: b.bottom}}; }};
  const legend = chart.querySelector('.legend .bg');
  const annotations = [...chart.querySelectorAll('.annotation')];
  const unit = annotations.find(a => a.textContent === 'Members');
  const leaders = annotations.filter(a => a.querySelector('tspan[style*="italic"]'))
    .map(a => ({{text: a.textContent, ...box(a.querySelector('.annotation-text'))}}));
  return {{legend: legend && box(legend), unit: unit && box(unit.querySelector('.annotation-text')), leaders}};
}}"""


@pytest.mark.parametrize("phone", PHONES, ids=["390", "360"])
@pytest.mark.parametrize("query", ["", "?parties=labour,reform,yourparty", "?parties=labour,conservative,libdem,snp,reform"])
def test_on_a_phone_the_legend_clears_the_axis_unit_and_leaders_names_keep_apart(live_server, chromium, phone, query):
    context = chromium.new_context(**phone)
    page = context.new_page()
    page.goto(live_server.url + "/" + query)
    page.keyboard.press("Shift")  # a key starts the live page on a phone
    wait_for_chart(page)
    drawn = page.evaluate(BOXES)
    assert drawn["unit"] is not None
    if drawn["legend"] is not None:
        assert drawn["legend"]["bottom"] <= drawn["unit"]["top"] + 0.5, drawn
    leaders = drawn["leaders"]
    assert leaders  # the default view's leaders are named somewhere
    for i, one in enumerate(leaders):
        for other in leaders[i + 1:]:
            same_line = one["top"] < other["bottom"] and other["top"] < one["bottom"]
            apart = max(other["left"] - one["right"], one["left"] - other["right"])
            assert not same_line or apart >= 6, (one, other)  # a word's space at this size is about 3 px
    context.close()
