"""The shared SVG charts: drill-down links on every mark, gaps for missing data, and series that
differ by dash pattern as well as colour."""

from __future__ import annotations

import re

from calmdesk.charts import bar_chart, line_chart


def test_web_charts_line_points_link_to_their_drill_down():
    svg = line_chart(
        ["w1", "w2"],
        {"escalation rate": [0.5, 0.25]},
        links={"escalation rate": ["/ui/x?week=1", "/ui/x?week=2"]},
        label="Escalation rate",
    )
    assert re.findall(r'<a href="([^"]+)"', svg) == ["/ui/x?week=1", "/ui/x?week=2"]
    assert 'aria-label="escalation rate, w2: 25%"' in svg
    assert 'role="img"' in svg and 'aria-label="Escalation rate"' in svg


def test_web_charts_a_missing_week_is_a_gap_not_a_zero():
    svg = line_chart(["w1", "w2", "w3"], {"rate": [0.5, None, 0.4]})
    assert svg.count("<circle") == 2
    assert "<polyline" not in svg, "no line is drawn across the gap"


def test_web_charts_series_differ_by_dash_pattern():
    svg = line_chart(["a", "b"], {"one": [0.1, 0.2], "two": [0.3, 0.4]})
    dashes = re.findall(r'<polyline[^>]*stroke-dasharray="([^"]*)"', svg)
    assert len(set(dashes)) == 2


def test_web_charts_bars_link_and_escape_their_labels():
    svg = bar_chart(
        ["<kevin>"], {"per 10": [3.0]}, percent=False, links={"per 10": ["/ui/d?a=1&b=2"]}
    )
    assert "&lt;kevin&gt;" in svg and "<kevin>" not in svg
    assert 'href="/ui/d?a=1&amp;b=2"' in svg
