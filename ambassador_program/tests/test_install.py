import re

from odoo.tests import common


class TestInstall(common.TransactionCase):
    """The addon installs with its groups and menus."""

    def test_groups_and_hierarchy(self):
        user = self.env.ref("ambassador_program.group_ambassador_user")
        committee = self.env.ref("ambassador_program.group_ambassador_committee")
        manager = self.env.ref("ambassador_program.group_ambassador_manager")
        self.assertIn(user, committee.implied_ids)
        self.assertIn(user, manager.implied_ids)
        # Configuring the programme does not grant committee decisions.
        self.assertNotIn(committee, manager.trans_implied_ids)
        self.assertEqual(
            {user.category_id, committee.category_id, manager.category_id},
            {self.env.ref("ambassador_program.module_category_ambassador_program")},
        )

    def test_top_menu(self):
        menu = self.env.ref("ambassador_program.menu_ambassador_root")
        self.assertEqual(menu.name, "Ambassadors")
        self.assertFalse(menu.parent_id)
        self.assertTrue(menu.web_icon_data, "the app icon is loaded")
        self.assertIn(
            self.env.ref("ambassador_program.group_ambassador_user"), menu.groups_id
        )


@common.at_install(False)
@common.post_install(True)
class TestWebServer(common.HttpCase):
    """The web server of the installed database serves styled pages."""

    def assert_styled_page(self, path):
        response = self.url_open(path)
        self.assertEqual(response.status_code, 200, path)
        stylesheets = re.findall(r'<link[^>]+href="([^"]+\.css)"', response.text)
        self.assertTrue(stylesheets, "%s links its style sheets" % path)
        for href in stylesheets:
            css = self.url_open(href)
            self.assertEqual(css.status_code, 200, href)
            # Odoo 11 serves an error comment instead of CSS when lessc is missing.
            self.assertNotIn("Could not execute command", css.text, href)
        return response

    def test_login_page(self):
        self.assert_styled_page("/web/login")

    def test_shop_page(self):
        self.assert_styled_page("/shop")

    def test_event_page(self):
        self.assert_styled_page("/event")
