"""Inline SVG bar charts: no JavaScript library, readable offline, crisp at any zoom."""

from __future__ import annotations

import math
from html import escape

PALETTE = {"score": "#4f46e5", "delta": "#0ea5e9", "efficiency": "#10b981", "size": "#f59e0b", "setting": "#a855f7"}
FONT = "font-family:inherit;font-size:12px"


def _label(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _axis(value: float) -> tuple[float, float]:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most five steps, and the axis end."""
    if value <= 0:
        return 1.0, 1.0
    power = 10 ** math.floor(math.log10(value))
    step = next((m * power for m in (0.1, 0.2, 0.5, 1, 2, 5, 10) if value / (m * power) <= 5), 10 * power)
    return step, step * math.ceil(value / step - 1e-9)


def bar_chart(items: list[tuple[str, float]], color: str, title: str, unit: str = "", bar_w: int = 380) -> str:
    """Horizontal bars, one per (label, value), in the order given."""
    return stacked_bar_chart([(label, {"value": value}) for label, value in items], {"value": color}, title, unit, legend=False, bar_w=bar_w)


def stacked_bar_chart(
    items: list[tuple[str, dict[str, float]]], series: dict[str, str], title: str, unit: str = "", legend: bool = True,
    bar_w: int = 380,
) -> str:
    """Horizontal stacked bars: one row per label, one segment per series (in `series` order)."""
    if not items:
        return f'<p class="empty">No data for “{escape(title)}” yet.</p>'
    label_w, row_h, top = 190, 26, 34 if legend else 8
    width, height = label_w + bar_w + 60, top + row_h * len(items) + 24
    step, end = _axis(max(sum(parts.values()) for _, parts in items))
    scale = bar_w / end
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" style="{FONT};max-width:{width * 1.2:.0f}px">',
           f"<title>{escape(title)}</title>"]
    if legend:
        x = label_w
        for name, color in series.items():
            out.append(f'<rect x="{x}" y="8" width="12" height="12" rx="3" fill="{color}"/>'
                       f'<text x="{x + 17}" y="18" fill="#475569">{escape(name)}</text>')
            x += 24 + 7 * len(name) + 14
    for tick in range(round(end / step) + 1):
        value = step * tick
        x = label_w + value * scale
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 20}" stroke="#e2e8f0"/>'
                   f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="#94a3b8">{value:g}{escape(unit)}</text>')
    for row, (label, parts) in enumerate(items):
        y = top + row * row_h
        out.append(f'<text x="{label_w - 10}" y="{y + 17}" text-anchor="end" fill="#0f172a"><title>{escape(label)}</title>{escape(_label(label))}</text>')
        x = float(label_w)
        for name, color in series.items():
            value = parts.get(name, 0)
            if value <= 0:
                continue
            w = max(value * scale, 1.5)
            out.append(f'<rect class="bar" x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="4" fill="{color}">'
                       f"<title>{escape(label)} · {escape(name)}: {value:g}{escape(unit)}</title></rect>")
            x += w
        total = sum(parts.values())
        out.append(f'<text x="{x + 6:.1f}" y="{y + 17}" fill="#334155" font-weight="600">{total:g}{escape(unit)}</text>')
    out.append("</svg>")
    return "".join(out)
