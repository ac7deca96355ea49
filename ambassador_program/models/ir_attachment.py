# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Files of the programme that must really be on disk. Odoo 11's
``ir.attachment._file_write`` logs and swallows a failed write (disk full,
filestore unavailable): the row is created and points to a missing or partial
file, and a later upload of the same content is skipped, because its file name
(the content's hash) already exists."""
import logging
import os

from odoo import _, api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class StoredFileError(UserError):
    """A file could not be written to the filestore."""


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.multi
    def _ambassador_check_stored(self, size):
        """Raise StoredFileError unless this attachment's file holds ``size``
        bytes. A partial file is removed, so that the next upload of the same
        content writes it again instead of trusting it."""
        self.ensure_one()
        # sudo: reading where the caller's own new attachment is stored.
        fname = self.sudo().store_fname
        if not fname:
            return  # stored in the database: PostgreSQL reported any failure
        path = self._full_path(fname)
        try:
            stored = os.path.getsize(path)
        except OSError:
            stored = None
        if stored == size:
            return
        _logger.warning(
            "File %s of attachment %s not stored (%s of %d bytes on disk): "
            "filestore full or unavailable", fname, self.id, stored, size)
        if stored is not None:
            try:
                os.unlink(path)
            except OSError:
                _logger.warning("Could not remove the partial file %s", path)
        raise StoredFileError(_(
            "Your file could not be saved: the server's storage is full or "
            "unavailable. Nothing was recorded; please send it again later, "
            "or tell the programme team."))
