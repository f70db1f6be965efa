/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "msrp/confab-msrp-auth-private.h"

#include <string.h>

/* Digest answers to an MSRP relay's AUTH challenge (RFC 4976 §5.1):
 * known answers from RFC 2617 §3.5 and RFC 7616 §3.9.1 (their GET
 * examples, then the same numbers with method AUTH and an msrps URI; the
 * expected hashes were computed with Python's hashlib), a challenge as
 * Kamailio 5.6's msrp relay sends it, and malformed challenges. */

#define RELAY_URI "msrps://relay.example.com:2855;tcp"

#define RFC2617_CHALLENGE                                                                          \
  "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "                                   \
  "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""

#define RFC7616_CHALLENGE(algorithm)                                                               \
  "Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm=" algorithm ", "    \
  "nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", "                                       \
  "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""
#define RFC7616_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

static char *
build (const char *challenge,
       const char *method,
       const char *uri,
       const char *user,
       const char *password,
       const char *cnonce)
{
  g_autoptr (GError) error = NULL;
  char *answer = _confab_msrp_auth_build_authorization_full (challenge, method, uri, user,
                                                             password, cnonce, &error);

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  return answer;
}

static void
test_rfc2617_get (void)
{
  g_autofree char *answer = build (RFC2617_CHALLENGE, "GET", "/dir/index.html", "Mufasa",
                                   "Circle Of Life", "0a4f113b");

  g_assert_cmpstr (answer, ==,
                   "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                   "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
                   "response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, "
                   "cnonce=\"0a4f113b\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", "
                   "qop=auth, nc=00000001");
}

static void
test_rfc2617_auth (void)
{
  g_autofree char *answer = build (RFC2617_CHALLENGE, "AUTH", RELAY_URI, "Mufasa",
                                   "Circle Of Life", "0a4f113b");

  g_assert_cmpstr (answer, ==,
                   "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                   "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"" RELAY_URI "\", "
                   "response=\"029bedc247efdd9a2360fabbdbdbdb90\", algorithm=MD5, "
                   "cnonce=\"0a4f113b\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", "
                   "qop=auth, nc=00000001");
}

static void
test_md5_sess (void)
{
  g_autofree char *answer = build ("Digest realm=\"testrealm@host.com\",qop=auth,"
                                   "nonce=dcd98b7102dd2f0e8b11d0f600bfb0c093,algorithm=md5-SESS",
                                   "AUTH", RELAY_URI, "Mufasa", "Circle Of Life", "0a4f113b");

  g_assert_cmpstr (answer, ==,
                   "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                   "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"" RELAY_URI "\", "
                   "response=\"81794a45e35ac71a7dc200e80b9ef44b\", algorithm=MD5-sess, "
                   "cnonce=\"0a4f113b\", qop=auth, nc=00000001");
}

/* No qop: the RFC 2069 answer, without cnonce, qop and nc. */
static void
test_no_qop (void)
{
  g_autofree char *answer = build ("Digest realm=\"testrealm@host.com\", "
                                   "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\"",
                                   "AUTH", RELAY_URI, "Mufasa", "Circle Of Life", NULL);

  g_assert_cmpstr (answer, ==,
                   "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
                   "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"" RELAY_URI "\", "
                   "response=\"6f303ec81e83bc51cbb732f668e20b13\", algorithm=MD5");
}

static void
test_rfc7616 (void)
{
  g_autofree char *md5 = build (RFC7616_CHALLENGE ("MD5"), "GET", "/dir/index.html", "Mufasa",
                                "Circle of Life", RFC7616_CNONCE);
  g_autofree char *sha = build (RFC7616_CHALLENGE ("SHA-256"), "GET", "/dir/index.html",
                                "Mufasa", "Circle of Life", RFC7616_CNONCE);
  g_autofree char *sha_sess = build (RFC7616_CHALLENGE ("\"sha-256-sess\""), "AUTH", RELAY_URI,
                                     "Mufasa", "Circle of Life", RFC7616_CNONCE);

  g_assert_nonnull (strstr (md5, "response=\"8ca523f5e9506fed4657c9700eebdbec\", algorithm=MD5,"));
  g_assert_nonnull (strstr (sha, "response=\"753927fa0e85d155564e2e272a28d180"
                                 "2ca10daf4496794697cf8db5856cb6c1\", algorithm=SHA-256,"));
  g_assert_nonnull (strstr (sha_sess, "response=\"cc5a54f88c0160ceba1a87faf3affcb9"
                                      "e9c883479e3b6641055998a1d6d59425\", "
                                      "algorithm=SHA-256-sess,"));
  g_assert_nonnull (strstr (sha, ", opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\", "
                                 "qop=auth, nc=00000001"));
}

