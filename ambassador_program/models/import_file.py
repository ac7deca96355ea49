# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Reading an agency's file of ambassadors (CSV or XLSX) into rows of text:
no Odoo here, so that the import job and the benchmark read files alike.
File-level problems raise ImportFileError with a message for the user."""
import csv
import io
import logging
import re
from datetime import datetime

_logger = logging.getLogger(__name__)
try:
    import xlrd
except ImportError:  # a dependency of Odoo itself (base_import)
    _logger.debug("xlrd is missing: XLSX files cannot be imported")

# Past these, a file is refused before it is read (memory, a request's time).
MAX_FILE_BYTES = 60 * 1024 * 1024
MAX_ROWS = 200000
# A spreadsheet runs a cell starting with these as a formula when the file is
# opened again (CSV/formula injection): refused, unless the cell is a plain
# signed number such as a phone number ("+33 4 72 00 00 00").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SIGNED_NUMBER_RE = re.compile(r"^[+-][0-9 ().]+$")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


def normalise_header(value):
    return re.sub(r"[\s\-]+", "_", (value or "").strip().lower())


def looks_like_formula(value):
    return bool(value) and value.startswith(FORMULA_STARTS) and not (
        SIGNED_NUMBER_RE.match(value)
    )


def read_rows(content, filename, messages):
    """(header, rows) of ``content`` (bytes), rows being lists of stripped
    strings; ``messages`` gives the translated file-level messages (keys:
    too_big, too_many, encoding, spreadsheet, empty)."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(messages["too_big"])
    name = (filename or "").lower()
    if content[:2] == b"PK" or name.endswith((".xlsx", ".xls")):
        rows = _spreadsheet_rows(content, messages)
    else:
        rows = _csv_rows(content, messages)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise ImportFileError(messages["empty"])
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(messages["too_many"])
    header = [normalise_header(cell) for cell in rows[0]]
    return header, rows[1:]


def _csv_rows(content, messages):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(messages["encoding"])
    first_line = text.split("\n", 1)[0]
    # The agency's spreadsheet chose the separator (";" in French Excel).
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[cell.strip() for cell in row] for row in reader]


def _spreadsheet_rows(content, messages):
    try:
        book = xlrd.open_workbook(file_contents=content)
        sheet = book.sheet_by_index(0)
    except Exception:  # xlrd raises many kinds on a damaged or foreign file
        raise ImportFileError(messages["spreadsheet"])
    if sheet.nrows - 1 > MAX_ROWS:
        raise ImportFileError(messages["too_many"])
    rows = []
    for index in range(sheet.nrows):
        rows.append([_cell_text(cell, book.datemode) for cell in sheet.row(index)])
    return rows


def _cell_text(cell, datemode):
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode).date().isoformat()
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return str(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        value = cell.value
        return str(int(value)) if value == int(value) else str(value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "1" if cell.value else "0"
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return str(cell.value).strip()


def parse_date(value):
    """An ISO date (2021-03-31) or a French one (31/03/2021), else None."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


TRUE_WORDS = {"1", "yes", "y", "true", "oui", "o", "x", "vrai"}
FALSE_WORDS = {"0", "no", "n", "false", "non", "faux"}


def parse_bool(value):
    """True, False, or None when ``value`` says neither."""
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def split_list(value):
    """"a; b, c" -> ["a", "b", "c"] (either separator)."""
    return [item.strip() for item in re.split(r"[;,|]", value) if item.strip()]
