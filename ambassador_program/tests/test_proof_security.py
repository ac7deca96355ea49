"""Issue #8, holes 1, 2 and 3: what a portal user may send when it creates a
proof over RPC, which files the proof route serves, bounded reads of uploaded
archives and http(s)-only links, in the model and in every page that renders
them."""
import base64
import io
import tracemalloc
import zipfile

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import common

from ..models.safe_url import is_http_url
from .common import AmbassadorCase
from .test_website import PDF, WebsiteCase

BAD_URLS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example.com/x",
    "http:/no-host",
    "https://",
    "example.com/no-scheme",
    "https://exa mple.com/",
    "https://example.com/\x00",
)
# PostgreSQL itself refuses NUL characters.
STORABLE_BAD_URLS = [url for url in BAD_URLS if "\x00" not in url]
GOOD_URLS = ("https://example.com/article?id=1#top", "HTTP://EXAMPLE.COM")


def docx(entries):
    """A zip archive with ``entries`` [(name, bytes or size of zeros)]."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            if isinstance(content, int):
                # Streamed, so that the test itself never holds the whole entry.
                with archive.open(name, "w", force_zip64=True) as entry:
                    chunk = b"\0" * (1 << 20)
                    for _ in range(content >> 20):
                        entry.write(chunk)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


class TestProofRpcAllowlist(AmbassadorCase):
    """Hole 1 (a): a portal user's create is held to what the portal form
    allows, whatever it sends over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super(TestProofRpcAllowlist, cls).setUpClass()
        cls.amy = cls.make_ambassador("Amy Allow")
        cls.amy_user = cls.make_portal_user(cls.amy)
        cls.bob = cls.make_ambassador("Bob Other")
        # A file of the agency that has nothing to do with the programme.
        cls.secret = cls.env["ir.attachment"].create(
            {
                "name": "salaries.pdf",
                "datas_fname": "salaries.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 salaries"),
                "res_model": "res.partner",
                "res_id": cls.env.ref("base.main_partner").id,
            }
        )

    def values(self, **extra):
        values = {
            "name": "Talk in Osaka",
            "partner_id": self.amy.id,
            "rule_id": self.rule_partnership.id,
            "description": "A talk about the territory",
            "url": "https://example.com/osaka",
        }
        values.update(extra)
        return values

    def portal_create(self, values, **context):
        return self.Proof.sudo(self.amy_user).with_context(**context).create(values)

    def test_form_fields_are_accepted(self):
        proof = self.portal_create(
            self.values(
                rule_id=self.rule_press.id,
                press_media="Asahi",
                press_country_id=self.env.ref("base.jp").id,
                press_language="Japanese",
                press_date="2026-01-10",
                channel="portal",
            )
        )
        self.assertEqual(proof.state, "submitted")
        self.assertEqual(proof.channel, "portal")
        self.assertEqual(proof.press_media, "Asahi")
        self.assertFalse(proof.attachment_ids)

    def test_channel_is_portal(self):
        self.assertEqual(self.portal_create(self.values()).channel, "portal")
        for channel in ("staff", "email"):
            with self.assertRaises(AccessError, msg=channel):
                self.portal_create(self.values(channel=channel))

    def test_other_fields_are_refused(self):
        before = self.Proof.search_count([])
        forged = [
            {"attachment_ids": [(6, 0, self.secret.ids)]},
            {"attachment_ids": [(4, self.secret.id)]},
            {"state": "approved"},
            {"decided_by_id": self.staff_user.id},
            {"rejection_reason": "x"},
            {"message_follower_ids": [
                (0, 0, {"res_model": "ambassador.proof", "partner_id": self.bob.id})
            ]},
            {"message_ids": [(0, 0, {"body": "x"})]},
            {"transaction_ids": [(0, 0, {"partner_id": self.amy.id,
                                         "points": 1000})]},
        ]
        for extra in forged:
            with self.assertRaises(AccessError, msg=str(extra)):
                self.portal_create(self.values(**extra))
        self.assertEqual(self.Proof.search_count([]), before)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("id", "=", self.secret.id), ("res_model", "=", "ambassador.proof")]
            )
        )

    def test_context_defaults_are_not_kept(self):
        proof = self.portal_create(
            self.values(),
            default_state="approved",
            default_attachment_ids=[(6, 0, self.secret.ids)],
            default_channel="staff",
            default_decided_by_id=self.staff_user.id,
        )
        self.assertEqual(proof.state, "submitted")
        self.assertEqual(proof.channel, "portal")
        self.assertFalse(proof.attachment_ids)
        self.assertFalse(proof.sudo().decided_by_id)

    def test_copy_is_refused(self):
        proof = self.portal_create(self.values())
        with self.assertRaises(AccessError):
            proof.sudo(self.amy_user).copy()

    def test_own_active_ambassador_and_rules_of_its_segment(self):
        with self.assertRaises(AccessError):
            self.portal_create(self.values(partner_id=self.bob.id))
        # A rule of another segment, and an archived rule of its own segment.
        study_only = self.env.ref("ambassador_program.rule_foreign_journal")
        with self.assertRaises((ValidationError, AccessError)):
            self.portal_create(self.values(rule_id=study_only.id))
        archived = self.rule_partnership.copy({"code": "archived_partnership"})
        archived.active = False
        with self.assertRaises((ValidationError, AccessError)):
            self.portal_create(self.values(rule_id=archived.id))
        # Not an active ambassador: a candidate, a suspended one, a plain user.
        for state in ("candidate", "suspended"):
            partner = self.make_ambassador("Cid %s" % state, state=state)
            user = self.make_portal_user(partner)
            with self.assertRaises(AccessError, msg=state):
                self.Proof.sudo(user).create(self.values(partner_id=partner.id))
        plain = self.Partner.create({"name": "Plain", "email": "plain@example.com"})
        user = self.make_portal_user(plain)
        with self.assertRaises(AccessError):
            self.Proof.sudo(user).create(self.values(partner_id=plain.id))

    def test_form_limits_hold_over_rpc(self):
        for extra in (
            {"name": "T" * 201},
            {"description": "D" * 5001},
            {"url": "https://example.com/" + "u" * 1100},
            {"url": "javascript:alert(1)"},
            {"press_media": "M" * 129, "rule_id": self.rule_press.id,
             "press_country_id": self.env.ref("base.jp").id,
             "press_date": "2026-01-10"},
            {"press_date": "2999-01-01", "press_media": "Future",
             "rule_id": self.rule_press.id,
             "press_country_id": self.env.ref("base.jp").id},
        ):
            with self.assertRaises((ValidationError, UserError), msg=str(extra)):
                self.portal_create(self.values(**extra))

    def test_staff_keeps_its_form(self):
        proof = self.Proof.sudo(self.staff_user).with_context(
            default_partner_id=self.bob.id
        ).create({"name": "Keyed in", "rule_id": self.rule_partnership.id})
        self.assertEqual(proof.partner_id, self.bob)
        self.assertEqual(proof.channel, "staff")
        # Decision fields stay out of reach even for staff, context included.
        proof = self.Proof.sudo(self.staff_user).with_context(
            default_state="approved"
        ).create(self.values(partner_id=self.bob.id))
        self.assertEqual(proof.state, "submitted")

    def test_message_post_cannot_link_foreign_files(self):
        proof = self.portal_create(self.values())
        # The creation is logged (by the engine, not as the ambassador).
        self.assertTrue(proof.sudo().message_ids)
        own = proof.sudo(self.amy_user)
        for kwargs in (
            {"attachment_ids": [self.secret.id]},
            {"attachments": [("x.html", "<script>alert(1)</script>")]},
            {"attachments": [("a.pdf", PDF)]},
            {},  # the ambassador space offers no message either
        ):
            with self.assertRaises(AccessError, msg=str(kwargs)):
                own.message_post(body="see file", message_type="comment",
                                 subtype="mail.mt_comment", **kwargs)
        self.assertFalse(proof.sudo().message_ids.mapped("attachment_ids"))
        self.assertFalse(proof.sudo().attachment_ids)
        self.assertNotIn("see file", " ".join(proof.sudo().message_ids.mapped("body")))

    def test_staff_uploads_are_bound_to_the_proof(self):
        # The backend's many2many_binary widget uploads with res_id 0.
        upload = self.env["ir.attachment"].sudo(self.staff_user).create(
            {"name": "scan.pdf", "datas_fname": "scan.pdf",
             "datas": base64.b64encode(PDF), "res_model": "ambassador.proof",
             "res_id": 0}
        )
        proof = self.Proof.sudo(self.staff_user).create(
            self.values(partner_id=self.bob.id,
                        attachment_ids=[(6, 0, upload.ids)])
        )
        self.assertEqual((upload.res_model, upload.res_id),
                         ("ambassador.proof", proof.id))
        self.assertEqual(proof._ambassador_served_attachments(), upload)


