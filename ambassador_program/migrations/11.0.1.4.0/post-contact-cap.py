# Copyright 2026 Ambassador Program contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""11.0.1.4.0: the contact cap counts the programme's message log
(ambassador.message.log) instead of the mailings' statistics. The programme
mailings of the last 30 days are copied into it, so that nobody already at the
cap receives more after the upgrade. One INSERT ... SELECT."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        INSERT INTO ambassador_message_log
            (partner_id, segment_id, date, channel, priority, state,
             mass_mailing_id, message_count, create_uid, create_date,
             write_uid, write_date)
        SELECT DISTINCT ON (s.mass_mailing_id, p.id)
               p.id, p.ambassador_segment_id, s.scheduled, 'mailing', 'normal',
               'sent', s.mass_mailing_id, 1, 1, now() AT TIME ZONE 'UTC', 1,
               now() AT TIME ZONE 'UTC'
        FROM mail_mail_statistics s
        JOIN mail_mass_mailing m
            ON m.id = s.mass_mailing_id AND m.ambassador_programme
        LEFT JOIN mail_mass_mailing_contact c
            ON s.model = 'mail.mass_mailing.contact' AND c.id = s.res_id
        LEFT JOIN res_partner rp
            ON s.model = 'res.partner' AND rp.id = s.res_id
            AND rp.ambassador_state IS NOT NULL
        JOIN res_partner p ON p.id = COALESCE(c.ambassador_partner_id, rp.id)
        WHERE s.exception IS NULL AND s.scheduled IS NOT NULL
          AND s.scheduled >= (now() AT TIME ZONE 'UTC') - interval '30 days'
        ORDER BY s.mass_mailing_id, p.id, s.scheduled
        ON CONFLICT DO NOTHING
        """
    )
