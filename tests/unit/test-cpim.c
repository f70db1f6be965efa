/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "im/confab-cpim.h"
#include "im/confab-is-composing.h"
#include "msrp/confab-msrp.h"
#include "test-msrp-wire.h"

#include <string.h>

/* CPIM (RFC 3862) and is-composing (RFC 3994): every CPIM body of the wire
 * samples, the RFC examples, what Blink and SylkServer write (NS-prefixed
 * extensions, bare-LF MIME parts, an empty Content-Transfer-Encoding), round
 * trips, and malformed or hostile input (XXE, entity bombs). */

static ConfabCpimMessage *
parse_text (const char *text,
            GError    **error)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, strlen (text));

  return confab_cpim_message_parse (bytes, error);
}

static ConfabCpimMessage *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  ConfabCpimMessage *m = parse_text (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (m);
  return m;
}

static void
parse_fails_len (const char *text,
                 gsize       length)
{
  g_autoptr (GBytes) bytes = g_bytes_new (text, length);
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabCpimMessage) m = confab_cpim_message_parse (bytes, &error);

  if (m)
    g_test_message ("parsed: %s", text);
  g_assert_null (m);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Invalid CPIM message: "));
}

static char *
body_text (const ConfabCpimMessage *m)
{
  return g_strndup (g_bytes_get_data (m->body, NULL), g_bytes_get_size (m->body));
}

static const char *
address_uri (GPtrArray *addresses,
             guint      i)
{
  return ((ConfabCpimAddress *) g_ptr_array_index (addresses, i))->uri;
}

/* Printing, reading back and printing again gives the same bytes. */
static ConfabCpimMessage *
round_trip (const ConfabCpimMessage *m)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) printed = confab_cpim_message_to_bytes (m, &error);
  g_autoptr (GBytes) printed_again = NULL;
  ConfabCpimMessage *again;

  g_assert_no_error (error);
  again = confab_cpim_message_parse (printed, &error);
  g_assert_no_error (error);
  printed_again = confab_cpim_message_to_bytes (again, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (printed, printed_again));
  return again;
}

static void
test_cpim_wire_samples (void)
{
  static const char *const files[] = {
    "sipsimple-msrp-chat-and-file-tcp.txt",
    "sylkserver-room-msrp.txt",
  };
  guint n_cpim = 0, n_status = 0;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++) {
    g_autoptr (GPtrArray) streams = wire_load_msrp_streams (files[f]);

    for (guint s = 0; s < streams->len; s++) {
      const WireStream *ws = g_ptr_array_index (streams, s);
      g_autoptr (ConfabMsrpParser) parser = confab_msrp_parser_new (NULL);

      g_assert_true (confab_msrp_parser_feed (parser, ws->bytes->data, ws->bytes->len, NULL));
      for (;;) {
        g_autoptr (ConfabMsrpMessage) msrp = confab_msrp_parser_pop (parser);
        g_autoptr (ConfabCpimMessage) m = NULL;
        g_autoptr (ConfabCpimMessage) again = NULL;
        g_autoptr (GError) error = NULL;
        g_autofree char *text = NULL;
        const char *type;

        if (!msrp)
          break;
        if (g_strcmp0 (msrp->content_type, CONFAB_CPIM_CONTENT_TYPE) != 0)
          continue;
        m = confab_cpim_message_parse (msrp->body, &error);
        g_assert_no_error (error);
        n_cpim++;
        g_assert_nonnull (m->from);
        g_assert_true (g_str_has_prefix (m->from->uri, "sip:"));
        g_assert_cmpuint (m->to->len, ==, 1);
        g_assert_true (g_str_has_prefix (address_uri (m->to, 0), "sip:"));
        g_assert_nonnull (m->date_time);
        g_assert_cmpint (g_date_time_get_year (m->date_time), ==, 2026);
        g_assert_cmpint (g_date_time_get_utc_offset (m->date_time), ==, 0);
        g_assert_cmpstr (m->content_type, ==, "text/plain; charset=\"utf8\"");
        g_assert_cmpstr (confab_cpim_message_get_content_header (m, "MIME-Version"), ==, "1.0");
        /* the body is a slice of the MSRP body, not a copy */
        g_assert_true ((const char *) g_bytes_get_data (m->body, NULL) >
                       (const char *) g_bytes_get_data (msrp->body, NULL));
        text = body_text (m);
        g_assert_cmpuint (strlen (text), >, 0);
        type = confab_cpim_message_get_header (m, CONFAB_CPIM_NS_AG_PROJECTS, "Message-Type");
        if (type) {
          g_assert_cmpstr (type, ==, "status");
          g_assert_cmpstr (m->from->display_name, ==, "Conference Room");
          g_assert_cmpstr (((ConfabCpimHeader *) g_ptr_array_index (m->headers, 0))->prefix, ==,
                           "agp");
          n_status++;
        }
        if (strstr (text, "Unicode"))
          g_assert_cmpstr (confab_cpim_message_get_content_header (m, "Content-Transfer-Encoding"),
                           ==, "");
        again = round_trip (m);
        g_assert_cmpstr (again->from->uri, ==, m->from->uri);
        g_assert_true (g_bytes_equal (again->body, m->body));
      }
    }
  }
  g_assert_cmpuint (n_cpim, ==, 14);
  g_assert_cmpuint (n_status, ==, 6);
}

