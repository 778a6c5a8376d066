"""Errors a user can cause.  The CLI prints them as one line, without traceback.

Every error says *where* (file and line, file and JSON pointer, or record id)
and *what was expected*.  Code that finds a problem in user input raises one of
these; anything else escaping to the CLI is a bug and is shown with its
traceback only under ``--debug``.
"""

from __future__ import annotations

from os import PathLike


class MedinstError(Exception):
    """Base class of errors caused by user input or configuration."""

    exit_code = 1


class UsageError(MedinstError):
    """A command was called wrongly (unknown task, conflicting options...)."""

    exit_code = 2


#: longest message a SourceError repeats (the excerpt of a huge line is cut)
_MESSAGE_LIMIT = 2000


class SourceError(MedinstError):
    """A native source file is malformed.

    ``str(err)`` reads ``path:line: message``; ``line`` may be ``None`` when the
    problem is not tied to one line (then a record id should be in the message).
    """

    def __init__(self, path: str | PathLike | None, line: int | None, message: str):
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        if len(message) > _MESSAGE_LIMIT:
            # never echo a huge input line (a 200 MB line, a binary file)
            message = message[: _MESSAGE_LIMIT // 2] + f"... ({len(message):,} characters in all)"
            self.message = message
        where = self.path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class MissingFilesError(MedinstError):
    """Source files a task needs were not found under the data directory."""


class MissingExtraError(MedinstError):
    """An optional dependency is needed; the message names the ``pip install`` command."""


class ManifestError(MedinstError):
    """A task manifest is invalid.  ``str(err)`` reads ``path: pointer: message``."""

    def __init__(self, path: str | PathLike | None, pointer: str, message: str):
        self.path = str(path) if path is not None else "<manifest>"
        self.pointer = pointer or "/"
        self.message = message
        super().__init__(f"{self.path}: {self.pointer}: {message}")


class RegistrationError(MedinstError):
    """Two plugins registered the same name, or a registration is malformed."""


def did_you_mean(name: str, candidates) -> str:
    """A ``did you mean ...?`` suffix for an unknown name ('' when nothing is close)."""
    import difflib

    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def describe_os_error(exc: OSError) -> str:
    """One line for an error of the operating system (disk full, permission
    denied, read-only file system, file too large...), naming the file."""
    import errno

    hints = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EFBIG: "the file is larger than the file-size limit (ulimit -f)",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.EMFILE: "too many open files",
    }
    reason = hints.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    where = exc.filename
    if where is not None:
        where = str(where)
        if exc.filename2 is not None:
            where += f" -> {exc.filename2}"
        return f"{where}: {reason}"
    return f"{reason} ({exc})" if exc.strerror is None and str(exc) else reason
