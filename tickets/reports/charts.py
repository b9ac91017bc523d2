"""Server-rendered SVG bar chart of orders per day: no JavaScript, readable without styles."""

from dataclasses import dataclass

from tickets.reports.selectors import Day

WIDTH = 720
HEIGHT = 240
LEFT = 40  # room for the y-axis labels
BOTTOM = 24  # room for the date labels
TOP = 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: Day
    label: str  # a date under the bar, only on some bars so they do not overlap


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    baseline: float
    bars: list[Bar]
    ticks: list[Tick]
    peak: int


def _nice_max(value: int) -> int:
    """Round the y-axis top up to 1, 2 or 5 × 10ⁿ so the ticks are round numbers."""
    if value <= 5:
        return max(value, 1)
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover


def orders_chart(days: list[Day]) -> Chart | None:
    """Bars of the number of paid orders per day; ``None`` when there were no sales."""
    if not days:
        return None
    peak = max(d.orders for d in days)
    top = _nice_max(peak)
    plot_width = WIDTH - LEFT - 4
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / len(days)
    bar_width = max(slot * 0.8, 1)
    every = max(1, round(len(days) / 8))
    bars = []
    for index, day in enumerate(days):
        height = plot_height * day.orders / top
        bars.append(
            Bar(
                x=round(LEFT + index * slot + (slot - bar_width) / 2, 2),
                y=round(TOP + plot_height - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                day=day,
                label=day.day.strftime("%d.%m") if index % every == 0 else "",
            )
        )
    ticks = [
        Tick(y=round(TOP + plot_height - plot_height * value / top, 2), value=value)
        for value in sorted({0, top // 2, top})
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        baseline=TOP + plot_height,
        bars=bars,
        ticks=ticks,
        peak=peak,
    )