class TestUploadBounds(AmbassadorCase):
    """Hole 2: archives are judged on their central directory and read with
    a cap, never inflated whole."""

    def check(self, name, content):
        return self.Proof._ambassador_check_file(name, content)

    def test_real_office_files_pass(self):
        self.assertEqual(
            self.check("cv.docx", docx([("[Content_Types].xml", b"<Types/>"),
                                        ("word/document.xml", b"<w:document/>")]))[1],
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        self.assertEqual(
            self.check("cv.odt", docx([("mimetype",
                                        b"application/vnd.oasis.opendocument.text"),
                                       ("content.xml", b"<office/>")]))[1],
            "application/vnd.oasis.opendocument.text",
        )

    def test_inflating_entry_is_not_read_whole(self):
        bomb = docx([("mimetype", 64 << 20), ("content.xml", b"<office/>")])
        self.assertLess(len(bomb), 2 << 20, "a small upload")
        tracemalloc.start()
        try:
            with self.assertRaises(UserError):
                self.check("bomb.odt", bomb)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        self.assertLess(peak, 16 << 20, "at most a few MB held, not 64 MB")

    def test_high_compression_ratio_is_refused(self):
        bomb = docx([("[Content_Types].xml", b"<Types/>"),
                     ("word/document.xml", 20 << 20)])
        with self.assertRaises(UserError):
            self.check("bomb.docx", bomb)

    def test_too_many_entries_are_refused(self):
        crowded = docx([("word/document.xml", b"<w:document/>")]
                       + [("x/%d" % n, b"") for n in range(5000)])
        with self.assertRaises(UserError):
            self.check("crowded.docx", crowded)


class TestLinks(AmbassadorCase):
    """Hole 3: only http(s) links are stored, whoever writes them."""

    def test_helper(self):
        for url in BAD_URLS:
            self.assertFalse(is_http_url(url), url)
        for url in GOOD_URLS:
            self.assertTrue(is_http_url(url), url)
        self.assertFalse(is_http_url(None))
        self.assertFalse(is_http_url(b"https://example.com"))

    def test_proof_url_in_model(self):
        bob = self.make_ambassador("Bob Link")
        proof = self.make_proof(bob, url="https://example.com/ok")
        for url in STORABLE_BAD_URLS:
            with self.assertRaises(ValidationError, msg=url):
                self.make_proof(bob, url=url)
            with self.assertRaises(ValidationError, msg=url):
                proof.sudo(self.staff_user).write({"url": url})
        proof.write({"url": False})
        self.assertFalse(proof.url)

    def test_document_url_in_model(self):
        Document = self.env["ambassador.document"].sudo(self.manager_user)
        document = Document.create({"name": "Deck", "url": "https://example.com/d"})
        for url in STORABLE_BAD_URLS:
            with self.assertRaises(ValidationError, msg=url):
                Document.create({"name": "Bad", "url": url})
            with self.assertRaises(ValidationError, msg=url):
                document.write({"url": url})

    def test_old_data_renders_no_link(self):
        bob = self.make_ambassador("Bob Old")
        proof = self.make_proof(bob)
        document = self.env["ambassador.document"].create({"name": "Old"})
        # Stored before the constraint existed.
        self.env.cr.execute("UPDATE ambassador_proof SET url = %s WHERE id = %s",
                            ("javascript:alert(1)", proof.id))
        self.env.cr.execute("UPDATE ambassador_document SET url = %s WHERE id = %s",
                            ("javascript:alert(1)", document.id))
        proof.invalidate_cache()
        document.invalidate_cache()
        self.assertFalse(proof.safe_url)
        self.assertFalse(document.safe_url)
        for model, view in (
            ("ambassador.proof", "ambassador_program.ambassador_proof_view_kanban"),
            ("ambassador.proof", "ambassador_program.ambassador_proof_view_form"),
            ("ambassador.proof", "ambassador_program.ambassador_proof_view_tree_press"),
            ("ambassador.document",
             "ambassador_program.ambassador_document_view_form"),
        ):
            arch = self.env[model].fields_view_get(self.env.ref(view).id)["arch"]
            self.assertNotIn('name="url" widget="url"', arch, view)
            self.assertNotIn("record.url.raw_value", arch, view)


@common.at_install(False)
@common.post_install(True)
class TestProofRoutes(WebsiteCase):
    """Holes 1 (c) and 3 over HTTP: the file route serves only the proof's own
    files; the portal renders no link that is not http(s)."""

    def setUp(self):
        super(TestProofRoutes, self).setUp()
        self.amb = self.make_ambassador("Ann Route")
        self.proof = self.env["ambassador.proof"].create(
            {"name": "Mine", "partner_id": self.amb.id,
             "rule_id": self.rule_partnership.id}
        )

    def test_foreign_attachment_is_not_served(self):
        secret = self.env["ir.attachment"].create(
            {"name": "salaries.pdf", "datas_fname": "salaries.pdf",
             "datas": base64.b64encode(PDF + b"salaries"),
             "res_model": "res.partner",
             "res_id": self.env.ref("base.main_partner").id}
        )
        loose = self.env["ir.attachment"].create(
            {"name": "loose.pdf", "datas_fname": "loose.pdf",
             "datas": base64.b64encode(PDF + b"loose")}
        )
        other_proof = self.env["ambassador.proof"].create(
            {"name": "Other", "partner_id": self.make_ambassador("Oz Other").id,
             "rule_id": self.rule_partnership.id}
        )
        other_proof._ambassador_attach_files([("o.pdf", "application/pdf", PDF)])
        # Linked as it could have been before the fix (RPC create).
        self.env.cr.execute(
            "INSERT INTO ambassador_proof_attachment_rel (proof_id, attachment_id) "
            "VALUES (%s, %s), (%s, %s), (%s, %s)",
            (self.proof.id, secret.id, self.proof.id, loose.id,
             self.proof.id, other_proof.attachment_ids.id),
        )
        self.proof.invalidate_cache()
        self.proof._ambassador_attach_files([("own.pdf", "application/pdf", PDF)])
        own = self.proof.attachment_ids.filtered(lambda a: a.name == "own.pdf")
        self.login(self.amb)
        path = "/my/ambassador/proofs/%d/files/%d"
        for attachment in (secret, loose, other_proof.attachment_ids):
            response = self.url_open(path % (self.proof.id, attachment.id))
            self.assertEqual(response.status_code, 404, attachment.name)
            self.assertNotIn(b"%PDF", response.content, attachment.name)
        served = self.url_open(path % (self.proof.id, own.id))
        self.assertEqual(served.status_code, 200)
        self.assertEqual(served.content, PDF)
        # The space lists the served files only, and renders.
        page = self.url_open("/my/ambassador")
        self.assertEqual(page.status_code, 200)
        self.assertIn("own.pdf", page.text)
        self.assertNotIn("salaries.pdf", page.text)

    def test_old_bad_links_are_not_rendered(self):
        document = self.env["ambassador.document"].create({"name": "Old deck"})
        self.env.cr.execute("UPDATE ambassador_proof SET url = %s WHERE id = %s",
                            ("javascript:alert('proof')", self.proof.id))
        self.env.cr.execute("UPDATE ambassador_document SET url = %s WHERE id = %s",
                            ("javascript:alert('doc')", document.id))
        self.login(self.amb)
        space = self.url_open("/my/ambassador")
        self.assertEqual(space.status_code, 200)
        self.assertIn("Mine", space.text)
        self.assertFalse("javascript:alert" in space.text)
        documents = self.url_open("/my/ambassador/documents")
        self.assertEqual(documents.status_code, 200)
        self.assertIn("Old deck", documents.text)
        self.assertFalse("javascript:alert" in documents.text)

    def test_portal_form_uses_the_same_check(self):
        self.login(self.amb)
        response = self.post(
            "/my/ambassador/proofs/new",
            {"rule_id": str(self.rule_partnership.id), "name": "Tab trick",
             "url": "java\tscript:alert(1)"},
            csrf_from="/my/ambassador/proofs/new",
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("A link starts with http", response.text)