/* Quotes and backslashes are unescaped for hashing and escaped again. */
static void
test_escapes (void)
{
  g_autofree char *answer = build ("Digest realm=\"a \\\"quoted\\\" realm\\\\x\", nonce=abc, "
                                   "qop=\"auth\", stale=TRUE, domain=\"msrps://x\", userhash=false",
                                   "AUTH", "msrps://r:1;tcp", "Mu\"fasa", "pw", "0a4f113b");

  g_assert_cmpstr (answer, ==,
                   "Digest username=\"Mu\\\"fasa\", realm=\"a \\\"quoted\\\" realm\\\\x\", "
                   "nonce=\"abc\", uri=\"msrps://r:1;tcp\", "
                   "response=\"e7b5ccb15d18b18e78949a350d5143d5\", algorithm=MD5, "
                   "cnonce=\"0a4f113b\", qop=auth, nc=00000001");
}

static char *
param (const char *answer,
       const char *name)
{
  g_autofree char *key = g_strdup_printf (" %s=\"", name);
  const char *start = strstr (answer, key);
  const char *end;

  g_assert_nonnull (start);
  start += strlen (key);
  end = strchr (start, '"');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

/* The public function: method AUTH, a fresh 128-bit cnonce each time. */
static void
test_random_cnonce (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *first = confab_msrp_auth_build_authorization (RFC2617_CHALLENGE, RELAY_URI,
                                                                 "Mufasa", "Circle Of Life",
                                                                 &error);
  g_autofree char *second = confab_msrp_auth_build_authorization (RFC2617_CHALLENGE, RELAY_URI,
                                                                  "Mufasa", "Circle Of Life",
                                                                  &error);
  g_autofree char *cnonce = NULL;
  g_autofree char *second_cnonce = NULL;
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  cnonce = param (first, "cnonce");
  g_assert_cmpuint (strlen (cnonce), ==, 32);
  for (const char *c = cnonce; *c; c++)
    g_assert_true (g_ascii_isxdigit (*c));
  second_cnonce = param (second, "cnonce");
  g_assert_cmpstr (cnonce, !=, second_cnonce);
  again = build (RFC2617_CHALLENGE, "AUTH", RELAY_URI, "Mufasa", "Circle Of Life", cnonce);
  g_assert_cmpstr (first, ==, again);
}

/* A 401 to AUTH captured from Kamailio 5.6.3's msrp relay
 * (tests/peers/kamailio-peer.py --msrp-relay) and the answer, for bob:pw2
 * with this cnonce, that the relay accepted with 200 and a Use-Path. */
static void
test_kamailio_challenge (void)
{
  g_autofree char *answer = build (
    "Digest realm=\"127.0.0.1\", nonce=\"awHLGGsByexOuwEMsw+20KgVj7/lIp3/\", qop=\"auth\"",
    "AUTH", "msrps://127.0.0.1:16898;tcp", "bob", "pw2", "368edfc2dedca0a55c84f0e9720b764a");

  g_assert_cmpstr (answer, ==,
                   "Digest username=\"bob\", realm=\"127.0.0.1\", "
                   "nonce=\"awHLGGsByexOuwEMsw+20KgVj7/lIp3/\", "
                   "uri=\"msrps://127.0.0.1:16898;tcp\", "
                   "response=\"10d596210ebdd655c14324c22b3a9654\", algorithm=MD5, "
                   "cnonce=\"368edfc2dedca0a55c84f0e9720b764a\", qop=auth, nc=00000001");
}

static void
test_malformed (void)
{
  static const char *const challenges[] = {
    "",
    "   ",
    "Digest",
    "Digest ",
    "Basic realm=\"x\"",
    "Digestive realm=\"x\", nonce=\"y\"",
    "Digest, realm=\"x\", nonce=\"y\"x",
    "Digest realm=\"x\"",                                    /* no nonce */
    "Digest realm=\"x\", nonce=\"\"",                        /* empty nonce */
    "Digest nonce=\"y\"",                                    /* no realm */
    "Digest realm=\"x, nonce=\"y\"",                         /* unterminated */
    "Digest realm=\"x\", nonce=\"y\\",                       /* ends in an escape */
    "Digest realm=\"x\", nonce=\"y\r\nInjected: 1\"",        /* CTL in quotes */
    "Digest realm=\"x\", nonce=\"y\", algorithm=SHA-512",    /* unknown algorithm */
    "Digest realm=\"x\", nonce=\"y\", algorithm=\"\"",
    "Digest realm=\"x\", nonce=\"y\", qop=\"auth-int\"",     /* no qop=auth */
    "Digest realm=\"x\", nonce=\"y\", algorithm=MD5-sess",   /* -sess without qop */
    "Digest realm=\"x\", nonce=\"y\", nonce=\"z\"",          /* twice */
    "Digest realm=\"x\" nonce=\"y\"",                        /* no comma */
    "Digest realm=\"x\", nonce=",
    "Digest realm=\"x\", nonce",
    "Digest realm=\"x\", =\"y\"",
    "Digest realm=\"x\", nonce=y\"z\"",
    "Digest realm=\"x\"\"y\", nonce=\"y\"",
    "Digest realm=\"x\", nonce=\"y\", opaque=\"\x7f\"",
  };
  g_autoptr (GString) huge = g_string_new ("Digest realm=\"x\", nonce=\"");
  g_autofree char *long_user = g_strnfill (4097, 'u');

  for (guint i = 0; i < G_N_ELEMENTS (challenges); i++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *answer = confab_msrp_auth_build_authorization (challenges[i], RELAY_URI,
                                                                    "alice", "secret", &error);

    g_test_message ("challenge %u: %s", i, error ? error->message : "(accepted)");
    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
    g_assert_null (answer);
  }

  while (huge->len <= 4096)
    g_string_append (huge, "0123456789abcdef");
  g_string_append (huge, "\", qop=\"auth\"");
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *answer = confab_msrp_auth_build_authorization (huge->str, RELAY_URI,
                                                                    "alice", "secret", &error);

    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
    g_assert_null (answer);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *answer = confab_msrp_auth_build_authorization (RFC2617_CHALLENGE, RELAY_URI,
                                                                    long_user, "secret", &error);

    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
    g_assert_null (answer);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *answer = confab_msrp_auth_build_authorization (
      RFC2617_CHALLENGE, RELAY_URI "\r\nTo-Path: x", "alice", "secret", &error);

    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
    g_assert_null (answer);
  }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *answer = confab_msrp_auth_build_authorization (NULL, RELAY_URI, "alice",
                                                                    "secret", &error);

    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
    g_assert_null (answer);
  }
}