static void
test_cpim_parse (void)
{
  /* RFC 3862 §6's example, plus what Blink and IMDN add */
  g_autoptr (ConfabCpimMessage) m = parse_ok (
    "From: MR SANDERS <im:piglet@100akerwood.com>\r\n"
    "To: Depressed Donkey <im:eeyore@100akerwood.com>\r\n"
    "To: <im:pooh@100akerwood.com>\r\n"
    "cc: \"Tigger \\\"T\\\"\" <im:tigger@100akerwood.com>\r\n"
    "DateTime: 2000-12-13T13:40:00-08:00\r\n"
    "Subject: the weather will be fine today\r\n"
    "Subject:;lang=fr beau temps prevu pour aujourd'hui\r\n"
    "NS: MyFeatures <mid:MessageFeatures@id.foo.com>\r\n"
    "Require: MyFeatures.VitalMessageOption\r\n"
    "MyFeatures.VitalMessageOption: Confirmation-requested\r\n"
    "MyFeatures.WackyMessageOption: Use-silly-font\r\n"
    "NS: blink <urn:ag-projects:xml:ns:blink>\r\n"
    "blink.Sender-Device: laptop\r\n"
    "NS: imdn <urn:ietf:params:imdn>\r\n"
    "imdn.Message-ID: 34jk324j\r\n"
    "imdn.Disposition-Notification: positive-delivery, display\r\n"
    "X-Plain: no prefix\r\n"
    "\r\n"
    "Content-type: text/xml; charset=utf-8\r\n"
    "Content-ID: <1234567890@foo.com>\r\n"
    "Content-Disposition: inline\r\n"
    "\r\n"
    "<body>\r\n"
    "Here is the text of my message.\r\n"
    "</body>\r\n");
  const ConfabCpimHeader *subject;
  g_autofree char *body = body_text (m);
  g_autoptr (ConfabCpimMessage) again = NULL;

  g_assert_cmpstr (m->from->display_name, ==, "MR SANDERS");
  g_assert_cmpstr (m->from->uri, ==, "im:piglet@100akerwood.com");
  g_assert_cmpuint (m->to->len, ==, 2);
  g_assert_cmpstr (((ConfabCpimAddress *) g_ptr_array_index (m->to, 0))->display_name, ==,
                   "Depressed Donkey");
  g_assert_null (((ConfabCpimAddress *) g_ptr_array_index (m->to, 1))->display_name);
  g_assert_cmpuint (m->cc->len, ==, 1);
  g_assert_cmpstr (((ConfabCpimAddress *) g_ptr_array_index (m->cc, 0))->display_name, ==,
                   "Tigger \"T\"");
  g_assert_cmpint (g_date_time_get_hour (m->date_time), ==, 13);
  g_assert_cmpint (g_date_time_get_utc_offset (m->date_time), ==, -8 * G_TIME_SPAN_HOUR);
  g_assert_cmpuint (m->subjects->len, ==, 2);
  subject = g_ptr_array_index (m->subjects, 1);
  g_assert_cmpstr (subject->params, ==, ";lang=fr");
  g_assert_cmpstr (subject->value, ==, "beau temps prevu pour aujourd'hui");
  g_assert_cmpuint (m->namespaces->len, ==, 3);
  g_assert_cmpuint (m->require->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (m->require, 0), ==, "MyFeatures.VitalMessageOption");
  g_assert_cmpstr (confab_cpim_message_get_header (m, "mid:MessageFeatures@id.foo.com",
                                                   "WackyMessageOption"),
                   ==, "Use-silly-font");
  g_assert_cmpstr (confab_cpim_message_get_header (m, "urn:ag-projects:xml:ns:blink",
                                                   "sender-device"),
                   ==, "laptop");
  g_assert_cmpstr (confab_cpim_message_get_header (m, CONFAB_CPIM_NS_IMDN, "Message-ID"), ==,
                   "34jk324j");
  g_assert_cmpstr (confab_cpim_message_get_header (m, CONFAB_CPIM_NS_IMDN,
                                                   "Disposition-Notification"),
                   ==, "positive-delivery, display");
  g_assert_null (confab_cpim_message_get_header (m, CONFAB_CPIM_NS_IMDN, "Sender-Device"));
  g_assert_null (confab_cpim_message_get_header (m, NULL, "Message-ID"));
  g_assert_cmpstr (confab_cpim_message_get_header (m, NULL, "X-Plain"), ==, "no prefix");
  g_assert_cmpstr (m->content_type, ==, "text/xml; charset=utf-8");
  g_assert_cmpstr (m->content_id, ==, "<1234567890@foo.com>");
  g_assert_cmpstr (m->content_disposition, ==, "inline");
  g_assert_cmpstr (body, ==, "<body>\r\nHere is the text of my message.\r\n</body>\r\n");

  again = round_trip (m);
  g_assert_cmpstr (confab_cpim_message_get_header (again, CONFAB_CPIM_NS_IMDN, "Message-ID"), ==,
                   "34jk324j");
  g_assert_cmpstr (((ConfabCpimAddress *) g_ptr_array_index (again->cc, 0))->display_name, ==,
                   "Tigger \"T\"");
  g_assert_true (g_date_time_equal (again->date_time, m->date_time));
}

