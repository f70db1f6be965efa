/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "transfer/confab-file-selector.h"
#include "sdp/confab-sdp.h"

#include <glib/gstdio.h>

#include <string.h>

/* RFC 5547 file transfer attributes and the file helpers: what SIP SIMPLE
 * writes (the wire samples), every field order, escapes and legacy forms,
 * malformed selectors, round trips, offers in SDP, and names a hostile
 * peer might offer. */

#define HELLO_SELECTOR                                                                           \
  "name:\"hello.txt\" type:text/plain size:68 "                                                  \
  "hash:sha-1:14:F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BA"
#define HELLO_HASH "14:F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BA"
#define TESTFILE_SELECTOR                                                                        \
  "name:\"testfile.bin\" type:application/octet-stream size:200000 "                             \
  "hash:sha-1:11:3E:D2:1A:3C:94:17:66:8F:89:E3:6A:02:AE:D9:59:63:31:EF:2E"
#define ABC_SHA1   "A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D"

static void
parse_ok (ConfabFileSelector *selector,
          const char         *text)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (confab_file_selector_parse (selector, text, strlen (text), &error));
  g_assert_no_error (error);
}

static void
parse_fails_len (const char *text,
                 gsize       length)
{
  g_auto (ConfabFileSelector) selector = { 0 };
  g_autoptr (GError) error = NULL;

  if (confab_file_selector_parse (&selector, text, length, &error))
    g_test_message ("parsed: %s", text);
  g_assert_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED);
  g_assert_true (g_str_has_prefix (error->message, "Invalid file selector: "));
  g_assert_null (selector.name);
  g_assert_null (selector.type);
  g_assert_null (selector.hash);
  g_assert_false (selector.has_size);
}

static void
parse_fails (const char *text)
{
  parse_fails_len (text, strlen (text));
}

static void
assert_selector_equal (const ConfabFileSelector *a,
                       const ConfabFileSelector *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->type, ==, b->type);
  g_assert_cmpint (a->has_size, ==, b->has_size);
  g_assert_cmpuint (a->size, ==, b->size);
  g_assert_cmpstr (a->hash, ==, b->hash);
}

/* Printed and read back, the same selector; printed again, the same text. */
static void
assert_round_trip (const ConfabFileSelector *selector)
{
  g_auto (ConfabFileSelector) again = { 0 };
  g_autofree char *text = confab_file_selector_to_string (selector);
  g_autofree char *text_again = NULL;

  parse_ok (&again, text);
  assert_selector_equal (selector, &again);
  text_again = confab_file_selector_to_string (&again);
  g_assert_cmpstr (text, ==, text_again);
}

static char *
load_sdp (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "sdp", name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_selector_wire_samples (void)
{
  g_auto (ConfabFileSelector) hello = { 0 };
  g_auto (ConfabFileSelector) testfile = { 0 };
  g_autofree char *dir = g_strdup (g_getenv ("CONFAB_WIRE_SAMPLES"));
  g_autoptr (GDir) listing = NULL;
  const char *name;
  guint n_selectors = 0;

  parse_ok (&hello, HELLO_SELECTOR);
  g_assert_cmpstr (hello.name, ==, "hello.txt");
  g_assert_cmpstr (hello.type, ==, "text/plain");
  g_assert_true (hello.has_size);
  g_assert_cmpuint (hello.size, ==, 68);
  g_assert_cmpstr (hello.hash, ==, HELLO_HASH);
  assert_round_trip (&hello);
  {
    /* what we print of a SIP SIMPLE selector is what it wrote */
    g_autofree char *text = confab_file_selector_to_string (&hello);

    g_assert_cmpstr (text, ==, HELLO_SELECTOR);
  }

  parse_ok (&testfile, TESTFILE_SELECTOR);
  g_assert_cmpstr (testfile.name, ==, "testfile.bin");
  g_assert_cmpstr (testfile.type, ==, "application/octet-stream");
  g_assert_cmpuint (testfile.size, ==, 200000);
  g_assert_cmpstr (testfile.hash, ==,
                   "11:3E:D2:1A:3C:94:17:66:8F:89:E3:6A:02:AE:D9:59:63:31:EF:2E");
  assert_round_trip (&testfile);

  /* every a=file-selector of ../shared/wire-samples, when it is present */
  if (!dir)
    dir = g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "wire-samples", NULL);
  listing = g_dir_open (dir, 0, NULL);
  if (!listing) {
    g_test_message ("wire-samples not found (set CONFAB_WIRE_SAMPLES)");
    return;
  }
  while ((name = g_dir_read_name (listing))) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autofree char *data = NULL;
    const char *p;

    if (!g_str_has_suffix (name, ".txt") || !g_file_get_contents (path, &data, NULL, NULL))
      continue;
    for (p = data; (p = strstr (p, "a=file-selector:"));) {
      g_auto (ConfabFileSelector) selector = { 0 };
      g_autoptr (GError) error = NULL;
      gsize length;

      p += strlen ("a=file-selector:");
      length = strcspn (p, "\r\n");
      g_assert_true (confab_file_selector_parse (&selector, p, length, &error));
      g_assert_no_error (error);
      g_assert_true (confab_file_selector_matches (&selector, &hello) ||
                     confab_file_selector_matches (&selector, &testfile));
      n_selectors++;
    }
  }
  g_assert_cmpuint (n_selectors, >=, 8);
}

