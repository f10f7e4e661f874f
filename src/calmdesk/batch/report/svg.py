"""Inline SVG charts: two kinds are all the report needs, and writing them here keeps the report a
single file that opens offline, with no charting library, CDN or script.

Every chart carries a <title> per mark, so hovering shows the exact figure, and the report prints
the same figures in a table beside it for readers who cannot see the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

COLORS = ("#c0392b", "#2e7d32", "#1f6fb2", "#8e44ad")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _fmt(value: float, percent: bool) -> str:
    return f"{value * 100:.0f}%" if percent else f"{value:,.0f}"


def _nice_max(values: Sequence[float], percent: bool) -> float:
    top = max(values, default=0.0)
    if percent:
        return 1.0 if top > 0.5 else max(0.1, round(top * 1.2 + 0.05, 1))
    if top <= 0:
        return 1.0
    step = 10 ** (len(str(int(top))) - 1)
    return float((int(top / step) + 1) * step)


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    parts = []
    for i, name in enumerate(names):
        left = x + i * 160
        color = COLORS[i % len(COLORS)]
        parts.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{left + 14}" y="{y}" {FONT}>{escape(name)}</text>')
    return parts


def line_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    percent: bool = True,
    width: int = 760,
    height: int = 280,
) -> str:
    """One line per series over ordered categories (time buckets)."""
    left, right, top, bottom = 48, 40, 28, 44  # room for the last x label
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for vs in series.values() for v in vs]
    ymax = _nice_max(values, percent)
    n = len(labels)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / ymax

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="chart">']
    for k in range(5):
        v = ymax * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            'stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" {FONT}>'
            f"{_fmt(v, percent)}</text>"
        )
    step = max(1, n // 10)
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" {FONT}>'
                f"{escape(label)}</text>"
            )
    for s, (name, vs) in enumerate(series.items()):
        color = COLORS[s % len(COLORS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vs))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2"/>')
        for i, v in enumerate(vs):
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{color}">'
                f"<title>{escape(name)}, {escape(labels[i])}: {_fmt(v, percent)}</title></circle>"
            )
    parts += _legend(list(series), left, 16)
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    percent: bool = True,
    width: int = 760,
    label_width: int = 200,
) -> str:
    """Horizontal bars, one group per label and one bar per series (rates side by side)."""
    names = list(series)
    bar, gap = 12, 10
    group = bar * len(names) + gap
    top = 28
    height = top + group * len(labels) + 24
    plot_w = width - label_width - 60
    values = [v for vs in series.values() for v in vs]
    vmax = _nice_max(values, percent)
    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="chart">']
    for i, label in enumerate(labels):
        y0 = top + i * group
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + bar * len(names) / 2 + 4:.1f}" '
            f'text-anchor="end" {FONT}>{escape(short)}</text>'
        )
        for s, name in enumerate(names):
            v = series[name][i]
            w = plot_w * v / vmax
            color = COLORS[s % len(COLORS)]
            yb = y0 + s * bar
            parts.append(
                f'<rect x="{label_width}" y="{yb}" width="{w:.1f}" height="{bar - 2}" '
                f'fill="{color}"><title>{escape(label)}, {escape(name)}: '
                f"{_fmt(v, percent)}</title></rect>"
            )
            parts.append(
                f'<text x="{label_width + w + 4:.1f}" y="{yb + bar - 3}" {FONT}>'
                f"{_fmt(v, percent)}</text>"
            )
    if len(names) > 1:
        parts += _legend(names, label_width, 16)
    parts.append("</svg>")
    return "".join(parts)
