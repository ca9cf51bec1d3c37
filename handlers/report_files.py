"""/istatistik's files: the chart (PNG) and the workbook (XLSX), from plain figures.

matplotlib is imported when a chart is drawn (not at start-up: it is large) and drawn with its
object API on the Agg canvas, so it needs no display and may run in a worker thread.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.i18n import Translator
from bot.services.statistics import Figures, Statistics
from handlers.staff_views import place_name

CHART_DISTRICTS = 40  # the busiest ones; the workbook has them all


def figure_columns(t: Translator) -> list[str]:
    return [t.label("Open courses"), t.label("Registrations"), t.label("Waiting list"),
            t.label("Ceremonies"), t.label("Appointments"), t.label("Wishes (/bildirimler)")]


def figure_values(figures: Figures) -> list[int]:
    return [figures.open_courses, figures.registrations, figures.waiting, figures.ceremonies,
            figures.appointments, figures.demand]


def annual_rows(t: Translator, stats: Statistics) -> list[tuple[str, int]]:
    a = stats.annual
    return [(t.label("Courses opened"), a.courses_opened), (t.label("Trainees"), a.trainees),
            (t.label("Certificates"), a.certificates),
            (t.label("Certificate ceremonies"), a.ceremonies),
            (t.label("Counselling contacts"), a.counselling_contacts),
            (t.label("People placed in jobs"), a.placements)]


def _text(value: str) -> str:
    """A cell that must stay text: a name starting with = would otherwise be a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def statistics_workbook(t: Translator, stats: Statistics) -> bytes:
    """Sheets: the annual report, figures by district, by branch, and the wishes."""
    book = Workbook()
    bold = Font(bold=True)
    annual = book.active
    annual.title = t.label("Annual report")[:31]
    annual.append([t.label("Annual activity report {year}", year=stats.annual.year)])
    annual["A1"].font = bold
    for label, value in annual_rows(t, stats):
        annual.append([label, value])
    annual.column_dimensions["A"].width = 32

    def table(title: str, first: str, lines: Sequence[Figures]) -> None:
        sheet = book.create_sheet(title[:31])
        sheet.append([first, *figure_columns(t)])
        for cell in sheet[1]:
            cell.font = bold
        for line in lines:
            sheet.append([_text(place_name(t, line)), *figure_values(line)])
        sheet.append([t.label("Total"), *figure_values(stats.total)])
        sheet.column_dimensions["A"].width = 28

    table(t.label("Districts"), t.label("District"), stats.districts)
    table(t.label("Branches"), t.label("Branch"), stats.branches)
    wishes = book.create_sheet(t.label("Wishes")[:31])
    wishes.append([t.label("District"), t.label("Branch"), t.label("Wishes (/bildirimler)")])
    for cell in wishes[1]:
        cell.font = bold
    for wish in stats.demand:
        wishes.append([_text(wish.district or t.label("any district")),
                       _text(wish.branch or t.label("any branch")), wish.wishes])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def registrations_chart(t: Translator, stats: Statistics) -> bytes:
    """Registrations and waiting lists by district, as a horizontal bar chart (PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    lines = sorted(stats.districts, key=lambda f: (-f.registrations - f.waiting,
                                                   place_name(t, f)))[:CHART_DISTRICTS]
    lines.reverse()  # the busiest at the top
    names = [place_name(t, f) for f in lines]
    height = max(3.0, 0.32 * len(lines) + 1.5)
    figure = Figure(figsize=(8, height), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = range(len(lines))
    axes.barh([r + 0.2 for r in rows], [f.registrations for f in lines], height=0.4,
              label=t.label("Registrations"), color="#1f77b4")
    axes.barh([r - 0.2 for r in rows], [f.waiting for f in lines], height=0.4,
              label=t.label("Waiting list"), color="#ff7f0e")
    axes.set_yticks(list(rows), names)
    axes.set_title(t.label("Registrations and waiting lists by district"))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if lines:
        axes.legend(loc="lower right")
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
