"""The typer application's root: `rectify` itself, its help and its own options. Commands register on it (`commands.py`)."""


import typer

from .common import EXIT_CODES_HELP
from .helptext import LocalisedGroup
from .kept_output import HELP
from .options import typer_default
from .params import ROOT_LANG as ROOT_LANG_PARAM

app = typer.Typer(
    cls=LocalisedGroup,  # --help in the reader's language
    name="rectify",
    help=(
        "Track rectification (整改) work kept as YAML in git: validate the ledger, "
        "compute working-day deadlines, show who is late.\n\n" + EXIT_CODES_HELP
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": list(HELP)},
)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Show the version and exit."),
    lang: str = typer_default(ROOT_LANG_PARAM),
) -> None:
    """rectify: rectification ledgers as YAML in git."""
    from .common import ROOT_LANG

    ROOT_LANG.set(lang)
    if version:
        from importlib.metadata import version as dist_version

        typer.echo(f"rectify {dist_version('rectify-cli')}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit()
