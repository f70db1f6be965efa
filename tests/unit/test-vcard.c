/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-vcard.h"

#include <string.h>

/* Contact cards dropped on the participants pane: the SIP address and the
 * name, as contacts apps write them (Apple, Android, GNOME/Evolution,
 * vCard 2.1 to 4.0), and cards that are broken, huge or hostile. */

static void
assert_card (const char *card,
             const char *address,
             const char *name)
{
  g_autofree char *display = NULL;
  g_autofree char *found = confab_vcard_find_sip_address (card, -1, &display);

  g_assert_cmpstr (found, ==, address);
  g_assert_cmpstr (display, ==, name);
  g_assert_true (confab_vcard_looks_like (card, -1));
}

static void
test_vcard_apps (void)
{
  /* Apple Contacts: grouped IMPP with a service type. */
  assert_card ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hopper;Grace;;;\r\nFN:Grace Hopper\r\n"
               "item1.IMPP;X-SERVICE-TYPE=SIP;type=pref:sip:grace@example.org\r\n"
               "item1.X-ABLabel:SIP\r\nEND:VCARD\r\n",
               "sip:grace@example.org", "Grace Hopper");
  /* Android and Outlook: X-SIP, without a scheme. */
  assert_card ("BEGIN:VCARD\nVERSION:2.1\nFN:Frank\nTEL;CELL:+49 30 1234\n"
               "X-SIP:frank@example.org\nEND:VCARD\n",
               "sip:frank@example.org", "Frank");
  /* vCard 4: a sip: TEL (VALUE=uri), escapes in FN. */
  assert_card ("BEGIN:VCARD\nVERSION:4.0\nFN:Alice\\, the\\nFirst\\;\\\\\n"
               "TEL;VALUE=uri;TYPE=work:sip:alice@example.org\nEND:VCARD\n",
               "sip:alice@example.org", "Alice, the First;\\");
  /* A URL that is a SIP address, the least explicit. */
  assert_card ("BEGIN:VCARD\nVERSION:3.0\nFN:Bob\nURL:https://example.org/\n"
               "URL:sips:bob@example.org\nEND:VCARD\n",
               "sips:bob@example.org", "Bob");
  /* vCard 2.1 quoted-printable name; a BOM and lower case. */
  assert_card ("\xEF\xBB\xBF  begin:vcard\r\nversion:2.1\r\n"
               "fn;charset=utf-8;encoding=quoted-printable:J=C3=BCrgen M=C3=BCller\r\n"
               "x-sip:sip:juergen@example.org\r\nend:vcard\r\n",
               "sip:juergen@example.org", "Jürgen Müller");
}

static void
test_vcard_preference (void)
{
  /* IMPP beats X-SIP beats TEL beats URL, wherever each stands. */
  assert_card ("BEGIN:VCARD\nFN:Pat\nURL:sip:url@example.org\nTEL:sip:tel@example.org\n"
               "X-SIP:xsip@example.org\nIMPP:sip:impp@example.org\nEND:VCARD\n",
               "sip:impp@example.org", "Pat");
  assert_card ("BEGIN:VCARD\nFN:Pat\nIMPP:xmpp:pat@example.org\nTEL:sip:tel@example.org\n"
               "URL:sip:url@example.org\nEND:VCARD\n",
               "sip:tel@example.org", "Pat");
  /* Among equals, the first. */
  assert_card ("BEGIN:VCARD\nIMPP:sip:first@example.org\nIMPP:sip:second@example.org\n"
               "END:VCARD\n",
               "sip:first@example.org", NULL);
  /* Only the first card of several. */
  assert_card ("BEGIN:VCARD\nFN:One\nEMAIL:one@example.org\nEND:VCARD\n"
               "BEGIN:VCARD\nFN:Two\nIMPP:sip:two@example.org\nEND:VCARD\n",
               NULL, NULL);
}

static void
test_vcard_lines (void)
{
  /* Folded lines (CRLF or LF, then a space or a tab) join; a colon in a
   * quoted parameter does not end the name. */
  assert_card ("BEGIN:VCARD\r\nFN:Folded\r\n Name\r\n"
               "IMPP;X-LABEL=\"a:b\";X-SERVICE-TYPE=SIP:si\r\n p:folded@exam\r\n\tple.org\r\n"
               "END:VCARD\r\n",
               "sip:folded@example.org", "FoldedName");
  /* A URI with parameters, kept whole. */
  assert_card ("BEGIN:VCARD\nIMPP:sip:alice@example.org;transport=tcp\nEND:VCARD\n",
               "sip:alice@example.org;transport=tcp", NULL);
  /* No END: the card ends with the text. */
  assert_card ("BEGIN:VCARD\nFN:Cut\nIMPP:sip:cut@example.org", "sip:cut@example.org", "Cut");
  /* Control characters in the name become spaces; invalid UTF-8 is
   * replaced; the name is bounded. */
  {
    g_autofree char *display = NULL;
    g_autofree char *long_name = g_strnfill (5000, 'x');
    g_autofree char *card = g_strdup_printf ("BEGIN:VCARD\nFN:%s\nIMPP:sip:l@example.org\n"
                                             "END:VCARD\n", long_name);
    g_autofree char *found = confab_vcard_find_sip_address (card, -1, &display);

    g_assert_cmpstr (found, ==, "sip:l@example.org");
    g_assert_cmpuint (g_utf8_strlen (display, -1), ==, 200);
  }
  assert_card ("BEGIN:VCARD\nFN:a\x1b[31mb\xff" "c\nIMPP:sip:c@example.org\nEND:VCARD\n",
               "sip:c@example.org", "a [31mb\xEF\xBF\xBD" "c");
}

