# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The one definition of "an ambassador already", for what the website offers
(the sign-up, "become an ambassador") and to whom: an active or suspended
ambassador has signed up; a candidate has still to confirm its e-mail, and
someone who left may join again."""

MEMBER_STATES = ("active", "suspended")


def member_partner(user):
    """The contact of ``user`` when it is an ambassador already, else an empty
    recordset. The visitor's own contact, read with sudo (its state)."""
    partner = user.partner_id
    if user._is_public() or partner.sudo().ambassador_state not in MEMBER_STATES:
        return partner.browse()
    return partner
