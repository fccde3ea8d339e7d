"""`rectify calendar`: a month of the official calendar (`rectify date` is in `date.py`)."""


from typing import Optional

import typer

from .root import app
from .common import fail_usage, fail_with, lang_of, today
from .options import LangOpt


@app.command("calendar")
def calendar_command(
    month: Optional[str] = typer.Argument(None, help="YYYY-MM or YYYY (default: this month)"),
    calendar_code: str = typer.Option("CN", "--calendar", help="Holiday calendar code (default CN)"),
    lang: Optional[str] = LangOpt,
) -> None:
    """A month grid with holidays (休), make-up workdays (班) and today marked. 月历：节假日与调休。"""
    from ..calendar import calendar_for
    from ..messages import text
    from ..model import CalendarSpec
    from ..problems import ProblemError
    from ..render.calendar_view import month_view, months
    from .status import console

    language = lang_of(lang)
    now = today()
    try:
        wanted = months(month, now)
    except ValueError:
        fail_usage(text("cal.bad_month", language, value=month), language)
    country, _, subdiv = calendar_code.partition("-")
    try:
        cal = calendar_for(CalendarSpec(country.upper(), subdiv or None))
        views = [month_view(cal, y, m, now, language) for y, m in wanted]
    except ProblemError as exc:
        fail_with(exc, language)
    show = console()
    for view in views:
        show.print(view)