/* All 24 orders of the four fields, and blanks around them. */
static void
test_selector_field_order (void)
{
  static const char *const fields[] = {
    "name:\"hello.txt\"", "type:text/plain", "size:68", ("hash:sha-1:" HELLO_HASH),
  };
  g_auto (ConfabFileSelector) expected = { 0 };
  guint n = 0;

  parse_ok (&expected, HELLO_SELECTOR);
  for (guint a = 0; a < 4; a++) {
    for (guint b = 0; b < 4; b++) {
      for (guint c = 0; c < 4; c++) {
        guint d = 6 - a - b - c;
        g_auto (ConfabFileSelector) selector = { 0 };
        g_autofree char *text = NULL;

        if (a == b || a == c || b == c || d > 3 || d == a || d == b || d == c)
          continue;
        text = g_strdup_printf ("%s %s  %s\t%s", fields[a], fields[b], fields[c], fields[d]);
        parse_ok (&selector, text);
        assert_selector_equal (&selector, &expected);
        n++;
      }
    }
  }
  g_assert_cmpuint (n, ==, 24);

  {
    g_auto (ConfabFileSelector) selector = { 0 };

    /* upper-case keys, unknown fields and stray words are passed over */
    parse_ok (&selector, "  NAME:\"hello.txt\" x-color:\"light blue\" creator:bob stray "
                         "Size:68  ");
    g_assert_cmpstr (selector.name, ==, "hello.txt");
    g_assert_null (selector.type);
    g_assert_cmpuint (selector.size, ==, 68);
    g_assert_null (selector.hash);
  }
}

