"""What the fault runs (scripts/faults/run_faults.py) revealed, fixed and kept:
Odoo 11 swallows a failed write of a file to the filestore (disk full), and
trusts a partial file a full disk left behind; a proof declared with files is
then either saved in full or not at all."""
import base64
import hashlib
import os

from ..models.form_input import FormErrors
from .common import AmbassadorCase
from .test_signup_model import PNG


class TestProofFileNotStored(AmbassadorCase):

    @classmethod
    def setUpClass(cls):
        super(TestProofFileNotStored, cls).setUpClass()
        cls.ambassador = cls.make_ambassador("Fay Fault", segment=cls.study)
        cls.user = cls.make_portal_user(cls.ambassador)

    def submit(self, content):
        return self.Proof.sudo(self.user)._ambassador_portal_submit(
            {"rule_id": str(self.rule_partnership.id), "name": "Signed in Kyoto",
             "description": "The agreement"},
            [("agreement.png", content)])

    def test_partial_file_of_a_full_disk_is_refused_then_rewritten(self):
        # Content of its own, so that no other attachment shares its file.
        content = PNG + os.urandom(64)
        Attachment = self.env["ir.attachment"]
        checksum = hashlib.sha1(content).hexdigest()
        fname, full_path = Attachment._get_path(content, checksum)
        # What a write cut short by a full disk leaves at the file's name:
        # Odoo's _file_write then skips the write, the file "exists".
        with open(full_path, "wb") as partial:
            partial.write(content[:10])
        with self.assertRaises(FormErrors) as caught:
            self.submit(content)
        self.assertIn("storage is full", caught.exception.errors["files"])
        self.assertFalse(self.Proof.search([("partner_id", "=", self.ambassador.id)]),
                         "no proof without its file")
        self.assertFalse(Attachment.sudo().search([("store_fname", "=", fname)]))
        self.assertFalse(os.path.exists(full_path), "the partial file is removed")
        # Sent again once there is room: stored in full.
        proof = self.submit(content)
        attachment = proof._ambassador_served_attachments()
        self.assertEqual(len(attachment), 1)
        self.assertEqual(os.path.getsize(full_path), len(content))
        self.assertEqual(base64.b64decode(attachment.datas), content)


class TestReplayedRequestReadsItsFilesAgain(AmbassadorCase):
    """The load run's only failures: Odoo replays a request whose transaction
    failed to serialise (two declarations at once touching one contact), and
    the replay read the uploaded file already read by the first attempt —
    empty, so the form came back refusing a file the ambassador did send."""

    def test_a_second_read_gives_the_same_bytes(self):
        from io import BytesIO

        from werkzeug.datastructures import FileStorage

        from ..models.form_input import read_upload

        upload = FileStorage(stream=BytesIO(PNG), filename="evidence.png")
        self.assertEqual(read_upload(upload, 10 ** 6), PNG)
        self.assertEqual(read_upload(upload, 10 ** 6), PNG)  # the replay
        self.assertEqual(read_upload(upload, 4), PNG[:4])

    def test_controllers_read_uploads_from_their_start(self):
        import inspect

        from ..controllers import mission, portal

        for module in (mission, portal):
            source = inspect.getsource(module)
            self.assertNotIn("upload.read(", source, module.__name__)
        self.assertIn("read_upload(", inspect.getsource(portal.proof_form_files))
