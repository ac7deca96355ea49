#!/usr/bin/env bash
# Regenerates ambassador_program/i18n/ambassador_program.pot from a database where
# the addon is installed (default: a fresh copy of the template), and merges it into
# fr.po (new strings arrive empty, to translate; obsolete ones are dropped).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DB="${I18N_DB:-ambassador_i18n}"
I18N="$REPO_ROOT/ambassador_program/i18n"
mkdir -p "$I18N"
template="$(bash "$REPO_ROOT/scripts/template_db.sh")"
step "Installing the addon in $DB"
copy_db "$template" "$DB"
odoo -d "$DB" -i ambassador_program --stop-after-init --http-port=8189 --log-level=warn \
    --logfile="$REPO_ROOT/var/i18n.log"
step "Exporting the template"
# Odoo 11 exports a template when given a .po name and no language.
export_file="$REPO_ROOT/var/ambassador_program_template.po"
odoo -d "$DB" --i18n-export="$export_file" --modules=ambassador_program \
    --stop-after-init --http-port=8189 --log-level=warn --logfile="$REPO_ROOT/var/i18n.log"
mv "$export_file" "$I18N/ambassador_program.pot"
command -v msgmerge >/dev/null || { apt-get install -y -qq gettext >/dev/null; }
if [ -f "$I18N/fr.po" ]; then
    msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none \
        "$I18N/fr.po" "$I18N/ambassador_program.pot"
    msgattrib --no-obsolete --no-wrap -o "$I18N/fr.po" "$I18N/fr.po"
else
    msginit --no-translator --locale=fr_FR --no-wrap -i "$I18N/ambassador_program.pot" \
        -o "$I18N/fr.po"
fi
dropdb --if-exists "$DB"
msgfmt --statistics -o /dev/null "$I18N/fr.po"