static void
test_selector_names (void)
{
  static const struct
  {
    const char *text;
    const char *name;
  } cases[] = {
    { "name:\"say %22hi%22.txt\"", "say \"hi\".txt" },
    { "name:\"say \\\"hi\\\".txt\"", "say \"hi\".txt" },
    { "name:\"my holiday photo 2.jpg\"", "my holiday photo 2.jpg" },
    { "name:\"%2e%2E%2Fx\"", "../x" },
    { "name:\"100% sure.txt\"", "100% sure.txt" },
    { "name:\"50%25.txt\"", "50%.txt" },
    { "name:\"%\"", "%" },
    { "name:\"back\\slash\"", "back\\slash" },
    { "name:\"Gr\xc3\xbc\xc3\x9f" "e.txt\"", "Gr\xc3\xbc\xc3\x9f" "e.txt" },
    { "name:\"%C3%BC.txt\"", "\xc3\xbc.txt" },
    { "name:plain.txt size:1", "plain.txt" },
    /* not UTF-8: made valid, not refused */
    { "name:\"caf\xe9.txt\"", "caf\xef\xbf\xbd.txt" },
    { "name:\"%FF\"", "\xef\xbf\xbd" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_auto (ConfabFileSelector) selector = { 0 };

    parse_ok (&selector, cases[i].text);
    g_assert_cmpstr (selector.name, ==, cases[i].name);
    assert_round_trip (&selector);
  }
}

static void
test_selector_hashes (void)
{
  g_auto (ConfabFileSelector) legacy = { 0 };
  g_auto (ConfabFileSelector) lower = { 0 };
  g_auto (ConfabFileSelector) upper_algorithm = { 0 };
  g_auto (ConfabFileSelector) sha256 = { 0 };
  g_auto (ConfabFileSelector) both = { 0 };
  g_autofree char *text = NULL;

  parse_ok (&legacy, "name:\"hello.txt\" hash:sha1:" HELLO_HASH);
  g_assert_cmpstr (legacy.hash, ==, HELLO_HASH);
  /* we write the RFC's form */
  text = confab_file_selector_to_string (&legacy);
  g_assert_cmpstr (text, ==, "name:\"hello.txt\" hash:sha-1:" HELLO_HASH);

  parse_ok (&lower, "hash:sha-1:14:f9:b8:dd:f4:30:3d:6d:13:20:e2:22:c6:0d:27:12:22:e1:93:ba");
  g_assert_cmpstr (lower.hash, ==, HELLO_HASH);
  g_assert_null (lower.name);
  parse_ok (&upper_algorithm, "hash:SHA-1:" HELLO_HASH);
  g_assert_cmpstr (upper_algorithm.hash, ==, HELLO_HASH);

  /* an algorithm we cannot check is passed over */
  parse_ok (&sha256, "name:\"a.bin\" hash:sha-256:"
                     "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:"
                     "B4:10:FF:61:F2:00:15:AD");
  g_assert_cmpstr (sha256.name, ==, "a.bin");
  g_assert_null (sha256.hash);
  parse_ok (&both, "hash:sha-256:00:11 hash:sha-1:" HELLO_HASH " hash:md5:zz");
  g_assert_cmpstr (both.hash, ==, HELLO_HASH);
}

static void
test_selector_escaped_control (void)
{
  g_auto (ConfabFileSelector) selector = { 0 };
  g_autofree char *safe = NULL;

  g_assert_true (confab_file_selector_parse (&selector, "name:\"a%0Ab%7F\"", 15, NULL));
  g_assert_cmpstr (selector.name, ==, "a\nb\x7f");
  safe = confab_file_safe_name (selector.name);
  g_assert_cmpstr (safe, ==, "a_b_");
}

static void
test_selector_malformed (void)
{
  g_autofree char *long_name = NULL;
  g_autofree char *escaped = NULL;
  g_autoptr (GString) quotes = g_string_new ("name:\"");

  parse_fails ("");
  parse_fails ("   \t ");
  parse_fails_len (NULL, 0);
  parse_fails ("name:\"hello.txt");
  parse_fails ("name:\"hello.txt\\\" size:1");
  parse_fails ("name:\"\"");
  parse_fails ("name:\"a\"b size:1");
  parse_fails ("name:\"a\" name:\"b\"");
  parse_fails ("size:1 size:2");
  parse_fails ("x-unknown:\"open");
  /* 19 and 21 bytes, bad hex, a bad separator, no algorithm */
  parse_fails ("hash:sha-1:14:F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93");
  parse_fails ("hash:sha-1:" HELLO_HASH ":00");
  parse_fails ("hash:sha-1:14:F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BG");
  parse_fails ("hash:sha-1:14-F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BA");
  parse_fails ("hash:sha1:1:4F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BA");
  parse_fails ("hash:" HELLO_HASH);
  parse_fails ("hash:sha-1:" HELLO_HASH " hash:sha1:" HELLO_HASH);
  parse_fails ("hash:noalgorithm");
  /* sizes: overflow, signs, empty, not decimal */
  parse_fails ("size:18446744073709551616");
  parse_fails ("size:99999999999999999999999");
  parse_fails ("size:-1");
  parse_fails ("size:+1");
  parse_fails ("size:");
  parse_fails ("size:0x10");
  parse_fails ("size:12abc");
  parse_fails ("size:\"12\"");
  /* types */
  parse_fails ("type:");
  parse_fails ("type:text");
  parse_fails ("type:/plain");
  parse_fails ("type:\"text/plain\"");
  parse_fails ("type:text/plain;charset=\"utf-8");
  parse_fails ("type:text/pl\x01" "ain");
  parse_fails ("type:text/\xff");
  /* control characters raw, and NUL raw or escaped, in the name (an
   * escaped line break is a name Linux allows: see
   * test_selector_escaped_control) */
  parse_fails ("name:\"a\nb\"");
  parse_fails ("name:\"a\tb\"");
  parse_fails ("name:\"a%00b\"");
  parse_fails_len ("name:\"a\0b\" size:1", 17);
  parse_fails_len ("size:1 \0", 8);
  /* fields we know nothing of name no file */
  parse_fails ("x-color:blue");
  parse_fails ("just words");
  parse_fails ("hash:sha-256:00:11");

  /* over the bound, as written or as we would print it */
  long_name = g_strnfill (CONFAB_FILE_SELECTOR_MAX_LENGTH, 'a');
  escaped = g_strdup_printf ("name:\"%s\"", long_name);
  parse_fails (escaped);
  for (guint i = 0; i < CONFAB_FILE_SELECTOR_MAX_LENGTH / 2 - 4; i++)
    g_string_append (quotes, "\\\"");
  g_string_append_c (quotes, '"');
  g_assert_cmpuint (quotes->len, <=, CONFAB_FILE_SELECTOR_MAX_LENGTH);
  parse_fails (quotes->str);
  {
    g_auto (ConfabFileSelector) selector = { 0 };
    g_autofree char *fits = g_strdup_printf ("name:\"%.*s\"",
                                             CONFAB_FILE_SELECTOR_MAX_LENGTH - 7, long_name);

    g_assert_cmpuint (strlen (fits), ==, CONFAB_FILE_SELECTOR_MAX_LENGTH);
    parse_ok (&selector, fits);
    assert_round_trip (&selector);
  }
}

static void
test_selector_round_trip (void)
{
  ConfabFileSelector built = {
    .name = (char *) "\"Quoted\" 100% \xc3\xbc\xe2\x82\xac \\ file.txt",
    .type = (char *) "text/plain;charset=\"utf-8\"",
    .has_size = TRUE,
    .size = G_MAXUINT64,
    .hash = (char *) HELLO_HASH,
  };
  ConfabFileSelector empty = { 0 };
  ConfabFileSelector control = { .name = (char *) "a\r\nb" };
  g_auto (ConfabFileSelector) copy = { 0 };
  g_auto (ConfabFileSelector) parsed = { 0 };
  g_autofree char *text = confab_file_selector_to_string (&built);
  g_autofree char *empty_text = confab_file_selector_to_string (&empty);
  g_autofree char *control_text = confab_file_selector_to_string (&control);

  g_assert_cmpstr (text, ==,
                   "name:\"%22Quoted%22 100%25 \xc3\xbc\xe2\x82\xac %5C file.txt\" "
                   "type:text/plain;charset=\"utf-8\" size:18446744073709551615 "
                   "hash:sha-1:" HELLO_HASH);
  assert_round_trip (&built);
  g_assert_cmpstr (empty_text, ==, "");
  g_assert_cmpstr (control_text, ==, "name:\"a%0D%0Ab\"");

  confab_file_selector_copy (&copy, &built);
  assert_selector_equal (&copy, &built);
  g_assert_true (copy.name != built.name);

  /* a type's quoted parameters may hold blanks */
  parse_ok (&parsed, "type:text/plain;x=\"a b\" size:0");
  g_assert_cmpstr (parsed.type, ==, "text/plain;x=\"a b\"");
  g_assert_true (parsed.has_size);
  g_assert_cmpuint (parsed.size, ==, 0);
  assert_round_trip (&parsed);
}

static void
test_selector_matches (void)
{
  g_auto (ConfabFileSelector) file = { 0 };
  ConfabFileSelector by_hash = { .hash = (char *) HELLO_HASH };
  ConfabFileSelector by_lower_hash = {
    .hash = (char *) "14:f9:b8:dd:f4:30:3d:6d:13:20:e2:22:c6:0d:27:12:22:e1:93:ba",
  };
  ConfabFileSelector other_hash = {
    .name = (char *) "hello.txt",
    .hash = (char *) "11:3E:D2:1A:3C:94:17:66:8F:89:E3:6A:02:AE:D9:59:63:31:EF:2E",
  };
  ConfabFileSelector by_name = { .name = (char *) "hello.txt" };
  ConfabFileSelector by_name_size = { .name = (char *) "hello.txt", .has_size = TRUE, .size = 68 };
  ConfabFileSelector wrong_size = { .name = (char *) "hello.txt", .has_size = TRUE, .size = 69 };
  ConfabFileSelector wrong_name = { .name = (char *) "Hello.txt" };
  ConfabFileSelector nothing = { .type = (char *) "text/plain" };

  parse_ok (&file, HELLO_SELECTOR);
  g_assert_true (confab_file_selector_matches (&by_hash, &file));
  g_assert_true (confab_file_selector_matches (&by_lower_hash, &file));
  g_assert_false (confab_file_selector_matches (&other_hash, &file));
  g_assert_true (confab_file_selector_matches (&by_name, &file));
  g_assert_true (confab_file_selector_matches (&by_name_size, &file));
  g_assert_false (confab_file_selector_matches (&wrong_size, &file));
  g_assert_false (confab_file_selector_matches (&wrong_name, &file));
  g_assert_false (confab_file_selector_matches (&nothing, &file));
  g_assert_true (confab_file_selector_matches (&file, &file));
}

static gint64
unix_time (int year,
           int month,
           int day,
           int hour,
           int minute,
           int second)
{
  g_autoptr (GDateTime) t = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (t);
}

/* The m=message line of SIP SIMPLE's push offer (wire-samples). */
static void
test_offer_read_wire (void)
{
  g_autofree char *text = load_sdp ("wire-file-push-offer.sdp");
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabSdp) sdp = confab_sdp_parse (text, strlen (text), &error);
  g_auto (ConfabFileOffer) offer = { 0 };
  const ConfabSdpMedia *media;

  g_assert_no_error (error);
  media = g_ptr_array_index (sdp->media, 0);
  g_assert_cmpstr (media->media, ==, "message");
  g_assert_cmpint (media->direction, ==, CONFAB_SDP_DIRECTION_SENDONLY);
  g_assert_true (confab_file_offer_read (&offer, media, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (offer.selector.name, ==, "hello.txt");
  g_assert_cmpstr (offer.selector.type, ==, "text/plain");
  g_assert_cmpuint (offer.selector.size, ==, 68);
  g_assert_cmpstr (offer.selector.hash, ==, HELLO_HASH);
  g_assert_cmpstr (offer.transfer_id, ==, "15302ae4-2600-4675-bdcf-bbea1e609eb6");
  g_assert_null (offer.disposition);
  g_assert_cmpint (offer.modification, ==, -1);
  g_assert_false (offer.has_range);
  g_assert_true (offer.x_file_offset);
}

static void
test_offer_read_errors (void)
{
  g_autoptr (ConfabSdpMedia) chat = confab_sdp_media_new ("message", 2855, "TCP/MSRP");
  g_autoptr (ConfabSdpMedia) bad = confab_sdp_media_new ("message", 2855, "TCP/MSRP");
  g_autoptr (GError) error = NULL;
  g_auto (ConfabFileOffer) offer = { 0 };

  confab_sdp_media_add_attribute (chat, "accept-types", "message/cpim");
  g_assert_false (confab_file_offer_read (&offer, chat, &error));
  g_assert_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED);
  g_assert_null (offer.selector.name);
  g_assert_cmpint (offer.modification, ==, -1);
  g_clear_error (&error);

  confab_sdp_media_add_attribute (bad, "file-selector", "size:-5");
  confab_sdp_media_add_attribute (bad, "file-transfer-id", "abc");
  g_assert_false (confab_file_offer_read (&offer, bad, &error));
  g_assert_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED);
  g_assert_null (offer.transfer_id);
}

