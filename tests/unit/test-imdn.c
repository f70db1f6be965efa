/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "im/confab-cpim.h"
#include "im/confab-imdn.h"

#include <string.h>

/* IMDN (RFC 5438): the RFC's documents and what the SIP SIMPLE SDK writes,
 * build/parse round trips of every kind and status, the
 * Disposition-Notification header, malformed documents and hostile ones
 * (XXE, entity bombs, external DTDs). */

static ConfabImdn *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  ConfabImdn *imdn = confab_imdn_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (imdn);
  return imdn;
}

static void
parse_fails_len (const char *text,
                 gsize       length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabImdn) imdn = confab_imdn_parse (text, length, &error);

  if (imdn)
    g_error ("parsed what should fail: %.*s", (int) MIN (length, 200), text);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
}

static void
parse_fails (const char *text)
{
  parse_fails_len (text, strlen (text));
}

static void
test_imdn_parse_rfc (void)
{
  /* RFC 5438 section 7.2.1.1 */
  g_autoptr (ConfabImdn) imdn = parse_ok (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">\n"
    "  <message-id>34jk324j</message-id>\n"
    "  <datetime>2008-04-04T12:16:49-05:00</datetime>\n"
    "  <recipient-uri>im:bob@example.com</recipient-uri>\n"
    "  <original-recipient-uri>im:bob@example.com</original-recipient-uri>\n"
    "  <delivery-notification>\n"
    "    <status>\n"
    "      <delivered/>\n"
    "    </status>\n"
    "  </delivery-notification>\n"
    "</imdn>\n");

  g_assert_cmpstr (imdn->message_id, ==, "34jk324j");
  g_assert_cmpint (imdn->kind, ==, CONFAB_IMDN_KIND_DELIVERY);
  g_assert_cmpint (imdn->status, ==, CONFAB_IMDN_STATUS_DELIVERED);
  g_assert_cmpstr (imdn->recipient_uri, ==, "im:bob@example.com");
  g_assert_cmpstr (imdn->original_recipient_uri, ==, "im:bob@example.com");
  g_assert_null (imdn->subject);
  g_assert_nonnull (imdn->date_time);
  /* 12:16:49 at -05:00 */
  {
    g_autoptr (GDateTime) utc = g_date_time_to_utc (imdn->date_time);

    g_assert_cmpint (g_date_time_get_hour (utc), ==, 17);
    g_assert_cmpint (g_date_time_get_minute (utc), ==, 16);
  }
}

static void
test_imdn_parse_peers (void)
{
  g_autoptr (ConfabImdn) display = NULL;
  g_autoptr (ConfabImdn) prefixed = NULL;
  g_autoptr (ConfabImdn) processing = NULL;
  g_autoptr (ConfabImdn) extended = NULL;

  /* one line, fractional seconds, as the SIP SIMPLE SDK writes */
  display = parse_ok ("<?xml version='1.0' encoding='UTF-8'?>\n"
                      "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>a1/b+c=</message-id>"
                      "<datetime>2026-11-21T11:57:11.914101+00:00</datetime>"
                      "<recipient-uri>sip:bob@example.com</recipient-uri>"
                      "<original-recipient-uri>sip:bob@example.com</original-recipient-uri>"
                      "<display-notification><status><displayed/></status>"
                      "</display-notification></imdn>");
  g_assert_cmpstr (display->message_id, ==, "a1/b+c=");
  g_assert_cmpint (display->kind, ==, CONFAB_IMDN_KIND_DISPLAY);
  g_assert_cmpint (display->status, ==, CONFAB_IMDN_STATUS_DISPLAYED);
  g_assert_cmpint (g_date_time_get_microsecond (display->date_time), ==, 914101);

  /* a namespace prefix instead of the default namespace */
  prefixed = parse_ok ("<i:imdn xmlns:i=\"urn:ietf:params:xml:ns:imdn\">"
                       "<i:message-id> m7 </i:message-id>"
                       "<i:datetime>2024-01-02T03:04:05Z</i:datetime>"
                       "<i:delivery-notification><i:status><i:failed/></i:status>"
                       "</i:delivery-notification></i:imdn>");
  g_assert_cmpstr (prefixed->message_id, ==, "m7");
  g_assert_cmpint (prefixed->status, ==, CONFAB_IMDN_STATUS_FAILED);

  processing = parse_ok ("<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>p</message-id>"
                         "<processing-notification><status><stored/></status>"
                         "</processing-notification></imdn>");
  g_assert_cmpint (processing->kind, ==, CONFAB_IMDN_KIND_PROCESSING);
  g_assert_cmpint (processing->status, ==, CONFAB_IMDN_STATUS_STORED);
  g_assert_null (processing->date_time);

  /* extension elements and attributes are ignored */
  extended = parse_ok ("<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\" xmlns:x=\"urn:x\">"
                       "<message-id>e</message-id><x:extra a=\"1\">ignored</x:extra>"
                       "<subject>Hi &amp; bye</subject>"
                       "<display-notification><x:more/><status><forbidden/></status>"
                       "</display-notification></imdn>");
  g_assert_cmpstr (extended->subject, ==, "Hi & bye");
  g_assert_cmpint (extended->status, ==, CONFAB_IMDN_STATUS_FORBIDDEN);
}

