/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab.h"

static void
test_uri_parse_valid (void)
{
  static const struct {
    const char *text;
    ConfabUriScheme scheme;
    const char *user, *host;
    guint port;
    const char *canonical;
  } cases[] = {
    { "sip:alice@example.org", CONFAB_URI_SCHEME_SIP, "alice", "example.org", 0,
      "sip:alice@example.org" },
    { "SIP:Alice@Example.ORG:5070;transport=tcp", CONFAB_URI_SCHEME_SIP, "Alice", "example.org",
      5070, "sip:Alice@example.org:5070;transport=tcp" },
    { "sips:bob@[::1]:5061", CONFAB_URI_SCHEME_SIPS, "bob", "::1", 5061, "sips:bob@[::1]:5061" },
    { "sip:192.0.2.7", CONFAB_URI_SCHEME_SIP, NULL, "192.0.2.7", 0, "sip:192.0.2.7" },
    { "  sip:carol@host  ", CONFAB_URI_SCHEME_SIP, "carol", "host", 0, "sip:carol@host" },
    { "sip://dave@host", CONFAB_URI_SCHEME_SIP, "dave", "host", 0, "sip:dave@host" },
    /* headers from a link are dropped: no header injection */
    { "sip:eve@host?Subject=hi&Call-Info=x", CONFAB_URI_SCHEME_SIP, "eve", "host", 0,
      "sip:eve@host" },
    { "sip:a%20b@host", CONFAB_URI_SCHEME_SIP, "a b", "host", 0, "sip:a%20b@host" },
    { "sip:user:secret@host", CONFAB_URI_SCHEME_SIP, "user", "host", 0, "sip:user@host" },
    { "tel:+49 (30) 1234-5", CONFAB_URI_SCHEME_TEL, "+493012345", NULL, 0, "tel:+493012345" },
    { "tel:*99#", CONFAB_URI_SCHEME_TEL, "*99#", NULL, 0, "tel:*99#" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (ConfabUri) uri = confab_uri_parse (cases[i].text, &error);
    g_autofree char *text = NULL;

    g_test_message ("%s", cases[i].text);
    g_assert_no_error (error);
    g_assert_nonnull (uri);
    g_assert_cmpint (uri->scheme, ==, cases[i].scheme);
    g_assert_cmpstr (uri->user, ==, cases[i].user);
    g_assert_cmpstr (uri->host, ==, cases[i].host);
    g_assert_cmpuint (uri->port, ==, cases[i].port);
    text = confab_uri_to_string (uri);
    g_assert_cmpstr (text, ==, cases[i].canonical);
  }
}

static void
test_uri_parse_malformed (void)
{
  g_autofree char *long_user = g_strnfill (3000, 'a');
  g_autofree char *too_long = g_strconcat ("sip:", long_user, "@host", NULL);
  g_autofree char *long_host = g_strnfill (300, 'h');
  g_autofree char *long_host_uri = g_strconcat ("sip:a@", long_host, NULL);
  const char *cases[] = {
    "", "   ", "alice", "sip:", "sip:@host", "sip:alice@", "sip:alice@host:0",
    "sip:alice@host:99999", "sip:alice@host:12ab", "sip:alice@host:", "sip:al\x01ice@host",
    "sip:alice@ho st", "http://example.org", "mailto:a@b", "sip:a@[::1", "sip:a@[]",
    "sip:a@[zz::1]", "sip:a%2@host", "sip:a%@host", "sip:a%00@host", "sip:a%0a@host",
    "sip:a b@host", "sip:a@host;par am", "tel:", "tel:+", "tel:xyz", "tel:12;x=\x7f",
    "sip:a@host\r\nVia: evil", too_long, long_host_uri, "sip:\xff\xfe@host",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (ConfabUri) uri = confab_uri_parse (cases[i], &error);

    g_test_message ("case %u", i);
    g_assert_null (uri);
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
    g_assert_nonnull (error->message);
  }
}

static void
test_uri_params (void)
{
  g_autoptr (ConfabUri) uri = confab_uri_parse ("sip:p@h;transport=TLS;lr;maddr=1.2.3.4", NULL);
  g_autofree char *value = NULL;

  g_assert_nonnull (uri);
  g_assert_nonnull (confab_uri_get_param (uri, "transport", &value));
  g_assert_cmpstr (value, ==, "TLS");
  g_clear_pointer (&value, g_free);
  g_assert_nonnull (confab_uri_get_param (uri, "lr", &value));
  g_assert_null (value);
  g_assert_null (confab_uri_get_param (uri, "ttl", NULL));
}

static void
test_uri_normalize (void)
{
  static const struct {
    const char *input, *domain, *expected;
  } cases[] = {
    { "alice@example.org", NULL, "sip:alice@example.org" },
    { "sip:Alice@EXAMPLE.org", NULL, "sip:Alice@example.org" },
    { "sips:bob@example.org", NULL, "sips:bob@example.org" },
    { "+1 555 0100", NULL, "tel:+15550100" },
    { "+1 555 0100", "sip2sip.info", "sip:+15550100@sip2sip.info" },
    { "bob", "example.org", "sip:bob@example.org" },
    { "192.0.2.1:5062", NULL, "sip:192.0.2.1:5062" },
    { "  sip:x@y  ", NULL, "sip:x@y" },
    { "tel:+44-20-7946-0000", NULL, "tel:+442079460000" },
    { "", NULL, NULL },
    { "http://evil", NULL, NULL },
    { "a b c", NULL, NULL },
    { "sip:x@y\nz", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *result = confab_uri_normalize (cases[i].input, cases[i].domain);

    g_test_message ("%s", cases[i].input);
    g_assert_cmpstr (result, ==, cases[i].expected);
  }
}

static void
test_uri_skip_scheme (void)
{
  g_assert_cmpstr (confab_uri_skip_scheme ("sip:alice@example.org"), ==, "alice@example.org");
  g_assert_cmpstr (confab_uri_skip_scheme ("sips:bob@example.org"), ==, "bob@example.org");
  g_assert_cmpstr (confab_uri_skip_scheme ("tel:+15550100"), ==, "tel:+15550100");
  g_assert_cmpstr (confab_uri_skip_scheme ("carol"), ==, "carol");
  g_assert_cmpstr (confab_uri_skip_scheme (NULL), ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/uri/parse-valid", test_uri_parse_valid);
  g_test_add_func ("/uri/parse-malformed", test_uri_parse_malformed);
  g_test_add_func ("/uri/params", test_uri_params);
  g_test_add_func ("/uri/normalize", test_uri_normalize);
  g_test_add_func ("/uri/skip-scheme", test_uri_skip_scheme);
  return g_test_run ();
}
