"""The geometry of the comparison's pay chart (templates/roles/includes/pay_chart.html): each
role's 10th-to-90th percentile range as a bar with its median marked, on one axis from $0 so that
ranges compare at a glance. Pure functions of the figures; the template only draws.

Coordinates are in the SVG's own units (a viewBox WIDTH wide); the page scales it to its width.
"""

from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 400
LEFT, RIGHT = 4, 10  # the plot's margins inside the viewBox (room for an open end)
ROW_HEIGHT = 62
TOP = 6
AXIS_HEIGHT = 22  # below the rows: the tick labels
NAME_LENGTH = 46  # characters of a role's name the chart shows (the table has them whole)
MAX_TICKS = 4  # intervals on the axis, at most
STEPS = (1, 2, 2.5, 5)


def nice_step(top: float, max_ticks: int = MAX_TICKS) -> int:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that covers 0..top in `max_ticks` steps."""
    if top <= 0:
        return 1
    power = 1
    while True:
        for step in STEPS:
            size = step * power
            if size * max_ticks >= top and float(size).is_integer():
                return int(size)
        power *= 10


def ticks(top: float, max_ticks: int = MAX_TICKS) -> list[int]:
    """Tick values from 0 up to the first multiple of the nice step at or above `top`."""
    step = nice_step(top, max_ticks)
    count = max(1, -(-int(top) // step))  # ceiling
    return [step * i for i in range(count + 1)]


def position(value: float, axis_max: float, left: float = LEFT, width: float = WIDTH) -> float:
    """Where `value` sits on an axis from 0 (at `left`) to axis_max (at width - RIGHT)."""
    span = width - left - RIGHT
    return round(left + span * min(max(value, 0), axis_max) / axis_max, 1)


def money(value) -> str:
    """$102,320 (whole dollars) or $29.05 (an hourly figure): the site's one money format."""
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return f"${value:,.2f}"
    return f"${int(value):,}"


def short(name: str, length: int = NAME_LENGTH) -> str:
    return name if len(name) <= length else name[: length - 1].rstrip() + "…"


@dataclass
class Tick:
    x: float
    label: str
    anchor: str


@dataclass
class ChartRow:
    name: str
    y: int  # the row's top
    published: bool
    summary: str  # the figures in words, under the bar
    x10: float = 0
    x90: float = 0
    x_median: float = 0
    has_range: bool = False
    open_end: bool = False  # the 90th percentile is BLS's top figure: the bar goes on beyond it

    @property
    def name_y(self) -> int:
        return self.y + 14

    @property
    def bar_y(self) -> int:
        return self.y + 22

    @property
    def bar_mid(self) -> int:
        return self.y + 28

    @property
    def marker_top(self) -> int:
        return self.y + 18

    @property
    def marker_bottom(self) -> int:
        return self.y + 38

    @property
    def summary_y(self) -> int:
        return self.y + 54

    @property
    def bar_width(self) -> float:
        return round(self.x90 - self.x10, 1)

    @property
    def arrow(self) -> str:
        """A small triangle past the bar's end: "at or above" this figure."""
        x, y = self.x90, self.bar_mid
        return f"{x},{y - 7} {x + 7},{y} {x},{y + 7}"


@dataclass
class Chart:
    rows: list[ChartRow]
    ticks: list[Tick] = field(default_factory=list)
    height: int = 0
    axis_y: int = 0

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def view_box(self) -> str:
        return f"0 0 {WIDTH} {self.height}"

    @property
    def has_data(self) -> bool:
        return any(row.published for row in self.rows)


def figure_text(figure) -> str:
    return money(figure.value) + (" or more" if figure.at_least else "")


def _short_figure(figure) -> str:
    return money(figure.value) + ("+" if figure.at_least else "")


def summary(pay) -> str:
    """The figures in a line short enough for the chart ("+": at or above BLS's top figure)."""
    if not pay.published:
        return "Not published"
    text = f"Median {_short_figure(pay.median)}"
    if pay.has_range:
        text += f" · range {_short_figure(pay.p10)} to {_short_figure(pay.p90)}"
    return f"Editors' figure: {text[0].lower()}{text[1:]}" if pay.by_editors else text


def pay_chart(pays) -> Chart:
    """The chart of (name, RolePay) pairs, in their order; a role without pay gets a row that
    says "Not published" rather than an empty bar."""
    pays = list(pays)
    tops = [
        pay.p90.value if pay.has_range else pay.median.value for _, pay in pays if pay.published
    ]
    axis_max = ticks(max(tops))[-1] if tops else 0
    rows = []
    for index, (name, pay) in enumerate(pays):
        row = ChartRow(name=short(str(name)), y=TOP + index * ROW_HEIGHT, published=pay.published,
                       summary=summary(pay))  # fmt: skip
        if pay.published:
            row.x_median = position(pay.median.value, axis_max)
            if pay.has_range:
                row.has_range = True
                row.x10 = position(pay.p10.value, axis_max)
                row.x90 = position(pay.p90.value, axis_max)
                row.open_end = pay.p90.at_least
        rows.append(row)
    axis_y = TOP + len(rows) * ROW_HEIGHT
    chart = Chart(rows=rows, height=axis_y + AXIS_HEIGHT, axis_y=axis_y)
    if axis_max:
        values = ticks(axis_max)
        chart.ticks = [
            Tick(
                x=position(value, axis_max),
                label=money(value),
                anchor="start" if i == 0 else "end" if i == len(values) - 1 else "middle",
            )
            for i, value in enumerate(values)
        ]
    return chart