static void
check_round_trip (const ConfabImdn *imdn)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = confab_imdn_to_xml (imdn, &error);
  g_autoptr (ConfabImdn) back = NULL;
  g_autofree char *again = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (xml);
  g_assert_nonnull (strstr (xml, "urn:ietf:params:xml:ns:imdn"));
  back = confab_imdn_parse (xml, strlen (xml), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->message_id, ==, imdn->message_id);
  g_assert_cmpint (back->kind, ==, imdn->kind);
  g_assert_cmpint (back->status, ==, imdn->status);
  g_assert_cmpstr (back->recipient_uri, ==, imdn->recipient_uri);
  g_assert_cmpstr (back->original_recipient_uri, ==, imdn->original_recipient_uri);
  g_assert_cmpstr (back->subject, ==, imdn->subject);
  g_assert_nonnull (back->date_time);
  if (imdn->date_time)
    g_assert_cmpint (g_date_time_to_unix (back->date_time), ==,
                     g_date_time_to_unix (imdn->date_time));
  again = confab_imdn_to_xml (back, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, xml);
}

static void
test_imdn_round_trip (void)
{
  static const ConfabImdnStatus statuses[] = {
    CONFAB_IMDN_STATUS_DELIVERED, CONFAB_IMDN_STATUS_FAILED, CONFAB_IMDN_STATUS_DISPLAYED,
    CONFAB_IMDN_STATUS_PROCESSED, CONFAB_IMDN_STATUS_STORED, CONFAB_IMDN_STATUS_FORBIDDEN,
    CONFAB_IMDN_STATUS_ERROR,
  };
  guint n_valid = 0;

  for (ConfabImdnKind kind = CONFAB_IMDN_KIND_DELIVERY; kind <= CONFAB_IMDN_KIND_PROCESSING;
       kind++) {
    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++) {
      g_autoptr (ConfabImdn) imdn = NULL;

      if (!confab_imdn_status_is_valid (kind, statuses[i]))
        continue;
      n_valid++;
      imdn = confab_imdn_new ("id-<&>\"'-ü", kind, statuses[i]);
      imdn->date_time = g_date_time_new_utc (2025, 3, 4, 5, 6, 7);
      imdn->recipient_uri = g_strdup ("sip:bob@example.org");
      if (i % 2)
        imdn->original_recipient_uri = g_strdup ("sip:bob+x@example.org;user=phone");
      if (i % 3 == 0)
        imdn->subject = g_strdup ("Grüße & <tags>");
      check_round_trip (imdn);
    }
  }
  /* delivered, failed, forbidden, error / displayed, forbidden, error /
   * processed, stored, forbidden, error */
  g_assert_cmpuint (n_valid, ==, 11);

  /* without a date: written as now */
  {
    g_autoptr (ConfabImdn) imdn = confab_imdn_new ("x", CONFAB_IMDN_KIND_DELIVERY,
                                                   CONFAB_IMDN_STATUS_DELIVERED);

    check_round_trip (imdn);
  }
}

