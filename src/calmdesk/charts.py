"""Inline SVG charts shared by the batch report and the web dashboard.

Two kinds are all calmdesk needs; drawing them here keeps every page self-contained (no charting
library, CDN or script). Every mark carries a <title> with its exact figure, every series has a
text legend and its own dash pattern (colour is never the only signal), and a mark can be a link,
so the dashboard drills down from any point to the conversations behind it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

COLORS = ("#c0392b", "#2e7d32", "#1f6fb2", "#8e44ad")
#: one dash pattern per series, so lines differ in shape as well as colour
DASHES = ("", "6 4", "2 3", "10 3 2 3")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'

Links = Mapping[str, Sequence[str | None]]


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


def _legend(names: Sequence[str], x: float, y: float, *, lines: bool) -> list[str]:
    parts = []
    left = x
    for i, name in enumerate(names):
        color = COLORS[i % len(COLORS)]
        if lines:
            dash = DASHES[i % len(DASHES)]
            parts.append(
                f'<line x1="{left - 4}" x2="{left + 12}" y1="{y - 4}" y2="{y - 4}" '
                f'stroke="{color}" stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        else:
            parts.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        parts.append(f'<text x="{left + 16}" y="{y}" {FONT}>{escape(name)}</text>')
        left += 40 + 7 * len(name)  # about a character's width at this font size
    return parts


def _linked(mark: str, href: str | None, label: str) -> str:
    """The mark wrapped in a keyboard-reachable link when it has a drill-down target."""
    if not href:
        return mark
    return f'<a href="{escape(href)}" class="chart-link" aria-label="{escape(label)}">{mark}</a>'


def _open_svg(width: int, height: int, label: str) -> str:
    aria = f' aria-label="{escape(label)}"' if label else ""
    return f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="chart"{aria}>'


def line_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    percent: bool = True,
    width: int = 760,
    height: int = 280,
    links: Links | None = None,
    label: str = "",
) -> str:
    """One line per series over ordered categories (time buckets); None is a gap (no data)."""
    left, right, top, bottom = 48, 40, 28, 44  # room for the last x label
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for vs in series.values() for v in vs if v is not None]
    ymax = _nice_max(values, percent)
    n = len(labels)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * v / ymax

    parts = [_open_svg(width, height, label)]
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
    for i, name in enumerate(labels):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" {FONT}>'
                f"{escape(name)}</text>"
            )
    for s, (name, vs) in enumerate(series.items()):
        color = COLORS[s % len(COLORS)]
        dash = DASHES[s % len(DASHES)]
        runs: list[list[str]] = [[]]
        for i, val in enumerate(vs):
            if val is None:
                runs.append([])
            else:
                runs[-1].append(f"{x(i):.1f},{y(val):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{color}" '
                    f'stroke-width="2" stroke-dasharray="{dash}"/>'
                )
        hrefs = (links or {}).get(name, ())
        for i, val in enumerate(vs):
            if val is None:
                continue
            text = f"{name}, {labels[i]}: {_fmt(val, percent)}"
            mark = (
                f'<circle cx="{x(i):.1f}" cy="{y(val):.1f}" r="4" fill="{color}">'
                f"<title>{escape(text)}</title></circle>"
            )
            parts.append(_linked(mark, hrefs[i] if i < len(hrefs) else None, text))
    parts += _legend(list(series), left, 16, lines=True)
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    percent: bool = True,
    width: int = 760,
    label_width: int = 200,
    links: Links | None = None,
    label: str = "",
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
    parts = [_open_svg(width, height, label)]
    for i, name_i in enumerate(labels):
        y0 = top + i * group
        short = name_i if len(name_i) <= 30 else name_i[:29] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y0 + bar * len(names) / 2 + 4:.1f}" '
            f'text-anchor="end" {FONT}>{escape(short)}</text>'
        )
        for s, name in enumerate(names):
            v = series[name][i]
            w = plot_w * v / vmax
            color = COLORS[s % len(COLORS)]
            yb = y0 + s * bar
            text = f"{name_i}, {name}: {_fmt(v, percent)}"
            mark = (
                f'<rect x="{label_width}" y="{yb}" width="{max(w, 1.5):.1f}" '
                f'height="{bar - 2}" fill="{color}"><title>{escape(text)}</title></rect>'
            )
            hrefs = (links or {}).get(name, ())
            parts.append(_linked(mark, hrefs[i] if i < len(hrefs) else None, text))
            parts.append(
                f'<text x="{label_width + w + 4:.1f}" y="{yb + bar - 3}" {FONT}>'
                f"{_fmt(v, percent)}</text>"
            )
    if len(names) > 1:
        parts += _legend(names, label_width, 16, lines=False)
    parts.append("</svg>")
    return "".join(parts)
