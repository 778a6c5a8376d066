"""The licence filter options shared by ``tasks``, ``build``, ``mix`` and ``export``."""

from __future__ import annotations

import functools

import click


def license_options(command):
    """Add ``--license``, ``--exclude-noncommercial`` and ``--open-only``; the
    command receives one ``license_filter`` argument (a LicenseFilter)."""

    @click.option("--license", "licenses", multiple=True, metavar="SPDX",
                  help="Only datasets under this licence id (repeatable; wildcards: 'CC-BY-*').")
    @click.option("--exclude-noncommercial", is_flag=True,
                  help="Leave out datasets whose licence does not clearly allow commercial use (NC licences, unknown terms).")
    @click.option("--open-only", is_flag=True, help="Only public datasets under an open licence.")
    @functools.wraps(command)
    def wrapper(*args, licenses, exclude_noncommercial, open_only, **kwargs):
        from ..licenses import LicenseFilter

        kwargs["license_filter"] = LicenseFilter(tuple(licenses), exclude_noncommercial, open_only)
        return command(*args, **kwargs)

    return wrapper


def report_left_out(dropped) -> None:
    """One stderr line per task a licence filter left out."""
    for task, why in dropped:
        click.echo(f"left out {task.id}: {why}", err=True)
