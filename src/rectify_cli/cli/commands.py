"""Every command on the typer application, in the order `rectify --help` lists them: daily use first.

The daily commands declare their options as data (params.py), so that they can
also start without typer (quick.py); the others register themselves on import.
"""


from . import check as _check, date as _date, status as _status
from .options import declared
from .root import app

for _module in (_status, _check, _date):
    for _name, (_function, _params) in _module.COMMANDS.items():
        app.command(_name)(declared(_params)(_function))

from . import dates as _dates  # noqa: E402,F401  (registers commands)
from . import edit as _edit  # noqa: E402,F401
from . import supervise as _supervise  # noqa: E402,F401
from . import history as _history  # noqa: E402,F401
from . import report as _report  # noqa: E402,F401
from . import schema as _schema  # noqa: E402,F401
from . import notify as _notify  # noqa: E402,F401
from . import fetch as _fetch  # noqa: E402,F401
from . import site as _site  # noqa: E402,F401
