"""A progress bar on stderr with total, rate and ETA; silent when stderr is
not a terminal (logs and pipes get the summary only)."""

from __future__ import annotations

import shutil
import sys
import time

import click


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class Progress:
    def __init__(self, label: str, *, total: int | None, unit: str = "item", enabled: bool = True) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.detail = ""
        self.active = enabled and sys.stderr.isatty()
        self.started = time.monotonic()
        self._last = 0.0

    def __enter__(self) -> "Progress":
        self.started = time.monotonic()
        self._draw(force=True)
        return self

    def __exit__(self, *exc) -> None:
        if self.active:
            click.echo("\r" + " " * (shutil.get_terminal_size().columns - 1) + "\r", nl=False, err=True)

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.done += n
        if detail:
            self.detail = detail
        self._draw(force=True)

    def message(self, text: str) -> None:
        """A line on stderr above the bar (the bar is redrawn below it)."""
        if self.active:
            click.echo("\r" + " " * (shutil.get_terminal_size().columns - 1) + "\r", nl=False, err=True)
        click.echo(text, err=True)
        self._draw(force=True)

    def note(self, detail: str) -> None:
        self.detail = detail
        self._draw()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.total:
            width = 20
            filled = int(width * min(self.done, self.total) / self.total)
            bar = "#" * filled + "-" * (width - filled)
            eta = _duration((self.total - self.done) / rate) if rate > 0 and self.done < self.total else "--:--"
            head = f"{self.label} [{bar}] {self.done}/{self.total} {self.unit}s {rate:.1f}/s ETA {eta}"
        else:
            head = f"{self.label} {self.done} {self.unit}s {rate:.1f}/s {_duration(elapsed)}"
        return f"{head}  {self.detail}" if self.detail else head

    def _draw(self, force: bool = False) -> None:
        if not self.active:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        width = shutil.get_terminal_size().columns - 1
        click.echo("\r" + self.line()[:width].ljust(width), nl=False, err=True)
