r"""Excel workbook reader (``xlsx``) with the tabular readers' declarative field mapping.

Every row of one worksheet is an item, as a row of a CSV file is for the
``csv`` reader: with ``header`` (default) an object keyed by the first
non-empty row's cells (or by ``columns``, which renames them), otherwise a
list (paths ``"0"``, ``"1"``...) unless ``columns`` names them.  Everything
else -- ``record``, ``fields``, ``explode``, ``join``, ``where``,
``unique_ids`` -- is the mapping of :mod:`medinst_core.readers.tabular`.

The workbook is read with openpyxl in its read-only mode, which streams the
sheet row by row (memory does not grow with the number of rows), with the
cached values of formulas (``data_only``).  openpyxl is an optional
dependency: ``pip install 'medinst-core[xlsx]'``; without it the reader stops
with that command.

Cells
-----
Text cells are strings as stored (newlines inside a cell are kept); numbers
are ``int`` or ``float``; booleans are ``bool``; dates and times are ISO
strings; an empty cell is null, i.e. *missing* for the mapping.  ``$row``
is the row's number in the sheet (``$index`` its position among the items).  Columns
whose header cell is empty are left out (MeQSum's sheet declares 1,023
columns of which three have a header); rows whose cells are all empty are
skipped.  Errors name the file, the sheet and the row (1-based, as Excel
numbers them).

Options
-------
``record``, ``fields`` (required), ``explode``, ``join``, ``where``, ``unique_ids``, ``roles``
    as for the tabular readers.
``sheet`` (str or int, ``0``)
    the worksheet: its name, or its 0-based position in the workbook.
``header`` (bool, ``true``), ``columns`` (list of str)
    as for ``csv``.

Example: MeQSum (``MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx``, sheet
``QS``, header ``File, CHQ, Summary``)::

    {"record": "t2t", "sheet": "QS",
     "fields": {"document_id": "File", "text_1": {"path": "CHQ", "strip": true},
                "text_2": {"path": "Summary", "strip": true}}}
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import MissingExtraError, SourceError
from ..sources import SourceFiles
from .tabular import FieldMapping, _scalar_text, data_files

INSTALL = "pip install 'medinst-core[xlsx]'"


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        return None
    return openpyxl


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, (int, float, bool)):
        return value
    if isinstance(value, str):
        return value or None
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value)
    return str(value)


def _sheet(workbook, wanted: Any, path: Path):
    names = workbook.sheetnames
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        if not -len(names) <= wanted < len(names):
            raise SourceError(path, None, f"has {len(names)} worksheet(s) ({', '.join(names)}); "
                              f"option sheet asks for position {wanted}")
        return workbook[names[wanted]]
    if wanted not in names:
        raise SourceError(path, None, f"has no worksheet named {wanted!r}; its worksheets: {', '.join(names)}")
    return workbook[wanted]


def iter_sheet_rows(path: Path, options: Mapping[str, Any]) -> Iterator[tuple[dict, str]]:
    """``(context, locator)`` for each non-empty row below the header, the
    context holding the row under ``$`` and ``$index`` (as the tabular readers')."""
    openpyxl = _openpyxl()
    if openpyxl is None:
        raise MissingExtraError(f"reading {path.name} needs openpyxl: {INSTALL}")
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(path, None, f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # openpyxl raises its own types for damaged parts
        raise SourceError(path, None, f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheet = _sheet(workbook, options.get("sheet", 0), path)
        title = sheet.title
        header = bool(options.get("header", True))
        columns = options.get("columns")
        names: list[str | None] | None = list(columns) if columns else None
        keep: list[int] | None = None
        pending_header = header
        index = 0
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                row = next(rows, None)
            except Exception as exc:  # a damaged sheet part, found while streaming
                raise SourceError(path, None, f"sheet {title!r} row {number + 1}: cannot be read "
                                  f"({type(exc).__name__}: {exc})") from None
            if row is None:
                break
            number += 1
            cells = [_cell(v) for v in row]
            if all(c is None for c in cells):
                continue
            where = f"sheet {title!r} row {number}"
            if pending_header:
                pending_header = False
                found = [None if c is None else _scalar_text(c).strip() or None for c in cells]
                keep = [i for i, n in enumerate(found) if n is not None]
                if names is None:
                    names = found
                elif len(names) != len(keep):
                    raise SourceError(path, None, f"{where}: option columns names {len(names)} columns, "
                                      f"the header has {len(keep)}")
                else:
                    named = iter(names)
                    names = [next(named) if n is not None else None for n in found]
                continue
            if names is None:
                item: Any = cells
            elif keep is not None:
                item = {names[i]: cells[i] if i < len(cells) else None for i in keep}
            else:
                if len(cells) > len(names) and any(c is not None for c in cells[len(names):]):
                    raise SourceError(path, None, f"{where}: option columns names {len(names)} columns, "
                                      f"the row has values in {len(cells)}")
                item = {n: cells[i] if i < len(cells) else None for i, n in enumerate(names)}
            yield {"$": item, "$index": index, "$line": None, "$row": number}, where
            index += 1
    finally:
        workbook.close()


def read_xlsx(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    """Rows of an Excel worksheet mapped to records (see the module documentation)."""
    mapping = FieldMapping(options, files)
    position = 0
    for role, path in data_files(files, options):
        for ctx, locator in iter_sheet_rows(path, options):
            ctx["$file"] = path.name
            ctx["$role"] = role
            yield from mapping.records(ctx, str(position), path, None, locator)
            position += 1