static void
test_imdn_build_invalid (void)
{
  struct
  {
    const char       *id;
    ConfabImdnKind    kind;
    ConfabImdnStatus  status;
    const char       *recipient;
  } cases[] = {
    { NULL, CONFAB_IMDN_KIND_DELIVERY, CONFAB_IMDN_STATUS_DELIVERED, NULL },
    { "", CONFAB_IMDN_KIND_DELIVERY, CONFAB_IMDN_STATUS_DELIVERED, NULL },
    { "a\nb", CONFAB_IMDN_KIND_DELIVERY, CONFAB_IMDN_STATUS_DELIVERED, NULL },
    { "a\001b", CONFAB_IMDN_KIND_DELIVERY, CONFAB_IMDN_STATUS_DELIVERED, NULL },
    { "\xff\xfe", CONFAB_IMDN_KIND_DELIVERY, CONFAB_IMDN_STATUS_DELIVERED, NULL },
    { "a", CONFAB_IMDN_KIND_DISPLAY, CONFAB_IMDN_STATUS_DELIVERED, NULL },
    { "a", CONFAB_IMDN_KIND_DELIVERY, CONFAB_IMDN_STATUS_DISPLAYED, NULL },
    { "a", CONFAB_IMDN_KIND_PROCESSING, CONFAB_IMDN_STATUS_FAILED, NULL },
    { "a", CONFAB_IMDN_KIND_DELIVERY, CONFAB_IMDN_STATUS_DELIVERED, "sip:a@b\r\nX: y" },
  };
  g_autofree char *long_id = g_strnfill (CONFAB_IMDN_MAX_ID_LENGTH + 1, 'x');

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (ConfabImdn) imdn = confab_imdn_new (cases[i].id, cases[i].kind, cases[i].status);
    g_autoptr (GError) error = NULL;
    g_autofree char *xml = NULL;

    imdn->recipient_uri = g_strdup (cases[i].recipient);
    xml = confab_imdn_to_xml (imdn, &error);
    g_assert_null (xml);
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  }
  {
    g_autoptr (ConfabImdn) imdn = confab_imdn_new (long_id, CONFAB_IMDN_KIND_DELIVERY,
                                                   CONFAB_IMDN_STATUS_DELIVERED);
    g_autoptr (GError) error = NULL;
    g_autofree char *xml = confab_imdn_to_xml (imdn, &error);

    g_assert_null (xml);
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  }
}

#define DOC(body) "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\">" body "</imdn>"
#define DELIVERED "<delivery-notification><status><delivered/></status></delivery-notification>"