static void
test_vcard_refused (void)
{
  /* Whatever the caller's pointer held, no address leaves it NULL. */
  static char stale[] = "stale";
  char *display = stale;
  const char *not_cards[] = {
    "",
    "sip:alice@example.org",
    "Frank <sip:frank@example.org>",
    "VERSION:3.0\nBEGIN:VCARD\nIMPP:sip:late@example.org\nEND:VCARD\n",
    "BEGIN:VCALENDAR\nIMPP:sip:cal@example.org\nEND:VCALENDAR\n",
  };
  const char *no_address[] = {
    "BEGIN:VCARD\nFN:Nobody\nEMAIL:nobody@example.org\nEND:VCARD\n",
    "BEGIN:VCARD\nFN:Jabber\nIMPP:xmpp:j@example.org\nTEL:+1 555 0100\nEND:VCARD\n",
    "BEGIN:VCARD\nIMPP:sip:\nX-SIP:not an address\nURL:sip:@@\nEND:VCARD\n",
    "BEGIN:VCARD\nno colon here\n:\n;;;\nEND:VCARD\n",
    "BEGIN:VCARD",
  };

  for (guint i = 0; i < G_N_ELEMENTS (not_cards); i++) {
    g_assert_false (confab_vcard_looks_like (not_cards[i], -1));
    g_assert_null (confab_vcard_find_sip_address (not_cards[i], -1, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (no_address); i++) {
    g_assert_true (confab_vcard_looks_like (no_address[i], -1));
    g_assert_null (confab_vcard_find_sip_address (no_address[i], -1, &display));
    g_assert_null (display);
  }
  g_assert_null (confab_vcard_find_sip_address (NULL, -1, NULL));
  g_assert_false (confab_vcard_looks_like (NULL, -1));
}

static void
test_vcard_bounds (void)
{
  /* An explicit length: what follows it is not read, NULs inside are. */
  const char card[] = "BEGIN:VCARD\nIMPP:sip:a@example.org\nEND:VCARD\nIMPP:sip:b@example.org";
  const char with_nul[] = "BEGIN:VCARD\nFN:x\0y\nIMPP:sip:n@example.org\nEND:VCARD\n";
  g_autofree char *cut = confab_vcard_find_sip_address (card, strlen ("BEGIN:VCARD\nIMPP:sip:a@"),
                                                        NULL);
  g_autofree char *nul = confab_vcard_find_sip_address (with_nul, sizeof with_nul - 1, NULL);
  GString *huge = g_string_new ("BEGIN:VCARD\nPHOTO;ENCODING=b:");

  g_assert_null (cut);
  g_assert_cmpstr (nul, ==, "sip:n@example.org");

  /* A card with a photo is fine up to the limit; past it, refused. */
  while (huge->len < CONFAB_VCARD_MAX_LENGTH - 100)
    g_string_append (huge, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=");
  g_string_append (huge, "\nIMPP:sip:photo@example.org\nEND:VCARD\n");
  {
    g_autofree char *found = confab_vcard_find_sip_address (huge->str, huge->len, NULL);

    g_assert_cmpstr (found, ==, "sip:photo@example.org");
  }
  g_string_insert (huge, 30, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=");
  g_assert_cmpuint (huge->len, >, CONFAB_VCARD_MAX_LENGTH);
  g_assert_null (confab_vcard_find_sip_address (huge->str, huge->len, NULL));
  g_assert_null (confab_vcard_find_sip_address (huge->str, -1, NULL));
  g_string_free (huge, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vcard/apps", test_vcard_apps);
  g_test_add_func ("/vcard/preference", test_vcard_preference);
  g_test_add_func ("/vcard/lines", test_vcard_lines);
  g_test_add_func ("/vcard/refused", test_vcard_refused);
  g_test_add_func ("/vcard/bounds", test_vcard_bounds);
  return g_test_run ();
}
