# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import api, fields, models


class ProductPricelist(models.Model):
    """Tier pricelists of the goodies shop follow the ambassadors' tiers."""

    _inherit = "product.pricelist"

    ambassador_tier_ids = fields.One2many(
        "ambassador.tier", "pricelist_id", string="Ambassador Tiers", readonly=True
    )

    @api.multi
    def _compute_price_rule(self, products_qty_partner, date=False, uom_id=False):
        """The tier pricelists' rules are based on the shop's pricelist: Odoo
        prices such a rule one product at a time (a query per goodie of the
        shop's grid). The base pricelists' prices of all the products are
        computed here in one call each, as Odoo would (same arguments), and
        the per-product calls read them."""
        known = self.env.context.get("ambassador_base_prices")
        if known is not None and len(products_qty_partner) == 1:
            product, qty, partner = products_qty_partner[0]
            key = (self.id, product._name, product.id, qty, partner and partner.id)
            if not date and not uom_id and key in known:
                return {product.id: known[key]}
        bases = self.mapped("item_ids").filtered(
            lambda item: item.base == "pricelist").mapped("base_pricelist_id")
        if not bases or len(products_qty_partner) < 2:
            return super(ProductPricelist, self)._compute_price_rule(
                products_qty_partner, date=date, uom_id=uom_id)
        known = dict(known or {})
        for base in bases:
            prices = base._compute_price_rule(products_qty_partner)
            for product, qty, partner in products_qty_partner:
                known[(base.id, product._name, product.id, qty,
                       partner and partner.id)] = prices[product.id]
        return super(ProductPricelist, self.with_context(
            ambassador_base_prices=known))._compute_price_rule(
                products_qty_partner, date=date, uom_id=uom_id)

    @api.multi
    def _ambassador_price_tier(self, partner):
        """The tier whose price this pricelist gives ``partner`` (an active
        ambassador of that tier), or an empty recordset: the shop then names
        the price after the tier ("your Silver price")."""
        # sudo: the visitor's own contact and tier.
        partner = partner.sudo()
        tier = partner.ambassador_tier_id
        if (len(self) == 1 and partner.ambassador_state == "active"
                and tier.pricelist_id == self):
            return tier
        return self.env["ambassador.tier"]

    @api.model
    def _ambassador_sync_partner_pricelists(self, partner_ids=None):
        """Give every active ambassador (of ``partner_ids``, or all) the
        pricelist of its tier; take a tier pricelist back from anyone who is no
        longer an active ambassador of that tier, who then falls back to the
        website's public pricelist. Two statements on ``ir_property`` for the
        whole set (the ORM inverse of property_product_pricelist writes one
        partner at a time). Returns the number of properties written."""
        if partner_ids is not None and not partner_ids:
            return 0
        cr = self.env.cr
        cr.execute(
            "SELECT id FROM ir_model_fields WHERE model = 'res.partner' "
            "AND name = 'property_product_pricelist'"
        )
        field_id = cr.fetchone()[0]
        companies = self.env["website"].sudo().search([]).mapped("company_id")
        companies = companies or self.env.user.company_id
        cr.execute(
            "SELECT DISTINCT pricelist_id FROM ambassador_tier "
            "WHERE pricelist_id IS NOT NULL"
        )
        managed = ["product.pricelist,%d" % row[0] for row in cr.fetchall()]
        params = {
            "field_id": field_id,
            "companies": companies.ids,
            "managed": managed,
            "uid": self.env.uid,
            "ids": list(partner_ids or []),
        }
        scope = "AND p.id = ANY(%(ids)s)" if partner_ids is not None else ""
        desired = """
            SELECT p.id AS partner_id,
                   'product.pricelist,' || t.pricelist_id AS value
            FROM res_partner p
            JOIN ambassador_tier t ON t.id = p.ambassador_tier_id
            WHERE p.ambassador_state = 'active' AND t.pricelist_id IS NOT NULL
            {scope}
        """.format(scope=scope)
        cr.execute(
            """
            WITH desired AS ({desired})
            DELETE FROM ir_property ip
            USING res_partner p LEFT JOIN desired d ON d.partner_id = p.id
            WHERE ip.fields_id = %(field_id)s
              AND ip.company_id = ANY(%(companies)s)
              AND ip.res_id = 'res.partner,' || p.id {scope}
              AND CASE WHEN d.partner_id IS NOT NULL
                       THEN ip.value_reference IS DISTINCT FROM d.value
                       ELSE ip.value_reference = ANY(%(managed)s) END
            """.format(desired=desired, scope=scope),
            params,
        )
        removed = cr.rowcount
        cr.execute(
            """
            WITH desired AS ({desired})
            INSERT INTO ir_property (name, res_id, company_id, fields_id,
                                     value_reference, type, create_uid,
                                     create_date, write_uid, write_date)
            SELECT 'property_product_pricelist', 'res.partner,' || d.partner_id,
                   c.id, %(field_id)s, d.value, 'many2one', %(uid)s,
                   now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
            FROM desired d CROSS JOIN unnest(%(companies)s) AS c(id)
            WHERE NOT EXISTS (
                SELECT 1 FROM ir_property ip
                WHERE ip.fields_id = %(field_id)s AND ip.company_id = c.id
                  AND ip.res_id = 'res.partner,' || d.partner_id)
            """.format(desired=desired),
            params,
        )
        added = cr.rowcount
        if removed or added:
            self.env["ir.property"].invalidate_cache()
            self.env["res.partner"].invalidate_cache(["property_product_pricelist"])
        return removed + added


# What an ambassador's shop pricelist depends on.
PRICELIST_FIELDS = {"ambassador_tier_id", "ambassador_state"}


class AmbassadorStatusEngine(models.AbstractModel):
    """The tier pricelist follows the status: this benefit's own trigger."""

    _inherit = "ambassador.status.engine"

    @api.model
    def _sync_benefits(self, partners, changed_fields):
        result = super(AmbassadorStatusEngine, self)._sync_benefits(
            partners, changed_fields
        )
        if partners and changed_fields & PRICELIST_FIELDS:
            self.env["product.pricelist"]._ambassador_sync_partner_pricelists(
                partners.ids
            )
        return result