static void
read_with (ConfabFileOffer *offer,
           const char      *name,
           const char      *value)
{
  g_autoptr (ConfabSdpMedia) media = confab_sdp_media_new ("message", 2855, "TCP/MSRP");
  g_autoptr (GError) error = NULL;

  confab_sdp_media_add_attribute (media, "file-selector", HELLO_SELECTOR);
  confab_sdp_media_add_attribute (media, name, value);
  g_assert_true (confab_file_offer_read (offer, media, &error));
  g_assert_no_error (error);
}

static void
test_offer_range (void)
{
  static const struct
  {
    const char *value;
    gboolean    valid;
    guint64     start, stop;
  } cases[] = {
    { "1-*", TRUE, 1, G_MAXUINT64 },
    { "100-200", TRUE, 100, 200 },
    { "5-5", TRUE, 5, 5 },
    { "1-18446744073709551615", TRUE, 1, G_MAXUINT64 },
    { "0-10", FALSE, 0, 0 },
    { "10-5", FALSE, 0, 0 },
    { "-5", FALSE, 0, 0 },
    { "5-", FALSE, 0, 0 },
    { "5", FALSE, 0, 0 },
    { "a-b", FALSE, 0, 0 },
    { "1-*x", FALSE, 0, 0 },
    { " 1-5", FALSE, 0, 0 },
    { "1--5", FALSE, 0, 0 },
    { "1-18446744073709551616", FALSE, 0, 0 },
    { "", FALSE, 0, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_auto (ConfabFileOffer) offer = { 0 };

    read_with (&offer, "file-range", cases[i].value);
    g_assert_cmpint (offer.has_range, ==, cases[i].valid);
    g_assert_cmpuint (offer.range_start, ==, cases[i].start);
    g_assert_cmpuint (offer.range_stop, ==, cases[i].stop);
    /* the offer stands with or without a usable range */
    g_assert_cmpstr (offer.selector.name, ==, "hello.txt");
  }
}

static void
test_offer_date (void)
{
  gint64 expected = unix_time (2026, 11, 21, 10, 0, 0);
  static const struct
  {
    const char *value;
    gboolean    valid;
  } cases[] = {
    { "modification:\"Sat, 21 Nov 2026 10:00:00 +0000\"", TRUE },
    { "creation:\"Fri, 20 Nov 2026 08:00:00 +0000\" "
      "modification:\"Sat, 21 Nov 2026 11:00:00 +0100\" read:\"Sun, 22 Nov 2026 09:00:00 GMT\"",
      TRUE },
    { "read:\"x\" modification:\"21 Nov 2026 05:00:00 EST\"", TRUE },
    { "MODIFICATION:\"sat, 21 nov 2026 10:00 UT\"", TRUE },
    { "modification:\"21 Nov 26 02:00:00 -0800\"", TRUE },
    { "modification:\"Sat, 21 Nov 2026 10:00:00\"", TRUE },
    { "modification:\"Sat, 21 Nov 2026 10:00:00 Z\"", TRUE },
    { "modification:\"Sat, 21 Nov 2026 10:00:00 +0000 (UTC)\"", TRUE },
    { "creation:\"Sat, 21 Nov 2026 10:00:00 +0000\"", FALSE },
    { "modification:\"Sat, 31 Feb 2026 10:00:00 +0000\"", FALSE },
    { "modification:\"Sat, 21 Foo 2026 10:00:00 +0000\"", FALSE },
    { "modification:\"Sat, 21 Nov 2026 25:00:00 +0000\"", FALSE },
    { "modification:\"Sat, 21 Nov 2026 10:00:00 +2400\"", FALSE },
    { "modification:\"Sat, 21 Nov 2026 10:00:00 XYZ\"", FALSE },
    { "modification:\"Sat 21 Nov 2026 10:00:00 +0000\"", FALSE },
    { "modification:\"2026-11-21T10:00:00Z\"", FALSE },
    { "modification:\"Sat, 21 Nov 2026 10:00:00 +0000", FALSE },
    { "modification:\"\"", FALSE },
    { "modification:\"Sat, 31 Dec 9999 23:00:00 -0500\"", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_auto (ConfabFileOffer) offer = { 0 };

    read_with (&offer, "file-date", cases[i].value);
    g_assert_cmpint (offer.modification, ==, cases[i].valid ? expected : -1);
  }
}

static void
test_offer_write (void)
{
  g_autoptr (ConfabSdpMedia) media = confab_sdp_media_new ("message", 2855, "TCP/MSRP");
  g_autoptr (ConfabSdpMedia) minimal = confab_sdp_media_new ("message", 2855, "TCP/MSRP");
  g_autoptr (GError) error = NULL;
  g_auto (ConfabFileOffer) again = { 0 };
  static const char *const order[] = {
    "file-selector", "file-transfer-id", "file-disposition", "file-date", "file-range",
    "x-file-offset",
  };
  ConfabFileOffer offer = {
    .selector = {
      .name = (char *) "report \"final\".pdf",
      .type = (char *) "application/pdf",
      .has_size = TRUE,
      .size = 1234,
      .hash = (char *) HELLO_HASH,
    },
    .transfer_id = (char *) "34ba72df-1aba-4171-b859-a11eaa479382",
    .disposition = (char *) "attachment",
    .modification = unix_time (2026, 11, 21, 10, 0, 0),
    .has_range = TRUE,
    .range_start = 1,
    .range_stop = G_MAXUINT64,
    .x_file_offset = TRUE,
  };
  ConfabFileOffer bare = {
    .selector = { .name = (char *) "a.txt" },
    .modification = -1,
    .range_start = 7,
  };

  confab_file_offer_write (&offer, media);
  g_assert_cmpuint (media->attributes->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (((ConfabSdpAttribute *) g_ptr_array_index (media->attributes, i))->name, ==,
                     order[i]);
  g_assert_cmpstr (confab_sdp_media_get_attribute (media, "file-selector"), ==,
                   "name:\"report %22final%22.pdf\" type:application/pdf size:1234 "
                   "hash:sha-1:" HELLO_HASH);
  g_assert_cmpstr (confab_sdp_media_get_attribute (media, "file-date"), ==,
                   "modification:\"Sat, 21 Nov 2026 10:00:00 +0000\"");
  g_assert_cmpstr (confab_sdp_media_get_attribute (media, "file-range"), ==, "1-*");
  /* a flag: a=x-file-offset, no colon */
  g_assert_null (((ConfabSdpAttribute *) g_ptr_array_index (media->attributes, 5))->value);

  g_assert_true (confab_file_offer_read (&again, media, &error));
  g_assert_no_error (error);
  assert_selector_equal (&again.selector, &offer.selector);
  g_assert_cmpstr (again.transfer_id, ==, offer.transfer_id);
  g_assert_cmpstr (again.disposition, ==, offer.disposition);
  g_assert_cmpint (again.modification, ==, offer.modification);
  g_assert_true (again.has_range);
  g_assert_cmpuint (again.range_start, ==, 1);
  g_assert_cmpuint (again.range_stop, ==, G_MAXUINT64);
  g_assert_true (again.x_file_offset);
  confab_file_offer_clear (&again);
  g_assert_null (again.transfer_id);
  g_assert_cmpint (again.modification, ==, -1);

  offer.range_start = 100;
  offer.range_stop = 200;
  offer.modification = unix_time (1999, 1, 3, 4, 5, 6);
  g_ptr_array_set_size (media->attributes, 0);
  confab_file_offer_write (&offer, media);
  g_assert_cmpstr (confab_sdp_media_get_attribute (media, "file-range"), ==, "100-200");
  g_assert_cmpstr (confab_sdp_media_get_attribute (media, "file-date"), ==,
                   "modification:\"Sun, 03 Jan 1999 04:05:06 +0000\"");

  /* what is unset is left out */
  confab_file_offer_write (&bare, minimal);
  g_assert_cmpuint (minimal->attributes->len, ==, 1);
  g_assert_cmpstr (confab_sdp_media_get_attribute (minimal, "file-selector"), ==,
                   "name:\"a.txt\"");
}

static void
test_safe_name (void)
{
  static const struct
  {
    const char *offered;
    const char *safe;
  } cases[] = {
    { "report.pdf", "report.pdf" },
    { "../../.bashrc", "bashrc" },
    { "/etc/passwd", "passwd" },
    { "a\nb", "a_b" },
    { "..", "file" },
    { ".", "file" },
    { "", "file" },
    { "dir/", "file" },
    { "C:\\Users\\x\\evil.exe", "evil.exe" },
    { "   .hidden  ", "hidden" },
    { ". . .x. .", "x" },
    { "a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h" },
    { "tab\there\x7f", "tab_here_" },
    { "caf\xe9 \xff\xfe.txt", "caf_ __.txt" },
    { "\xc3\xbc\xe2\x82\xac \xf0\x9f\x98\x80.txt", "\xc3\xbc\xe2\x82\xac \xf0\x9f\x98\x80.txt" },
    { "evil\xe2\x80\xaetxt.exe", "evil_txt.exe" },
    { "c1\xc2\x85" "control", "c1_control" },
  };
  g_autoptr (GString) huge = g_string_new (NULL);
  g_autofree char *safe = NULL;
  g_autofree char *long_ext = NULL;
  g_autofree char *long_ext_safe = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *name = confab_file_safe_name (cases[i].offered);

    g_assert_cmpstr (name, ==, cases[i].safe);
  }

  /* 10 KB of two-byte characters: cut on a character boundary, the
   * extension kept */
  while (huge->len < 10000)
    g_string_append (huge, "\xc3\xa9");
  g_string_append (huge, "x.txt");
  safe = confab_file_safe_name (huge->str);
  g_assert_cmpuint (strlen (safe), <=, CONFAB_FILE_SAFE_NAME_MAX);
  g_assert_cmpuint (strlen (safe), >=, CONFAB_FILE_SAFE_NAME_MAX - 1);
  g_assert_true (g_utf8_validate (safe, -1, NULL));
  g_assert_true (g_str_has_suffix (safe, "\xc3\xa9.txt"));

  /* an "extension" of 300 bytes is not one */
  long_ext = g_strdup_printf ("a.%0300d", 7);
  long_ext_safe = confab_file_safe_name (long_ext);
  g_assert_cmpuint (strlen (long_ext_safe), ==, CONFAB_FILE_SAFE_NAME_MAX);
  g_assert_true (g_str_has_prefix (long_ext_safe, "a.000"));
}

static void
test_numbered_name (void)
{
  static const struct
  {
    const char *name;
    guint       n;
    const char *numbered;
  } cases[] = {
    { "a.txt", 0, "a.txt" },
    { "a.txt", 1, "a (1).txt" },
    { "archive.tar.gz", 2, "archive (2).tar.gz" },
    { "archive.TAR.xz", 2, "archive (2).TAR.xz" },
    { "noext", 3, "noext (3)" },
    { "report.v2.pdf", 4, "report.v2 (4).pdf" },
    { ".profile", 5, ".profile (5)" },
    { "x.tar", 6, "x (6).tar" },
    { "a.b.c", 10000, "a.b (10000).c" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *numbered = confab_file_numbered_name (cases[i].name, cases[i].n);

    g_assert_cmpstr (numbered, ==, cases[i].numbered);
  }
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    g_assert_cmpint (g_remove (child), ==, 0);
  }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
assert_contents (const char *dir,
                 const char *name,
                 const char *expected)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, expected);
}

static void
test_move_unique (void)
{
  g_autofree char *dir = g_dir_make_tmp ("confab-test-ft-XXXXXX", NULL);
  g_autoptr (GFile) directory = g_file_new_for_path (dir);
  static const char *const expected[] = { "a.txt", "a (1).txt", "a (2).txt" };

  g_assert_nonnull (dir);
  write_file (dir, "a.txt", "first");
  write_file (dir, "a (1).txt", "second");

  for (guint i = 0; i < 3; i++) {
    g_autofree char *part = g_strdup_printf ("download-%u.part", i);
    g_autofree char *part_path = g_build_filename (dir, part, NULL);
    g_autofree char *contents = g_strdup_printf ("download %u", i);
    g_autoptr (GFile) source = g_file_new_for_path (part_path);
    g_autoptr (GFile) final = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *base = NULL;

    write_file (dir, part, contents);
    final = confab_file_move_unique (source, directory, "a.txt", &error);
    g_assert_no_error (error);
    base = g_file_get_basename (final);
    /* a.txt and a (1).txt are taken, then our own a (2).txt, … */
    g_assert_cmpstr (base, ==, i == 0 ? "a (2).txt" : i == 1 ? "a (3).txt" : "a (4).txt");
    g_assert_false (g_file_test (part_path, G_FILE_TEST_EXISTS));
    assert_contents (dir, base, contents);
  }
  assert_contents (dir, expected[0], "first");
  assert_contents (dir, expected[1], "second");
  assert_contents (dir, expected[2], "download 0");

  {
    /* a free name is used as it is */
    g_autofree char *part_path = g_build_filename (dir, "x.part", NULL);
    g_autoptr (GFile) source = g_file_new_for_path (part_path);
    g_autoptr (GFile) final = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *base = NULL;

    write_file (dir, "x.part", "x");
    final = confab_file_move_unique (source, directory, "archive.tar.gz", &error);
    g_assert_no_error (error);
    base = g_file_get_basename (final);
    g_assert_cmpstr (base, ==, "archive.tar.gz");
  }
  {
    /* a missing source is an error, and nothing is created */
    g_autofree char *part_path = g_build_filename (dir, "missing.part", NULL);
    g_autoptr (GFile) source = g_file_new_for_path (part_path);
    g_autoptr (GFile) final = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *gone = g_build_filename (dir, "gone.txt", NULL);

    final = confab_file_move_unique (source, directory, "gone.txt", &error);
    g_assert_null (final);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
  }
  remove_tree (dir);
}

static void
test_create_unique (void)
{
  g_autofree char *dir = g_dir_make_tmp ("confab-test-ft-XXXXXX", NULL);
  g_autoptr (GFile) directory = g_file_new_for_path (dir);
  static const char *const expected[] = {
    "b.tar.gz.part", "b (1).tar.gz.part", "b (2).tar.gz.part",
  };

  g_assert_nonnull (dir);
  write_file (dir, "b.tar.gz.part", "keep me");
  for (guint i = 1; i < G_N_ELEMENTS (expected); i++) {
    g_autoptr (GFile) created = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (GFileOutputStream) stream = NULL;
    g_autofree char *base = NULL;
    g_autofree char *contents = g_strdup_printf ("part %u", i);

    stream = confab_file_create_unique (directory, "b.tar.gz", ".part", &created, &error);
    g_assert_no_error (error);
    g_assert_nonnull (stream);
    base = g_file_get_basename (created);
    g_assert_cmpstr (base, ==, expected[i]);
    g_assert_true (g_output_stream_write_all (G_OUTPUT_STREAM (stream), contents,
                                              strlen (contents), NULL, NULL, &error));
    g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, &error));
    g_assert_no_error (error);
  }
  assert_contents (dir, expected[0], "keep me");
  assert_contents (dir, expected[1], "part 1");
  assert_contents (dir, expected[2], "part 2");
  {
    /* no suffix, no out file */
    g_autoptr (GError) error = NULL;
    g_autoptr (GFileOutputStream) stream =
      confab_file_create_unique (directory, "b (1).tar.gz.part", NULL, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (stream);
    g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, NULL));
    assert_contents (dir, "b (1).tar.gz (1).part", "");
    assert_contents (dir, expected[1], "part 1");
  }
  {
    /* an error other than a taken name is not retried */
    g_autofree char *missing = g_build_filename (dir, "missing", NULL);
    g_autoptr (GFile) nowhere = g_file_new_for_path (missing);
    g_autoptr (GFile) created = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (GFileOutputStream) stream =
      confab_file_create_unique (nowhere, "c.txt", ".part", &created, &error);

    g_assert_null (stream);
    g_assert_null (created);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
  remove_tree (dir);
}