/* What Python's email module and others write. */
static void
test_cpim_tolerant (void)
{
  g_autoptr (ConfabCpimMessage) lf = parse_ok ("From: sip:alice@example.com\n"
                                               "To: <sip:bob@example.com>\n"
                                               "DateTime: 2026-11-21T11:57:11\n"
                                               "\n"
                                               "Content-Type: text/plain;\n"
                                               "\tcharset=\"utf8\"\n"
                                               "Content-Transfer-Encoding:\n"
                                               "\n"
                                               "hi\n");
  g_autoptr (ConfabCpimMessage) no_mime = parse_ok ("From: <sip:a@b>\r\n\r\n\r\nplain body");
  g_autoptr (ConfabCpimMessage) no_blank = parse_ok ("From: <sip:a@b>\r\n\r\nContent-Type: a/b");
  g_autoptr (ConfabCpimMessage) bad_date = parse_ok ("DateTime: yesterday\r\n\r\n\r\n");
  g_autoptr (ConfabCpimMessage) again = NULL;
  g_autofree char *text = body_text (lf);
  g_autofree char *plain = body_text (no_mime);

  g_assert_cmpstr (lf->from->uri, ==, "sip:alice@example.com");
  g_assert_null (lf->from->display_name);
  g_assert_cmpint (g_date_time_get_utc_offset (lf->date_time), ==, 0);
  g_assert_cmpstr (lf->content_type, ==, "text/plain; charset=\"utf8\"");
  g_assert_cmpstr (confab_cpim_message_get_content_header (lf, "content-transfer-encoding"), ==,
                   "");
  g_assert_cmpstr (text, ==, "hi\n");
  g_assert_null (no_mime->content_type);
  g_assert_cmpstr (plain, ==, "plain body");
  g_assert_cmpstr (no_blank->content_type, ==, "a/b");
  g_assert_cmpuint (g_bytes_get_size (no_blank->body), ==, 0);
  g_assert_null (bad_date->date_time);
  g_assert_cmpstr (confab_cpim_message_get_header (bad_date, NULL, "DateTime"), ==, "yesterday");
  again = round_trip (bad_date);
  g_assert_cmpstr (confab_cpim_message_get_header (again, NULL, "DateTime"), ==, "yesterday");
  g_clear_pointer (&again, confab_cpim_message_free);
  again = round_trip (lf);
  g_assert_cmpstr (again->content_type, ==, "text/plain; charset=\"utf8\"");
}