static void
test_imdn_malformed (void)
{
  static const char *const documents[] = {
    "",
    "not xml at all",
    "<imdn xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>x</message-id>",   /* truncated */
    "<other xmlns=\"urn:ietf:params:xml:ns:imdn\"><message-id>x</message-id>" DELIVERED "</other>",
    "<imdn xmlns=\"urn:example\"><message-id>x</message-id>" DELIVERED "</imdn>",
    DOC (DELIVERED),                                                  /* no message-id */
    DOC ("<message-id>  </message-id>" DELIVERED),                   /* empty message-id */
    DOC ("<message-id>x</message-id>"),                              /* no notification */
    DOC ("<message-id>x</message-id><message-id>y</message-id>" DELIVERED),
    DOC ("<message-id>x</message-id>" DELIVERED DELIVERED),
    DOC ("<message-id>x</message-id>" DELIVERED
         "<display-notification><status><displayed/></status></display-notification>"),
    DOC ("<message-id>x</message-id><delivery-notification></delivery-notification>"),
    DOC ("<message-id>x</message-id><delivery-notification><status/></delivery-notification>"),
    DOC ("<message-id>x</message-id><delivery-notification><status><delivered/><failed/>"
         "</status></delivery-notification>"),
    DOC ("<message-id>x</message-id><delivery-notification><status><delivered/></status>"
         "<status><delivered/></status></delivery-notification>"),
    DOC ("<message-id>x</message-id><delivery-notification><status><displayed/></status>"
         "</delivery-notification>"),
    DOC ("<message-id>x</message-id><display-notification><status><delivered/></status>"
         "</display-notification>"),
    DOC ("<message-id>x</message-id><processing-notification><status><failed/></status>"
         "</processing-notification>"),
    DOC ("<message-id>x</message-id><delivery-notification><status><gone/></status>"
         "</delivery-notification>"),
    DOC ("<message-id>x</message-id><datetime>yesterday</datetime>" DELIVERED),
    DOC ("<message-id>x</message-id><datetime>2024-13-45T99:00:00Z</datetime>" DELIVERED),
    /* UTC would be in year 0 */
    DOC ("<message-id>x</message-id><datetime>0001-01-01T00:00:00+05:00</datetime>" DELIVERED),
    DOC ("<message-id>a&#10;b</message-id>" DELIVERED),              /* line break in the id */
    DOC ("<message-id>x</message-id><recipient-uri>a&#x9;b</recipient-uri>" DELIVERED),
    DOC ("<message-id>x</message-id>" DELIVERED "<unclosed>"),
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
    DOC ("<message-id>\xe9</message-id>" DELIVERED),
  };
  g_autofree char *long_id = g_strnfill (CONFAB_IMDN_MAX_ID_LENGTH + 1, 'x');
  g_autofree char *long_id_doc = g_strdup_printf (DOC ("<message-id>%s</message-id>" DELIVERED),
                                                  long_id);
  g_autoptr (GString) huge = g_string_new (DOC ("<message-id>x</message-id>" DELIVERED));
  const char with_nul[] = DOC ("<message-id>x\0y</message-id>" DELIVERED);

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    parse_fails (documents[i]);
  parse_fails (long_id_doc);
  parse_fails_len (with_nul, sizeof with_nul - 1);

  /* over the size bound, even when well-formed (padding in a comment) */
  g_string_insert (huge, 0, "<!--");
  g_string_insert (huge, 4, "-->");
  while (huge->len <= CONFAB_IMDN_MAX_LENGTH)
    g_string_insert (huge, 4, "padding padding ");
  parse_fails (huge->str);
}