static void
on_progress (guint64  done,
             gpointer user_data)
{
  GArray *calls = user_data;

  g_array_append_val (calls, done);
}

static void
test_sha1 (void)
{
  static const guint8 abc_digest[] = {
    0xa9, 0x99, 0x3e, 0x36, 0x47, 0x06, 0x81, 0x6a, 0xba, 0x3e,
    0x25, 0x71, 0x78, 0x50, 0xc2, 0x6c, 0x9c, 0xd0, 0xd8, 0x9d,
  };
  const gsize big_length = 3 * 1024 * 1024;
  g_autofree guint8 *big = g_malloc (big_length);
  g_autofree char *abc_text = confab_file_sha1_to_text (abc_digest);
  g_autofree char *expected_hex = NULL;
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GInputStream) abc = g_memory_input_stream_new_from_data ("abc", 3, NULL);
  g_autoptr (GInputStream) empty = g_memory_input_stream_new ();
  g_autoptr (GInputStream) big_stream = NULL;
  g_autoptr (GArray) calls = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *abc_sha1 = NULL;
  g_autofree char *empty_sha1 = NULL;
  g_autofree char *big_sha1 = NULL;
  g_autofree char *cancelled = NULL;

  g_assert_cmpstr (abc_text, ==, ABC_SHA1);
  g_assert_cmpuint (strlen (abc_text), ==, CONFAB_FILE_SHA1_TEXT_LENGTH);

  abc_sha1 = confab_file_sha1_stream (abc, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (abc_sha1, ==, ABC_SHA1);

  empty_sha1 = confab_file_sha1_stream (empty, on_progress, calls, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (empty_sha1, ==, "DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09");
  g_assert_cmpuint (calls->len, ==, 1);
  g_assert_cmpuint (g_array_index (calls, guint64, 0), ==, 0);
  g_array_set_size (calls, 0);

  for (gsize i = 0; i < big_length; i++)
    big[i] = (guint8) (i * 7 + i / 251);
  expected_hex = g_compute_checksum_for_data (G_CHECKSUM_SHA1, big, big_length);
  for (guint i = 0; i < 40; i += 2)
    g_string_append_printf (expected, "%s%c%c", i ? ":" : "", g_ascii_toupper (expected_hex[i]),
                            g_ascii_toupper (expected_hex[i + 1]));
  big_stream = g_memory_input_stream_new_from_data (big, big_length, NULL);
  big_sha1 = confab_file_sha1_stream (big_stream, on_progress, calls, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (big_sha1, ==, expected->str);
  /* about every MiB, and once at the end */
  g_assert_cmpuint (calls->len, >=, 3);
  g_assert_cmpuint (calls->len, <=, 4);
  for (guint i = 1; i < calls->len; i++)
    g_assert_cmpuint (g_array_index (calls, guint64, i), >=, g_array_index (calls, guint64, i - 1));
  g_assert_cmpuint (g_array_index (calls, guint64, 0), >=, 1024 * 1024);
  g_assert_cmpuint (g_array_index (calls, guint64, calls->len - 1), ==, big_length);

  g_seekable_seek (G_SEEKABLE (big_stream), 0, G_SEEK_SET, NULL, NULL);
  g_cancellable_cancel (cancellable);
  cancelled = confab_file_sha1_stream (big_stream, NULL, NULL, cancellable, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-selector/wire-samples", test_selector_wire_samples);
  g_test_add_func ("/file-selector/field-order", test_selector_field_order);
  g_test_add_func ("/file-selector/names", test_selector_names);
  g_test_add_func ("/file-selector/hashes", test_selector_hashes);
  g_test_add_func ("/file-selector/malformed", test_selector_malformed);
  g_test_add_func ("/file-selector/escaped-control", test_selector_escaped_control);
  g_test_add_func ("/file-selector/round-trip", test_selector_round_trip);
  g_test_add_func ("/file-selector/matches", test_selector_matches);
  g_test_add_func ("/file-offer/read-wire", test_offer_read_wire);
  g_test_add_func ("/file-offer/read-errors", test_offer_read_errors);
  g_test_add_func ("/file-offer/range", test_offer_range);
  g_test_add_func ("/file-offer/date", test_offer_date);
  g_test_add_func ("/file-offer/write", test_offer_write);
  g_test_add_func ("/file-name/safe", test_safe_name);
  g_test_add_func ("/file-name/numbered", test_numbered_name);
  g_test_add_func ("/file/move-unique", test_move_unique);
  g_test_add_func ("/file/create-unique", test_create_unique);
  g_test_add_func ("/file/sha1", test_sha1);

  return g_test_run ();
}