static void
test_cpim_malformed (void)
{
  static const char *const cases[] = {
    "",
    "From: <sip:a@b>\r\n",
    "From: <sip:a@b>\r\nTo: <sip:c@d>",
    "From <sip:a@b>\r\n\r\n\r\n",
    ": x\r\n\r\n\r\n",
    " From: <sip:a@b>\r\n\r\n\r\n",
    "From: <sip:a@b\r\n\r\n\r\n",
    "From: <>\r\n\r\n\r\n",
    "From:\r\n\r\n\r\n",
    "From: \"Alice <sip:a@b>\r\n\r\n\r\n",
    "From: \"Alice\" x <sip:a@b>\r\n\r\n\r\n",
    "From: <sip:a@b> x\r\n\r\n\r\n",
    "From: <sip:a b@c>\r\n\r\n\r\n",
    "From: <sip:a@b>\r\nFrom: <sip:c@d>\r\n\r\n\r\n",
    "To: Bob\r\n\r\n\r\n",
    "NS: <>\r\n\r\n\r\n",
    "NS: a.b <urn:x>\r\n\r\n\r\n",
    "NS: my prefix <urn:x>\r\n\r\n\r\n",
    "NS: p urn:x\r\n\r\n\r\n",
    "NS: p <urn:x> more\r\n\r\n\r\n",
    "Require: a b\r\n\r\n\r\n",
    "Require: a,,b\r\n\r\n\r\n",
    "a.b.c: x\r\n\r\n\r\n",
    ".x: y\r\n\r\n\r\n",
    "x.: y\r\n\r\n\r\n",
    "X: a\x01b\r\n\r\n\r\n",
    "X: a\rb\r\n\r\n\r\n",
    "DateTime: 2026-11-21T11:57:11Z\r\nDateTime: 2026-11-21T11:57:12Z\r\n\r\n\r\n",
    "DateTime: soon\r\nDateTime: 2026-11-21T11:57:12Z\r\n\r\n\r\n",
    "From: <sip:a@b>\r\n\r\n\tfolded: x\r\n\r\n",
    "From: <sip:a@b>\r\n\r\nContent-Type x\r\n\r\n",
    "From: <sip:a@b>\r\n\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\n",
    "From: <sip:a@b>\r\n\r\nX: \x7f\r\n\r\n",
  };
  GString *flood = g_string_new (NULL);
  GString *long_line = g_string_new ("X: ");
  GString *mime_flood = g_string_new ("From: <sip:a@b>\r\n\r\n");
  GString *block = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    parse_fails_len (cases[i], strlen (cases[i]));
  parse_fails_len ("From: <sip:a@b>\0\r\n\r\n\r\n", 22);
  parse_fails_len ("From: <sip:a@b>\r\n\r\nX: a\0\r\n\r\n", 28);

  for (guint i = 0; i <= CONFAB_CPIM_MAX_HEADERS; i++)
    g_string_append_printf (flood, "X-%u: %u\r\n", i, i);
  g_string_append (flood, "\r\n\r\n");
  parse_fails_len (flood->str, flood->len);

  for (guint i = 0; i <= CONFAB_CPIM_MAX_LINE; i++)
    g_string_append_c (long_line, 'a');
  g_string_append (long_line, "\r\n\r\n\r\n");
  parse_fails_len (long_line->str, long_line->len);

  for (guint i = 0; i <= CONFAB_CPIM_MAX_HEADERS; i++)
    g_string_append_printf (mime_flood, "X-%u: %u\r\n", i, i);
  g_string_append (mime_flood, "\r\n");
  parse_fails_len (mime_flood->str, mime_flood->len);

  for (guint i = 0; i < 100; i++) {
    g_string_append_printf (block, "X-%u: ", i);
    for (guint j = 0; j < 1000; j++)
      g_string_append_c (block, 'b');
    g_string_append (block, "\r\n");
  }
  g_string_append (block, "\r\n\r\n");
  parse_fails_len (block->str, block->len);

  g_string_free (flood, TRUE);
  g_string_free (long_line, TRUE);
  g_string_free (mime_flood, TRUE);
  g_string_free (block, TRUE);
}