/* Every prefix of a valid challenge: an answer or an error, never a crash
 * (run under the sanitizers and valgrind in CI). */
static void
test_truncated (void)
{
  const char *full = RFC7616_CHALLENGE ("SHA-256");

  for (gsize i = 0; i <= strlen (full); i++) {
    g_autofree char *prefix = g_strndup (full, i);
    g_autoptr (GError) error = NULL;
    g_autofree char *answer = confab_msrp_auth_build_authorization (prefix, RELAY_URI, "alice",
                                                                    "secret", &error);

    g_assert_true ((answer == NULL) != (error == NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/msrp/auth/rfc2617-get", test_rfc2617_get);
  g_test_add_func ("/msrp/auth/rfc2617-auth", test_rfc2617_auth);
  g_test_add_func ("/msrp/auth/md5-sess", test_md5_sess);
  g_test_add_func ("/msrp/auth/no-qop", test_no_qop);
  g_test_add_func ("/msrp/auth/rfc7616", test_rfc7616);
  g_test_add_func ("/msrp/auth/escapes", test_escapes);
  g_test_add_func ("/msrp/auth/random-cnonce", test_random_cnonce);
  g_test_add_func ("/msrp/auth/kamailio-challenge", test_kamailio_challenge);
  g_test_add_func ("/msrp/auth/malformed", test_malformed);
  g_test_add_func ("/msrp/auth/truncated", test_truncated);

  return g_test_run ();
}