static void
test_imdn_hostile (void)
{
  static const char *const documents[] = {
    /* external entity (XXE) */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE imdn [\n"
    "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
    DOC ("<message-id>&xxe;</message-id>" DELIVERED),
    /* entity expansion bomb (billion laughs) */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
    "<!ENTITY lol \"lol\">\n"
    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>\n"
    DOC ("<message-id>&lol9;</message-id>" DELIVERED),
    /* an external DTD */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE imdn SYSTEM \"http://127.0.0.1:9/imdn.dtd\">"
    DOC ("<message-id>x</message-id>" DELIVERED),
    /* a parameter entity fetching from the network */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE imdn [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/p\"> %p;]>"
    DOC ("<message-id>x</message-id>" DELIVERED),
    /* an undeclared entity */
    DOC ("<message-id>&undeclared;</message-id>" DELIVERED),
  };
  /* the same bomb in UTF-16: the DOCTYPE check must not be fooled */
  static const char utf16[] = "\xff\xfe<\0!\0D\0O\0C\0T\0Y\0P\0E\0 \0i\0>\0";

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    parse_fails (documents[i]);
  parse_fails_len (utf16, sizeof utf16 - 1);
}

static void
test_imdn_request (void)
{
  g_autofree char *both = NULL;
  g_autofree char *all = NULL;

  g_assert_cmpint (confab_imdn_request_parse (NULL), ==, CONFAB_IMDN_REQUEST_NONE);
  g_assert_cmpint (confab_imdn_request_parse (""), ==, CONFAB_IMDN_REQUEST_NONE);
  g_assert_cmpint (confab_imdn_request_parse ("positive-delivery, display"), ==,
                   CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY | CONFAB_IMDN_REQUEST_DISPLAY);
  g_assert_cmpint (confab_imdn_request_parse (" Negative-Delivery ,PROCESSING,unknown,,"), ==,
                   CONFAB_IMDN_REQUEST_NEGATIVE_DELIVERY | CONFAB_IMDN_REQUEST_PROCESSING);
  g_assert_cmpint (confab_imdn_request_parse ("positive-deliveryx"), ==,
                   CONFAB_IMDN_REQUEST_NONE);

  g_assert_null (confab_imdn_request_to_string (CONFAB_IMDN_REQUEST_NONE));
  both = confab_imdn_request_to_string (CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY |
                                        CONFAB_IMDN_REQUEST_DISPLAY);
  g_assert_cmpstr (both, ==, "positive-delivery, display");
  all = confab_imdn_request_to_string (CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY |
                                       CONFAB_IMDN_REQUEST_NEGATIVE_DELIVERY |
                                       CONFAB_IMDN_REQUEST_DISPLAY |
                                       CONFAB_IMDN_REQUEST_PROCESSING);
  g_assert_cmpint (confab_imdn_request_parse (all), ==,
                   CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY | CONFAB_IMDN_REQUEST_NEGATIVE_DELIVERY |
                   CONFAB_IMDN_REQUEST_DISPLAY | CONFAB_IMDN_REQUEST_PROCESSING);

  g_assert_cmpstr (confab_imdn_status_to_string (CONFAB_IMDN_STATUS_DISPLAYED), ==, "displayed");
  g_assert_cmpstr (confab_imdn_kind_to_string (CONFAB_IMDN_KIND_PROCESSING), ==,
                   "processing-notification");
}

/* A notification as the pager sends it: CPIM around the document
 * (RFC 5438 section 7.2.1.1), read back as the receiver does. */
static void
test_imdn_in_cpim (void)
{
  g_autoptr (ConfabImdn) imdn = confab_imdn_new ("d834jied93rf", CONFAB_IMDN_KIND_DELIVERY,
                                                 CONFAB_IMDN_STATUS_DELIVERED);
  g_autoptr (ConfabCpimMessage) cpim = confab_cpim_message_new ();
  g_autoptr (ConfabCpimMessage) back = NULL;
  g_autoptr (ConfabImdn) inner = NULL;
  g_autoptr (GBytes) document = NULL;
  g_autoptr (GBytes) wire = NULL;
  g_autoptr (GError) error = NULL;
  char *xml;
  gsize length = 0;
  const char *data;

  xml = confab_imdn_to_xml (imdn, &error);
  g_assert_no_error (error);
  document = g_bytes_new_take (xml, strlen (xml));
  cpim->from = confab_cpim_address_new ("Bob", "sip:bob@example.com");
  g_ptr_array_add (cpim->to, confab_cpim_address_new (NULL, "sip:alice@example.com"));
  confab_cpim_message_add_namespace (cpim, "imdn", CONFAB_CPIM_NS_IMDN);
  confab_cpim_message_add_header (cpim, "imdn", "Message-ID", "n1");
  confab_cpim_message_set_body (cpim, CONFAB_IMDN_CONTENT_TYPE, document);
  cpim->content_disposition = g_strdup ("notification");
  wire = confab_cpim_message_to_bytes (cpim, &error);
  g_assert_no_error (error);

  back = confab_cpim_message_parse (wire, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->content_type, ==, CONFAB_IMDN_CONTENT_TYPE);
  g_assert_cmpstr (back->content_disposition, ==, "notification");
  g_assert_cmpstr (confab_cpim_message_get_header (back, CONFAB_CPIM_NS_IMDN, "Message-ID"), ==,
                   "n1");
  data = g_bytes_get_data (back->body, &length);
  inner = confab_imdn_parse (data, length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (inner->message_id, ==, "d834jied93rf");
  g_assert_cmpint (inner->status, ==, CONFAB_IMDN_STATUS_DELIVERED);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/imdn/parse-rfc", test_imdn_parse_rfc);
  g_test_add_func ("/imdn/parse-peers", test_imdn_parse_peers);
  g_test_add_func ("/imdn/round-trip", test_imdn_round_trip);
  g_test_add_func ("/imdn/build-invalid", test_imdn_build_invalid);
  g_test_add_func ("/imdn/malformed", test_imdn_malformed);
  g_test_add_func ("/imdn/hostile", test_imdn_hostile);
  g_test_add_func ("/imdn/request", test_imdn_request);
  g_test_add_func ("/imdn/in-cpim", test_imdn_in_cpim);

  return g_test_run ();
}