static void
test_cpim_build (void)
{
  g_autoptr (ConfabCpimMessage) m = confab_cpim_message_new ();
  g_autoptr (ConfabCpimMessage) again = NULL;
  g_autoptr (GBytes) body = g_bytes_new_static ("Hello \xc3\xa9\r\n", 10);
  g_autoptr (GBytes) printed = NULL;
  g_autoptr (GTimeZone) zone = g_time_zone_new_offset (3600);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *address = NULL;

  m->from = confab_cpim_address_new ("Alice Smith", "sip:alice@example.com");
  g_ptr_array_add (m->to, confab_cpim_address_new ("Bob \"the\" Builder", "sip:bob@example.com"));
  g_ptr_array_add (m->to, confab_cpim_address_new ("Zoë", "sip:zoe@example.com"));
  m->date_time = g_date_time_new (zone, 2026, 11, 21, 12, 57, 11.914101);
  confab_cpim_message_add_namespace (m, "imdn", CONFAB_CPIM_NS_IMDN);
  confab_cpim_message_add_header (m, "imdn", "Message-ID", "abc123");
  confab_cpim_message_add_header (m, "imdn", "Disposition-Notification",
                                  "positive-delivery, display");
  confab_cpim_message_set_body (m, "text/plain;charset=utf-8", body);
  printed = confab_cpim_message_to_bytes (m, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (printed, NULL), g_bytes_get_size (printed));
  g_assert_cmpstr (text, ==,
                   "From: Alice Smith <sip:alice@example.com>\r\n"
                   "To: \"Bob \\\"the\\\" Builder\" <sip:bob@example.com>\r\n"
                   "To: \"Zoë\" <sip:zoe@example.com>\r\n"
                   "DateTime: 2026-11-21T12:57:11.914101+01:00\r\n"
                   "NS: imdn <urn:ietf:params:imdn>\r\n"
                   "imdn.Message-ID: abc123\r\n"
                   "imdn.Disposition-Notification: positive-delivery, display\r\n"
                   "\r\n"
                   "Content-Type: text/plain;charset=utf-8\r\n"
                   "\r\n"
                   "Hello \xc3\xa9\r\n");
  again = round_trip (m);
  g_assert_cmpstr (((ConfabCpimAddress *) g_ptr_array_index (again->to, 0))->display_name, ==,
                   "Bob \"the\" Builder");
  g_assert_cmpstr (confab_cpim_message_get_header (again, CONFAB_CPIM_NS_IMDN, "Message-ID"), ==,
                   "abc123");

  address = confab_cpim_address_to_string (m->from);
  g_assert_cmpstr (address, ==, "Alice Smith <sip:alice@example.com>");

  /* refused: line breaks, bad URIs, fields given as headers */
  for (guint i = 0; i < 6; i++) {
    g_autoptr (ConfabCpimMessage) bad = confab_cpim_message_new ();
    g_autoptr (GBytes) none = NULL;
    g_autoptr (GError) bad_error = NULL;

    switch (i) {
    case 0:
      bad->from = confab_cpim_address_new ("Eve\r\nTo: <sip:x@y>", "sip:eve@example.com");
      break;
    case 1:
      bad->from = confab_cpim_address_new (NULL, "sip:eve@example.com>");
      break;
    case 2:
      confab_cpim_message_add_header (bad, NULL, "From", "<sip:a@b>");
      break;
    case 3:
      confab_cpim_message_add_header (bad, NULL, "X-Evil", "a\r\n\r\nbody");
      break;
    case 4:
      confab_cpim_message_set_body (bad, "text/plain\r\nX: y", NULL);
      break;
    case 5:
      confab_cpim_message_add_namespace (bad, "a.b", "urn:x");
      break;
    default:
      g_assert_not_reached ();
    }
    none = confab_cpim_message_to_bytes (bad, &bad_error);
    g_assert_null (none);
    g_assert_error (bad_error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  }
}

static ConfabIsComposing *
composing_ok (const char *xml)
{
  g_autoptr (GError) error = NULL;
  ConfabIsComposing *c = confab_is_composing_parse (xml, strlen (xml), &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static void
test_is_composing_parse (void)
{
  /* RFC 3994 §5 */
  g_autoptr (ConfabIsComposing) rfc = composing_ok (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"\n"
    "  xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
    "  xsi:schemaLocation=\"urn:ietf:params:xml:ns:im-composing iscomposing.xsd\">\n"
    "  <state>active</state>\n"
    "  <contenttype>text/plain</contenttype>\n"
    "  <refresh>90</refresh>\n"
    "</isComposing>\n");
  /* as Blink sends it: no refresh, a lastactive */
  g_autoptr (ConfabIsComposing) blink = composing_ok (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\">"
    "<state>idle</state><lastactive>2026-11-21T11:57:11.914101+00:00</lastactive>"
    "<contenttype>text</contenttype><x:extra xmlns:x=\"urn:x\">ignored</x:extra>"
    "</isComposing>");
  g_autoptr (ConfabIsComposing) bare = composing_ok (
    "<isComposing><state> active </state></isComposing>");
  /* a declared encoding is not believed: the body is UTF-8 */
  g_autoptr (ConfabIsComposing) declared = composing_ok (
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
    "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>active</state>"
    "<contenttype>text/plain; charset=\xc3\xa9</contenttype></isComposing>");

  g_assert_cmpint (rfc->state, ==, CONFAB_COMPOSING_STATE_ACTIVE);
  g_assert_cmpstr (rfc->content_type, ==, "text/plain");
  g_assert_cmpuint (rfc->refresh, ==, 90);
  g_assert_cmpuint (confab_is_composing_get_timeout (rfc), ==, 90);
  g_assert_null (rfc->last_active);

  g_assert_cmpint (blink->state, ==, CONFAB_COMPOSING_STATE_IDLE);
  g_assert_cmpuint (blink->refresh, ==, 0);
  g_assert_cmpuint (confab_is_composing_get_timeout (blink), ==, 0);
  g_assert_cmpint (g_date_time_get_second (blink->last_active), ==, 11);
  g_assert_cmpstr (blink->content_type, ==, "text");

  g_assert_cmpint (bare->state, ==, CONFAB_COMPOSING_STATE_ACTIVE);
  g_assert_cmpuint (confab_is_composing_get_timeout (bare), ==, 120);
  g_assert_cmpstr (declared->content_type, ==, "text/plain; charset=\xc3\xa9");
}

static void
test_is_composing_build (void)
{
  g_autoptr (ConfabIsComposing) c = confab_is_composing_new (CONFAB_COMPOSING_STATE_ACTIVE);
  g_autoptr (ConfabIsComposing) idle = confab_is_composing_new (CONFAB_COMPOSING_STATE_IDLE);
  g_autoptr (ConfabIsComposing) parsed = NULL;
  g_autoptr (ConfabIsComposing) parsed_idle = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *idle_xml = NULL;

  c->content_type = g_strdup ("text/plain & <html>");
  c->refresh = 60;
  c->last_active = g_date_time_new_utc (2026, 11, 21, 11, 57, 11);
  xml = confab_is_composing_to_xml (c, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  g_assert_nonnull (strstr (xml, "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\">"));
  g_assert_nonnull (strstr (xml, "<state>active</state>"));
  g_assert_nonnull (strstr (xml, "<lastactive>2026-11-21T11:57:11Z</lastactive>"));
  g_assert_nonnull (strstr (xml, "<contenttype>text/plain &amp; &lt;html&gt;</contenttype>"));
  parsed = composing_ok (xml);
  g_assert_cmpint (parsed->state, ==, CONFAB_COMPOSING_STATE_ACTIVE);
  g_assert_cmpuint (parsed->refresh, ==, 60);
  g_assert_cmpstr (parsed->content_type, ==, "text/plain & <html>");
  g_assert_true (g_date_time_equal (parsed->last_active, c->last_active));

  idle_xml = confab_is_composing_to_xml (idle, &error);
  g_assert_no_error (error);
  parsed_idle = composing_ok (idle_xml);
  g_assert_cmpint (parsed_idle->state, ==, CONFAB_COMPOSING_STATE_IDLE);
  g_assert_null (parsed_idle->content_type);

  g_free (c->content_type);
  c->content_type = g_strdup ("a\x01");
  g_assert_null (confab_is_composing_to_xml (c, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
}

static void
test_is_composing_malformed (void)
{
  static const char *const cases[] = {
    "",
    "not xml",
    "<isComposing>",
    "<isComposing/>",
    "<isComposing><state>typing</state></isComposing>",
    "<isComposing><state>active</state><state>idle</state></isComposing>",
    "<isComposing><state>active</state><refresh>0</refresh></isComposing>",
    "<isComposing><state>active</state><refresh>-5</refresh></isComposing>",
    "<isComposing><state>active</state><refresh>soon</refresh></isComposing>",
    "<isComposing><state>active</state><refresh>99999999999</refresh></isComposing>",
    "<isComposing><state>active</state><lastactive>noon</lastactive></isComposing>",
    "<composing><state>active</state></composing>",
    "<isComposing xmlns=\"urn:wrong\"><state>active</state></isComposing>",
    "<x:isComposing xmlns:x=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>active</state>"
    "</isComposing>",
    /* external entity (XXE) */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE isComposing [\n"
    "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
    "<isComposing><state>active</state><contenttype>&xxe;</contenttype></isComposing>",
    /* entity expansion bomb */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
    "<!ENTITY lol \"lol\">\n"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>\n"
    "<isComposing><state>active</state><contenttype>&lol3;</contenttype></isComposing>",
    /* an external DTD */
    "<!DOCTYPE isComposing SYSTEM \"http://example.com/x.dtd\">"
    "<isComposing><state>active</state></isComposing>",
    /* an undefined entity */
    "<isComposing><state>active</state><contenttype>&undefined;</contenttype></isComposing>",
  };
  /* UTF-16 with a DOCTYPE: the NUL bytes give it away */
  static const char utf16[] = "\xff\xfe<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0x\0>\0<\0x\0/\0>\0";
  g_autofree char *large = g_strnfill (CONFAB_IS_COMPOSING_MAX_LENGTH + 1, ' ');

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (ConfabIsComposing) c = confab_is_composing_parse (cases[i], strlen (cases[i]),
                                                                 &error);

    if (c)
      g_test_message ("parsed: %s", cases[i]);
    g_assert_null (c);
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "Invalid is-composing indication: "));
  }
  g_assert_null (confab_is_composing_parse (utf16, sizeof utf16 - 1, NULL));
  g_assert_null (confab_is_composing_parse (large, strlen (large), NULL));
  g_assert_null (confab_is_composing_parse ("<isComposing><state>active</state>\0", 35, NULL));
}

/* is-composing wrapped in CPIM, as chat streams send it. */
static void
test_is_composing_in_cpim (void)
{
  g_autoptr (ConfabIsComposing) c = confab_is_composing_new (CONFAB_COMPOSING_STATE_ACTIVE);
  g_autoptr (ConfabCpimMessage) m = confab_cpim_message_new ();
  g_autoptr (ConfabCpimMessage) parsed = NULL;
  g_autoptr (ConfabIsComposing) inner = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *xml = confab_is_composing_to_xml (c, NULL);

  m->from = confab_cpim_address_new ("alice", "sip:alice@example.com");
  g_ptr_array_add (m->to, confab_cpim_address_new (NULL, "sip:bob@example.com"));
  body = g_bytes_new (xml, strlen (xml));
  confab_cpim_message_set_body (m, CONFAB_IS_COMPOSING_CONTENT_TYPE, body);
  parsed = round_trip (m);
  g_assert_cmpstr (parsed->content_type, ==, CONFAB_IS_COMPOSING_CONTENT_TYPE);
  inner = confab_is_composing_parse (g_bytes_get_data (parsed->body, NULL),
                                     g_bytes_get_size (parsed->body), NULL);
  g_assert_nonnull (inner);
  g_assert_cmpint (inner->state, ==, CONFAB_COMPOSING_STATE_ACTIVE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cpim/wire-samples", test_cpim_wire_samples);
  g_test_add_func ("/cpim/parse", test_cpim_parse);
  g_test_add_func ("/cpim/tolerant", test_cpim_tolerant);
  g_test_add_func ("/cpim/malformed", test_cpim_malformed);
  g_test_add_func ("/cpim/build", test_cpim_build);
  g_test_add_func ("/is-composing/parse", test_is_composing_parse);
  g_test_add_func ("/is-composing/build", test_is_composing_build);
  g_test_add_func ("/is-composing/malformed", test_is_composing_malformed);
  g_test_add_func ("/is-composing/in-cpim", test_is_composing_in_cpim);

  return g_test_run ();
}
