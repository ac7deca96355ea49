# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from urllib.parse import quote

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .safe_url import URL_MAX, is_http_url


def _q(value):
    """A URL query value (spaces as %20: mail clients show "+" as is)."""
    return quote(value or "", safe="")


class AmbassadorShareKit(models.Model):
    """What an ambassador shares for a mission (issue 14): ready-to-post texts
    per network (translatable: one text per network and language), an image of
    the photo bank (``ambassador.document``) and the page to share. Each
    ambassador shares it through its own tracked short link
    (``ambassador.share.link``), whose measured clicks earn the points."""

    _name = "ambassador.share.kit"
    _description = "Ambassador Share Kit"
    _order = "mission_id, sequence, id"

    name = fields.Char(string="Title", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    mission_id = fields.Many2one(
        "ambassador.mission", required=True, index=True, ondelete="cascade",
        help="The mission (or the news) this kit belongs to: the ambassadors it "
        "is open to may share the kit; its points cap each ambassador's points "
        "from the clicks on its kits.",
    )
    url = fields.Char(
        string="Page to Share", required=True,
        help="The http(s) address the personal short links lead to.",
    )
    document_id = fields.Many2one(
        "ambassador.document", string="Image (Photo Bank)", ondelete="restrict",
        help="A picture of the photo bank, with its text alternative, offered "
        "with the texts.",
    )
    text_linkedin = fields.Text(string="LinkedIn Text", translate=True)
    text_x = fields.Text(string="X (Twitter) Text", translate=True)
    text_facebook = fields.Text(string="Facebook Text", translate=True)
    text_whatsapp = fields.Text(string="WhatsApp Text", translate=True)
    email_subject = fields.Char(string="E-mail Subject", translate=True)
    text_email = fields.Text(string="E-mail Text", translate=True)
    link_ids = fields.One2many(
        "ambassador.share.link", "kit_id", string="Personal Links", readonly=True)
    link_count = fields.Integer(
        string="Links Given", compute="_compute_counts")
    click_count = fields.Integer(
        string="Measured Clicks", compute="_compute_counts")

    _sql_constraints = [
        ("url_per_mission", "unique(mission_id, url)",
         "A mission has one kit per page to share: each ambassador's link "
         "to a page must be its own."),
    ]

    @api.constrains("url")
    def _check_url(self):
        for kit in self:
            if not is_http_url(kit.url, URL_MAX):
                raise ValidationError(
                    _("The page to share must be an http(s) address."))

    @api.constrains("document_id")
    def _check_document(self):
        for kit in self:
            document = kit.document_id
            if document and not (document.file_is_image and document.alt_text):
                raise ValidationError(
                    _("The kit's image must be a picture of the photo bank "
                      "with its text alternative."))

    def _compute_counts(self):
        # Staff screens: one aggregate for the whole set, not a query per kit.
        counts = {}
        if self.ids:
            self.env.cr.execute(
                """
                SELECT l.kit_id, COUNT(DISTINCT l.id), COUNT(c.id)
                FROM ambassador_share_link l
                LEFT JOIN link_tracker_click c ON c.link_id = l.link_tracker_id
                WHERE l.kit_id IN %s GROUP BY l.kit_id
                """, (tuple(self.ids),))
            counts = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for kit in self:
            kit.link_count, kit.click_count = counts.get(kit.id, (0, 0))

    @api.model
    def create(self, vals):
        kit = super(AmbassadorShareKit, self).create(vals)
        kit.mission_id._ambassador_share_campaign()
        return kit

    @api.multi
    def write(self, vals):
        result = super(AmbassadorShareKit, self).write(vals)
        if "mission_id" in vals:
            self.mapped("mission_id")._ambassador_share_campaign()
        return result

    @api.multi
    def action_view_clicks(self):
        """The kit's measured clicks, by ambassador and country."""
        self.ensure_one()
        # The action itself is readable by anyone: the kit is not.
        self.check_access_rights("read")
        self.check_access_rule("read")
        action = self.env.ref(
            "ambassador_program.action_ambassador_share_click_report").read()[0]
        action["domain"] = [("kit_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------
    # The ambassador's share page
    # ------------------------------------------------------------------
    @api.model
    def _ambassador_kits_for(self, partner, kit_ids=None):
        """The active kits of the missions open today to ``partner`` (among
        ``kit_ids`` when given), as superuser: ambassadors read no kit over
        RPC, the page reads for them what the mission opens to them."""
        missions = self.env["ambassador.mission"]._open_to_partners(
            [partner.id]).get(partner.id, [])
        if not missions:
            return self.browse()
        domain = [("mission_id", "in", missions)]
        if kit_ids is not None:
            domain.append(("id", "in", list(kit_ids)))
        # sudo: the missions open to this ambassador were just checked.
        return self.sudo().search(domain, limit=100)

    @api.multi
    def _ambassador_share_targets(self, short_url):
        """[(network, label, text, share href)] of the kit's networks, the
        personal ``short_url`` in every text; plain links, no script of the
        networks on our pages."""
        self.ensure_one()

        def with_link(text):
            return ("%s %s" % (text, short_url)) if text else short_url

        url = _q(short_url)
        return [
            ("linkedin", _("LinkedIn"), self.text_linkedin,
             "https://www.linkedin.com/sharing/share-offsite/?url=%s" % url),
            ("x", _("X (Twitter)"), self.text_x,
             "https://twitter.com/intent/tweet?text=%s&url=%s"
             % (_q(self.text_x), url)),
            ("facebook", _("Facebook"), self.text_facebook,
             "https://www.facebook.com/sharer/sharer.php?u=%s" % url),
            ("whatsapp", _("WhatsApp"), self.text_whatsapp,
             "https://wa.me/?text=%s" % _q(with_link(self.text_whatsapp))),
            ("email", _("E-mail"), self.text_email,
             "mailto:?subject=%s&body=%s" % (
                 _q(self.email_subject or self.name),
                 _q(with_link(self.text_email)))),
        ]
