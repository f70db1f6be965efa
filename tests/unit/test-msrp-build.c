/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "msrp/confab-msrp.h"
#include "test-msrp-wire.h"

#include <string.h>

/* Building and printing MSRP messages, responses and REPORTs by RFC 4975's
 * rules, identifiers, chunking and reassembly (in order, out of order,
 * duplicated, aborted, too large). */

static GPtrArray *
path (const char *text)
{
  GPtrArray *p = confab_msrp_path_parse (text, strlen (text), NULL);

  g_assert_nonnull (p);
  return p;
}

static ConfabMsrpMessage *
reparse (const ConfabMsrpMessage *m)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = confab_msrp_message_to_bytes (m, &error);
  g_autoptr (ConfabMsrpParser) parser = confab_msrp_parser_new (NULL);
  g_autoptr (GBytes) again = NULL;
  ConfabMsrpMessage *parsed;

  g_assert_no_error (error);
  g_assert_true (confab_msrp_parser_feed (parser, g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), &error));
  g_assert_no_error (error);
  parsed = confab_msrp_parser_pop (parser);
  g_assert_nonnull (parsed);
  g_assert_null (confab_msrp_parser_pop (parser));
  g_assert_true (confab_msrp_parser_is_idle (parser));
  again = confab_msrp_message_to_bytes (parsed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (bytes, again));
  return parsed;
}

static char *
to_text (const ConfabMsrpMessage *m)
{
  g_autoptr (GBytes) bytes = confab_msrp_message_to_bytes (m, NULL);

  g_assert_nonnull (bytes);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
test_serialize_send (void)
{
  g_autoptr (GPtrArray) to = path ("msrp://bob.example.com:8888/9di4eae923wzd;tcp");
  g_autoptr (GPtrArray) from = path ("msrp://alice.example.com:7777/iau39soe2843z;tcp");
  g_autoptr (GBytes) body = g_bytes_new_static ("Hi, I'm Alice!", 14);
  g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (to, from, "text/plain", body);
  g_autoptr (ConfabMsrpMessage) parsed = NULL;
  g_autoptr (GBytes) head = NULL;
  g_autoptr (GBytes) tail = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;

  send->success_report = CONFAB_MSRP_REPORT_YES;
  send->failure_report = CONFAB_MSRP_REPORT_YES;
  g_free (send->transaction_id);
  send->transaction_id = g_strdup ("d93kswow");
  g_free (send->message_id);
  send->message_id = g_strdup ("12339sdqwer");
  text = to_text (send);
  g_assert_cmpstr (text, ==,
                   "MSRP d93kswow SEND\r\n"
                   "To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp\r\n"
                   "From-Path: msrp://alice.example.com:7777/iau39soe2843z;tcp\r\n"
                   "Message-ID: 12339sdqwer\r\n"
                   "Byte-Range: 1-14/14\r\n"
                   "Success-Report: yes\r\n"
                   "Failure-Report: yes\r\n"
                   "Content-Type: text/plain\r\n"
                   "\r\n"
                   "Hi, I'm Alice!\r\n"
                   "-------d93kswow$\r\n");

  /* head + body + tail for writev, the body not copied */
  g_assert_true (confab_msrp_message_serialize (send, &head, &tail, NULL));
  expected = g_strndup (g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));
  g_assert_cmpstr (expected, ==, "\r\n-------d93kswow$\r\n");
  g_assert_cmpmem ((const char *) g_bytes_get_data (head, NULL) + g_bytes_get_size (head) - 4, 4,
                   "\r\n\r\n", 4);
  g_assert_cmpuint (g_bytes_get_size (head) + 14 + g_bytes_get_size (tail), ==, strlen (text));

  parsed = reparse (send);
  g_assert_cmpstr (parsed->message_id, ==, "12339sdqwer");
  g_assert_true (g_bytes_equal (parsed->body, body));
}

static void
test_serialize_kinds (void)
{
  g_autoptr (GPtrArray) to = path ("msrps://relay.example.com:2855;tcp");
  g_autoptr (GPtrArray) from = path ("msrps://[2001:db8::7]:7777/iau39soe2843z;tcp");
  g_autoptr (ConfabMsrpMessage) auth = confab_msrp_message_new_request ("AUTH", to, from);
  g_autoptr (ConfabMsrpMessage) challenge = NULL;
  g_autoptr (ConfabMsrpMessage) nick = confab_msrp_message_new_request ("NICKNAME", to, from);
  g_autoptr (ConfabMsrpMessage) bind = confab_msrp_message_new_send (to, from, NULL, NULL);
  g_autoptr (ConfabMsrpMessage) offset = confab_msrp_message_new_request ("FILE_OFFSET", to, from);
  g_autoptr (ConfabMsrpMessage) offset_ok = NULL;
  g_autoptr (ConfabMsrpMessage) unknown = confab_msrp_message_new_request ("X-FROB", to, from);
  g_autoptr (ConfabMsrpMessage) full = confab_msrp_message_new_send (to, from, "text/html", NULL);
  g_autoptr (GBytes) html = g_bytes_new_static ("<b>hi</b>\r\n", 11);
  ConfabMsrpMessage *all[7];

  auth->authorization = g_strdup ("Digest username=\"alice\", nonce=\"x\"");
  auth->expires = 600;
  challenge = confab_msrp_message_new_response (auth, 401, NULL);
  challenge->www_authenticate = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (challenge->www_authenticate, g_strdup ("Digest realm=\"a\", nonce=\"1\""));
  g_ptr_array_add (challenge->www_authenticate, g_strdup ("Digest realm=\"a\", nonce=\"2\""));
  challenge->min_expires = 60;
  challenge->max_expires = 3600;
  challenge->use_path = path ("msrps://relay.example.com:2855/jui787s2f;tcp");
  challenge->authentication_info = g_strdup ("rspauth=\"y\"");
  confab_msrp_message_add_header (nick, "Use-Nickname", "\"Alice\"");
  confab_msrp_message_add_header (bind, "Keep-Alive", "yes");
  offset_ok = confab_msrp_message_new_response (offset, 200, NULL);
  confab_msrp_message_add_header (offset_ok, "Offset", "65536");
  confab_msrp_message_set_body (full, "text/html", html);
  full->has_byte_range = TRUE;
  full->byte_range.end = 11;
  full->byte_range.total = 11;
  full->content_id = g_strdup ("<x@y>");
  full->content_description = g_strdup ("a greeting");
  full->content_disposition = g_strdup ("inline");
  full->failure_report = CONFAB_MSRP_REPORT_PARTIAL;
  full->success_report = CONFAB_MSRP_REPORT_NO;
  confab_msrp_message_new_transaction_id (full);

  all[0] = auth;
  all[1] = challenge;
  all[2] = nick;
  all[3] = bind;
  all[4] = offset_ok;
  all[5] = unknown;
  all[6] = full;
  for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
    g_autoptr (ConfabMsrpMessage) parsed = reparse (all[i]);

    g_assert_cmpint (parsed->is_response, ==, all[i]->is_response);
    g_assert_cmpstr (parsed->transaction_id, ==, all[i]->transaction_id);
    g_assert_cmpstr (parsed->method_name, ==, all[i]->method_name);
    g_assert_cmpint (parsed->method, ==, all[i]->method);
    g_assert_true (confab_msrp_path_equal (parsed->to_path, all[i]->to_path));
    g_assert_true (confab_msrp_path_equal (parsed->from_path, all[i]->from_path));
    g_assert_cmpint (parsed->expires, ==, all[i]->expires);
  }
  {
    g_autoptr (ConfabMsrpMessage) parsed = reparse (challenge);

    g_assert_cmpuint (parsed->www_authenticate->len, ==, 2);
    g_assert_cmpstr (parsed->comment, ==, "Unauthorized");
    g_assert_cmpint (parsed->min_expires, ==, 60);
    g_assert_true (confab_msrp_path_equal (parsed->use_path, challenge->use_path));
  }
  {
    g_autoptr (ConfabMsrpMessage) parsed = reparse (full);

    g_assert_cmpstr (parsed->content_disposition, ==, "inline");
    g_assert_cmpint (parsed->failure_report, ==, CONFAB_MSRP_REPORT_PARTIAL);
    g_assert_cmpint (parsed->success_report, ==, CONFAB_MSRP_REPORT_NO);
    g_assert_true (g_bytes_equal (parsed->body, html));
  }
  g_assert_cmpstr (confab_msrp_message_get_header (bind, "keep-alive"), ==, "yes");
  g_assert_null (bind->body);
  g_assert_cmpuint (bind->byte_range.end, ==, 0);
  g_assert_cmpuint (bind->byte_range.total, ==, 0);
}

/* What the parser would refuse, the printer refuses. */
static void
test_serialize_invalid (void)
{
  g_autoptr (GPtrArray) to = path ("msrp://h:1/s;tcp");
  g_autoptr (GPtrArray) from = path ("msrp://g:2/t;tcp");
  g_autoptr (GBytes) body = g_bytes_new_static ("x", 1);

  for (guint i = 0; i < 12; i++) {
    g_autoptr (ConfabMsrpMessage) m = confab_msrp_message_new_send (to, from, "text/plain", body);
    g_autoptr (GError) error = NULL;
    g_autoptr (GBytes) bytes = NULL;
    g_autoptr (GBytes) end_line_body = NULL;

    switch (i) {
    case 0:
      g_free (m->transaction_id);
      m->transaction_id = g_strdup ("abc");
      break;
    case 1:
      confab_msrp_message_add_header (m, "X-Evil", "a\r\nTo-Path: msrp://x/y;tcp");
      break;
    case 2:
      confab_msrp_message_add_header (m, "To-Path", "msrp://x/y;tcp");
      break;
    case 3:
      g_ptr_array_set_size (m->to_path, 0);
      break;
    case 4:
      g_clear_pointer (&m->message_id, g_free);
      break;
    case 5: {
      g_autofree char *text = g_strdup_printf ("a\r\n-------%s$\r\n", m->transaction_id);

      end_line_body = g_bytes_new (text, strlen (text));
      confab_msrp_message_set_body (m, "text/plain", end_line_body);
      break;
    }
    case 6:
      m->byte_range.start = 0;
      break;
    case 7:
      m->byte_range.end = 5;
      break;
    case 8:
      g_clear_pointer (&m->content_type, g_free);
      break;
    case 9:
      g_free (((ConfabMsrpUri *) g_ptr_array_index (m->to_path, 0))->host);
      ((ConfabMsrpUri *) g_ptr_array_index (m->to_path, 0))->host = g_strdup ("a b");
      break;
    case 10:
      confab_msrp_message_set_method (m, "send");
      break;
    case 11:
      m->continuation = 'x';
      break;
    default:
      g_assert_not_reached ();
    }
    bytes = confab_msrp_message_to_bytes (m, &error);
    g_assert_null (bytes);
    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
    if (i == 5) {
      /* a fresh transaction id fixes it */
      g_clear_error (&error);
      confab_msrp_message_new_transaction_id (m);
      g_assert_false (confab_msrp_body_contains_end_line (m->body, m->transaction_id));
      bytes = confab_msrp_message_to_bytes (m, &error);
      g_assert_no_error (error);
    }
  }
}

static void
test_ids (void)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GBytes) body = g_bytes_new_static ("xx-------abcd$yy", 16);

  for (guint i = 0; i < 1000; i++) {
    char *tid = confab_msrp_generate_transaction_id ();
    char *mid = confab_msrp_generate_message_id ();
    char *sid = confab_msrp_generate_session_id ();

    g_assert_cmpuint (strlen (tid), ==, 16);
    g_assert_cmpuint (strlen (mid), ==, 20);
    g_assert_cmpuint (strlen (sid), ==, 20);
    for (const char *c = tid; *c; c++)
      g_assert_true (g_ascii_isalnum (*c));
    g_assert_true (g_hash_table_add (seen, tid));
    g_assert_true (g_hash_table_add (seen, mid));
    g_assert_true (g_hash_table_add (seen, sid));
  }
  g_assert_true (confab_msrp_body_contains_end_line (body, "abcd"));
  g_assert_true (confab_msrp_body_contains_end_line (body, "abc"));
  g_assert_false (confab_msrp_body_contains_end_line (body, "abcde"));
  g_assert_false (confab_msrp_body_contains_end_line (NULL, "abcd"));
}

/* RFC 4975 §7.2 */
static void
test_responses (void)
{
  g_autoptr (GPtrArray) to = path ("msrp://bob.example.com:8888/9di4eae923wzd;tcp");
  g_autoptr (GPtrArray) from = path ("msrp://relay.example.com:2855/jui787s2f;tcp "
                                     "msrp://alice.example.com:7777/iau39soe2843z;tcp");
  g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (to, from, NULL, NULL);
  g_autoptr (ConfabMsrpMessage) report = confab_msrp_message_new_report (send, 200, NULL, NULL);
  g_autoptr (ConfabMsrpMessage) nick = confab_msrp_message_new_request ("NICKNAME", to, from);
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (ConfabMsrpMessage) busy = NULL;
  g_autofree char *response_to = NULL;
  g_autofree char *response_from = NULL;

  send->failure_report = CONFAB_MSRP_REPORT_UNSET;
  g_assert_true (confab_msrp_message_needs_response (send, 200));
  g_assert_true (confab_msrp_message_needs_response (send, 415));
  send->failure_report = CONFAB_MSRP_REPORT_YES;
  g_assert_true (confab_msrp_message_needs_response (send, 200));
  g_assert_true (confab_msrp_message_needs_response (send, 481));
  send->failure_report = CONFAB_MSRP_REPORT_PARTIAL;
  g_assert_false (confab_msrp_message_needs_response (send, 200));
  g_assert_true (confab_msrp_message_needs_response (send, 413));
  send->failure_report = CONFAB_MSRP_REPORT_NO;
  g_assert_false (confab_msrp_message_needs_response (send, 200));
  g_assert_false (confab_msrp_message_needs_response (send, 400));
  g_assert_false (confab_msrp_message_needs_response (report, 200));
  g_assert_false (confab_msrp_message_needs_response (report, 400));
  g_assert_true (confab_msrp_message_needs_response (nick, 200));
  g_assert_true (confab_msrp_message_needs_response (nick, 425));

  /* one hop back: To-Path the previous hop, From-Path us */
  response = confab_msrp_message_new_response (send, 200, NULL);
  g_assert_true (response->is_response);
  g_assert_cmpstr (response->transaction_id, ==, send->transaction_id);
  g_assert_cmpstr (response->comment, ==, "OK");
  response_to = confab_msrp_path_to_string (response->to_path);
  response_from = confab_msrp_path_to_string (response->from_path);
  g_assert_cmpstr (response_to, ==, "msrp://relay.example.com:2855/jui787s2f;tcp");
  g_assert_cmpstr (response_from, ==, "msrp://bob.example.com:8888/9di4eae923wzd;tcp");
  g_assert_null (response->message_id);
  g_assert_false (response->has_byte_range);
  g_clear_pointer (&response, confab_msrp_message_unref);
  response = reparse (send);
  g_clear_pointer (&response, confab_msrp_message_unref);

  busy = confab_msrp_message_new_response (nick, 425, "Nickname in use");
  g_assert_cmpstr (busy->comment, ==, "Nickname in use");
  response = reparse (busy);
  g_assert_cmpuint (response->status, ==, 425);
  g_assert_cmpstr (confab_msrp_status_to_string (481), ==, "Session Does Not Exist");
  g_assert_null (confab_msrp_status_to_string (299));
}

/* RFC 4975 §7.2, RFC 4976: through relays a SEND's response goes one hop
 * back; other methods are answered end to end, so that each relay can
 * route the response on. */
static void
test_response_paths (void)
{
  g_autoptr (GPtrArray) to = path ("msrp://bob.example.com:8888/9di4eae923wzd;tcp");
  g_autoptr (GPtrArray) from = path ("msrp://relay1.example.com:2855/r1;tcp "
                                     "msrp://relay2.example.org:2855/r2;tcp "
                                     "msrp://alice.example.com:7777/iau39soe2843z;tcp");
  g_autoptr (GPtrArray) direct = path ("msrp://alice.example.com:7777/iau39soe2843z;tcp");
  const char *const methods[] = { "FILE_OFFSET", "NICKNAME", "FROBNICATE" };
  const char *whole = "msrp://relay1.example.com:2855/r1;tcp "
                      "msrp://relay2.example.org:2855/r2;tcp "
                      "msrp://alice.example.com:7777/iau39soe2843z;tcp";

  /* a SEND: the previous hop only */
  {
    g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (to, from, NULL, NULL);
    g_autoptr (ConfabMsrpMessage) response = confab_msrp_message_new_response (send, 200, NULL);
    g_autoptr (ConfabMsrpMessage) parsed = reparse (response);
    g_autofree char *response_to = confab_msrp_path_to_string (response->to_path);
    g_autofree char *response_from = confab_msrp_path_to_string (response->from_path);

    g_assert_cmpuint (response->to_path->len, ==, 1);
    g_assert_cmpstr (response_to, ==, "msrp://relay1.example.com:2855/r1;tcp");
    g_assert_cmpstr (response_from, ==, "msrp://bob.example.com:8888/9di4eae923wzd;tcp");
    g_assert_true (confab_msrp_path_equal (parsed->to_path, response->to_path));
  }

  /* other methods: the whole From-Path, on the wire too */
  for (guint i = 0; i < G_N_ELEMENTS (methods); i++) {
    g_autoptr (ConfabMsrpMessage) request = confab_msrp_message_new_request (methods[i], to, from);
    g_autoptr (ConfabMsrpMessage) response = confab_msrp_message_new_response (request, 200, NULL);
    g_autoptr (ConfabMsrpMessage) parsed = reparse (response);
    g_autofree char *response_to = confab_msrp_path_to_string (response->to_path);
    g_autofree char *response_from = confab_msrp_path_to_string (response->from_path);
    g_autofree char *parsed_to = confab_msrp_path_to_string (parsed->to_path);

    g_assert_cmpstr (response_to, ==, whole);
    g_assert_cmpstr (response_from, ==, "msrp://bob.example.com:8888/9di4eae923wzd;tcp");
    g_assert_cmpstr (parsed_to, ==, whole);
    g_assert_cmpstr (response->transaction_id, ==, request->transaction_id);
  }

  /* direct: the one URI either way */
  {
    g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (to, direct, NULL, NULL);
    g_autoptr (ConfabMsrpMessage) offset = confab_msrp_message_new_request ("FILE_OFFSET", to,
                                                                            direct);
    g_autoptr (ConfabMsrpMessage) send_ok = confab_msrp_message_new_response (send, 200, NULL);
    g_autoptr (ConfabMsrpMessage) offset_ok = confab_msrp_message_new_response (offset, 200, NULL);

    g_assert_true (confab_msrp_path_equal (send_ok->to_path, direct));
    g_assert_true (confab_msrp_path_equal (offset_ok->to_path, direct));
  }
}

/* RFC 4975 §7.1.2 */
static void
test_reports (void)
{
  g_autoptr (GPtrArray) to = path ("msrp://bob.example.com:8888/9di4eae923wzd;tcp");
  g_autoptr (GPtrArray) from = path ("msrp://relay.example.com:2855/jui787s2f;tcp "
                                     "msrp://alice.example.com:7777/iau39soe2843z;tcp");
  g_autoptr (GBytes) body = g_bytes_new_static ("hello", 5);
  g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (to, from, "text/plain", body);
  g_autoptr (ConfabMsrpMessage) report = NULL;
  g_autoptr (ConfabMsrpMessage) failure = NULL;
  g_autoptr (ConfabMsrpMessage) parsed = NULL;
  g_autoptr (ConfabMsrpMessage) chunk = NULL;
  g_autoptr (ConfabMsrpMessage) chunk_report = NULL;
  g_autofree char *report_to = NULL;
  g_autofree char *report_from = NULL;
  g_autofree char *report_text = NULL;
  ConfabMsrpByteRange range = { 1, 3, 5 };

  g_assert_false (confab_msrp_message_needs_report (send, 200)); /* no Success-Report */
  g_assert_true (confab_msrp_message_needs_report (send, 413));  /* Failure-Report absent */
  send->success_report = CONFAB_MSRP_REPORT_YES;
  send->failure_report = CONFAB_MSRP_REPORT_NO;
  g_assert_true (confab_msrp_message_needs_report (send, 200));
  g_assert_false (confab_msrp_message_needs_report (send, 413));
  send->failure_report = CONFAB_MSRP_REPORT_PARTIAL;
  g_assert_true (confab_msrp_message_needs_report (send, 408));

  /* end to end: To-Path the whole From-Path, From-Path us */
  report = confab_msrp_message_new_report (send, 200, NULL, NULL);
  g_assert_cmpint (report->method, ==, CONFAB_MSRP_METHOD_REPORT);
  g_assert_cmpstr (report->transaction_id, !=, send->transaction_id);
  report_to = confab_msrp_path_to_string (report->to_path);
  report_from = confab_msrp_path_to_string (report->from_path);
  g_assert_cmpstr (report_to, ==,
                   "msrp://relay.example.com:2855/jui787s2f;tcp "
                   "msrp://alice.example.com:7777/iau39soe2843z;tcp");
  g_assert_cmpstr (report_from, ==, "msrp://bob.example.com:8888/9di4eae923wzd;tcp");
  g_assert_cmpstr (report->message_id, ==, send->message_id);
  g_assert_cmpuint (report->report_status, ==, 200);
  g_assert_cmpstr (report->report_comment, ==, "OK");
  g_assert_cmpuint (report->byte_range.start, ==, 1);
  g_assert_cmpuint (report->byte_range.end, ==, 5);
  g_assert_cmpuint (report->byte_range.total, ==, 5);
  g_assert_cmpint (report->success_report, ==, CONFAB_MSRP_REPORT_UNSET);
  g_assert_false (confab_msrp_message_needs_response (report, 200));
  parsed = reparse (report);
  report_text = to_text (report);
  g_assert_nonnull (strstr (report_text, "\r\nStatus: 000 200 OK\r\n"));

  failure = confab_msrp_message_new_report (send, 413, NULL, &range);
  g_assert_cmpuint (failure->byte_range.end, ==, 3);
  g_assert_cmpstr (failure->report_comment, ==, "Message Too Large");
  g_clear_pointer (&parsed, confab_msrp_message_unref);
  parsed = reparse (failure);
  g_assert_cmpuint (parsed->report_status, ==, 413);

  /* a chunk with a '*' end, and a body longer than its range says, are
   * reported as received: what the SIP SIMPLE SDK does (1-233/230) */
  chunk = confab_msrp_message_new_chunk (send, body, 65537, 200000, '+');
  chunk->byte_range.end = CONFAB_MSRP_UNKNOWN;
  chunk_report = confab_msrp_message_new_report (chunk, 200, NULL, NULL);
  g_assert_cmpuint (chunk_report->byte_range.start, ==, 65537);
  g_assert_cmpuint (chunk_report->byte_range.end, ==, 65541);
  g_assert_cmpuint (chunk_report->byte_range.total, ==, 200000);
  g_clear_pointer (&chunk_report, confab_msrp_message_unref);
  chunk->byte_range = (ConfabMsrpByteRange){ 1, 3, 3 };
  chunk_report = confab_msrp_message_new_report (chunk, 200, NULL, NULL);
  g_assert_cmpuint (chunk_report->byte_range.end, ==, 5);
  g_assert_cmpuint (chunk_report->byte_range.total, ==, 3);
  g_clear_pointer (&parsed, confab_msrp_message_unref);
  parsed = reparse (chunk_report);
  g_assert_cmpuint (parsed->byte_range.end, ==, 5);
}

static GBytes *
pattern_bytes (gsize length)
{
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) ((i * 7 + i / 251) & 0xff);
  return g_bytes_new_take (data, length);
}

static GPtrArray *
chunk_all (ConfabMsrpMessage *send,
           gsize              chunk_size)
{
  g_autoptr (ConfabMsrpChunker) chunker = confab_msrp_chunker_new (send, chunk_size);
  GPtrArray *chunks = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  ConfabMsrpMessage *chunk;

  while ((chunk = confab_msrp_chunker_next (chunker)))
    g_ptr_array_add (chunks, chunk);
  g_assert_true (confab_msrp_chunker_is_done (chunker));
  g_assert_null (confab_msrp_chunker_abort (chunker));
  return chunks;
}

static void
test_chunking (void)
{
  g_autoptr (GPtrArray) to = path ("msrp://h:1/s;tcp");
  g_autoptr (GPtrArray) from = path ("msrp://g:2/t;tcp");
  g_autoptr (GBytes) body = pattern_bytes (1000000);
  g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (to, from, "image/png", body);
  g_autoptr (ConfabMsrpMessage) empty = confab_msrp_message_new_send (to, from, NULL, NULL);
  g_autoptr (GPtrArray) chunks = NULL;
  g_autoptr (GPtrArray) empty_chunks = NULL;
  g_autoptr (GHashTable) tids = g_hash_table_new (g_str_hash, g_str_equal);
  guint64 offset = 0;

  send->success_report = CONFAB_MSRP_REPORT_YES;
  chunks = chunk_all (send, 65536);
  g_assert_cmpuint (chunks->len, ==, 16);
  for (guint i = 0; i < chunks->len; i++) {
    ConfabMsrpMessage *chunk = g_ptr_array_index (chunks, i);
    gsize length = confab_msrp_message_get_body_length (chunk);
    g_autoptr (ConfabMsrpMessage) parsed = reparse (chunk);

    g_assert_cmpuint (length, ==, i < 15 ? 65536 : 1000000 - 15 * 65536);
    g_assert_cmpuint (chunk->byte_range.start, ==, offset + 1);
    g_assert_cmpuint (chunk->byte_range.end, ==, offset + length);
    g_assert_cmpuint (chunk->byte_range.total, ==, 1000000);
    g_assert_cmpint (chunk->continuation, ==, i < 15 ? '+' : '$');
    g_assert_cmpstr (chunk->message_id, ==, send->message_id);
    g_assert_cmpstr (chunk->content_type, ==, "image/png");
    g_assert_cmpint (chunk->success_report, ==, CONFAB_MSRP_REPORT_YES);
    /* slices of the body, not copies */
    g_assert_true ((const guint8 *) g_bytes_get_data (chunk->body, NULL) ==
                   (const guint8 *) g_bytes_get_data (body, NULL) + offset);
    g_assert_true (g_hash_table_add (tids, chunk->transaction_id));
    g_assert_false (confab_msrp_body_contains_end_line (chunk->body, chunk->transaction_id));
    g_assert_true (g_bytes_equal (parsed->body, chunk->body));
    offset += length;
  }

  empty_chunks = chunk_all (empty, 100);
  g_assert_cmpuint (empty_chunks->len, ==, 1);
  g_assert_null (((ConfabMsrpMessage *) g_ptr_array_index (empty_chunks, 0))->body);

  /* an abort after two chunks: an empty '#' chunk where the next would be */
  {
    g_autoptr (ConfabMsrpChunker) chunker = confab_msrp_chunker_new (send, 1000);
    g_autoptr (ConfabMsrpMessage) first = confab_msrp_chunker_next (chunker);
    g_autoptr (ConfabMsrpMessage) second = confab_msrp_chunker_next (chunker);
    g_autoptr (ConfabMsrpMessage) abort = confab_msrp_chunker_abort (chunker);
    g_autoptr (ConfabMsrpMessage) parsed = reparse (abort);

    g_assert_cmpuint (first->byte_range.start, ==, 1);
    g_assert_cmpuint (second->byte_range.start, ==, 1001);
    g_assert_cmpuint (confab_msrp_chunker_get_offset (chunker), ==, 2000);
    g_assert_cmpint (abort->continuation, ==, '#');
    g_assert_null (abort->body);
    g_assert_cmpuint (abort->byte_range.start, ==, 2001);
    g_assert_cmpuint (abort->byte_range.end, ==, 2000);
    g_assert_true (confab_msrp_chunker_is_done (chunker));
    g_assert_null (confab_msrp_chunker_next (chunker));
    g_assert_cmpint (parsed->continuation, ==, '#');
  }
}

static ConfabMsrpMessage *
add_ok (ConfabMsrpReassembly *r,
        ConfabMsrpMessage    *chunk)
{
  g_autoptr (GError) error = NULL;
  ConfabMsrpMessage *complete = NULL;

  g_assert_true (confab_msrp_reassembly_add (r, chunk, &complete, &error));
  g_assert_no_error (error);
  return complete;
}

/* Chunks as the peer sends them: printed and parsed back, end '*'. */
static GPtrArray *
wire_chunks (ConfabMsrpMessage *send,
             gsize              chunk_size,
             gboolean           star_end)
{
  g_autoptr (GPtrArray) chunks = chunk_all (send, chunk_size);
  GPtrArray *parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);

  for (guint i = 0; i < chunks->len; i++) {
    ConfabMsrpMessage *chunk = g_ptr_array_index (chunks, i);

    if (star_end)
      chunk->byte_range.end = CONFAB_MSRP_UNKNOWN;
    g_ptr_array_add (parsed, reparse (chunk));
  }
  return parsed;
}

static void
test_reassembly (void)
{
  g_autoptr (GPtrArray) to = path ("msrp://h:1/s;tcp");
  g_autoptr (GPtrArray) from = path ("msrp://g:2/t;tcp");
  g_autoptr (GBytes) body = pattern_bytes (300001);
  g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (to, from, "image/jpeg", body);
  g_autoptr (GRand) rand = g_rand_new_with_seed (4975);

  send->content_disposition = g_strdup ("inline");
  for (guint round = 0; round < 6; round++) {
    g_autoptr (ConfabMsrpReassembly) r = confab_msrp_reassembly_new (0, 0, 0);
    g_autoptr (GPtrArray) chunks = wire_chunks (send, round < 2 ? 65536 : 7000, round % 2);
    g_autoptr (ConfabMsrpMessage) complete = NULL;
    g_autoptr (ConfabMsrpMessage) report = NULL;

    if (round >= 2) {
      /* out of order */
      for (guint i = chunks->len - 1; i > 0; i--) {
        guint j = g_rand_int_range (rand, 0, i + 1);
        gpointer tmp = chunks->pdata[i];

        chunks->pdata[i] = chunks->pdata[j];
        chunks->pdata[j] = tmp;
      }
    }
    if (round >= 4) {
      /* duplicates and overlapping retransmissions */
      for (guint i = 0; i < 10; i++) {
        ConfabMsrpMessage *c = g_ptr_array_index (chunks, g_rand_int_range (rand, 0, 40));
        g_autoptr (GBytes) overlap = g_bytes_new_from_bytes (body, 3500 * i, 9000);

        g_ptr_array_insert (chunks, g_rand_int_range (rand, 0, chunks->len),
                            confab_msrp_message_ref (c));
        g_ptr_array_insert (chunks, g_rand_int_range (rand, 0, chunks->len),
                            confab_msrp_message_new_chunk (send, overlap, 3500 * i + 1, 300001,
                                                           '+'));
      }
    }
    for (guint i = 0; i < chunks->len; i++) {
      ConfabMsrpMessage *c = add_ok (r, g_ptr_array_index (chunks, i));

      if (c) {
        g_assert_null (complete);
        complete = c;
      } else {
        g_assert_cmpuint (confab_msrp_reassembly_get_n_pending (r), ==, 1);
      }
    }
    g_assert_nonnull (complete);
    g_assert_true (g_bytes_equal (complete->body, body));
    g_assert_cmpstr (complete->message_id, ==, send->message_id);
    g_assert_cmpstr (complete->content_type, ==, "image/jpeg");
    g_assert_cmpstr (complete->content_disposition, ==, "inline");
    g_assert_cmpuint (complete->byte_range.start, ==, 1);
    g_assert_cmpuint (complete->byte_range.end, ==, 300001);
    g_assert_cmpuint (complete->byte_range.total, ==, 300001);
    g_assert_cmpint (complete->continuation, ==, '$');
    g_assert_cmpuint (confab_msrp_reassembly_get_n_pending (r), ==, 0);
    g_assert_cmpuint (confab_msrp_reassembly_get_pending_bytes (r), ==, 0);
    report = confab_msrp_message_new_report (complete, 200, NULL, NULL);
    g_assert_cmpuint (report->byte_range.end, ==, 300001);
  }
}

static void
test_reassembly_edges (void)
{
  g_autoptr (GPtrArray) to = path ("msrp://h:1/s;tcp");
  g_autoptr (GPtrArray) from = path ("msrp://g:2/t;tcp");
  g_autoptr (GBytes) body = pattern_bytes (5000);
  g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (to, from, "a/b", body);
  g_autoptr (ConfabMsrpReassembly) r = confab_msrp_reassembly_new (4096, 2, 10000);
  g_autoptr (ConfabMsrpReassembly) big = confab_msrp_reassembly_new (100000, 2, 10000);
  g_autoptr (ConfabMsrpMessage) whole = NULL;
  g_autoptr (ConfabMsrpMessage) response = confab_msrp_message_new_response (send, 200, NULL);
  g_autoptr (GError) error = NULL;
  ConfabMsrpMessage *complete = NULL;

  /* a whole message in one chunk comes back as it is */
  {
    g_autoptr (GBytes) small = pattern_bytes (10);
    g_autoptr (ConfabMsrpMessage) one = confab_msrp_message_new_send (to, from, "a/b", small);

    whole = add_ok (r, one);
    g_assert_true (whole == one);
  }

  /* over the message limit by the total, or by the end */
  g_assert_false (confab_msrp_reassembly_add (r, send, &complete, &error));
  g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE);
  g_assert_null (complete);
  g_clear_error (&error);
  {
    g_autoptr (GBytes) piece = g_bytes_new_from_bytes (body, 0, 10);
    g_autoptr (ConfabMsrpMessage) far = confab_msrp_message_new_chunk (send, piece, 4090,
                                                                       CONFAB_MSRP_UNKNOWN, '+');

    g_assert_false (confab_msrp_reassembly_add (r, far, NULL, &error));
    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  /* an abort drops what was held */
  {
    g_autoptr (GPtrArray) chunks = chunk_all (send, 1000);
    g_autoptr (ConfabMsrpChunker) chunker = confab_msrp_chunker_new (send, 1000);
    g_autoptr (ConfabMsrpMessage) first = confab_msrp_chunker_next (chunker);
    g_autoptr (ConfabMsrpMessage) abort = confab_msrp_chunker_abort (chunker);

    g_assert_null (add_ok (big, first));
    g_assert_cmpuint (confab_msrp_reassembly_get_received (big, send->message_id), ==, 1000);
    g_assert_cmpuint (confab_msrp_reassembly_get_pending_bytes (big), >, 1000);
    g_assert_false (confab_msrp_reassembly_add (big, abort, NULL, &error));
    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_ABORTED);
    g_clear_error (&error);
    g_assert_cmpuint (confab_msrp_reassembly_get_n_pending (big), ==, 0);
    g_assert_cmpuint (confab_msrp_reassembly_get_pending_bytes (big), ==, 0);

    /* cancel */
    g_assert_null (add_ok (big, g_ptr_array_index (chunks, 1)));
    g_assert_true (confab_msrp_reassembly_cancel (big, send->message_id));
    g_assert_false (confab_msrp_reassembly_cancel (big, send->message_id));
    g_assert_cmpuint (confab_msrp_reassembly_get_pending_bytes (big), ==, 0);

    /* more unfinished messages than allowed */
    for (guint i = 0; i < 3; i++) {
      g_autoptr (ConfabMsrpMessage) other = confab_msrp_message_copy (first);

      g_free (other->message_id);
      other->message_id = g_strdup_printf ("other%u", i);
      if (i < 2) {
        g_assert_null (add_ok (big, other));
      } else {
        g_assert_false (confab_msrp_reassembly_add (big, other, NULL, &error));
        g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE);
        g_clear_error (&error);
      }
    }
    g_assert_true (confab_msrp_reassembly_cancel (big, "other0"));
    g_assert_true (confab_msrp_reassembly_cancel (big, "other1"));

    /* more pending bytes than allowed: 5000 bytes in 1-byte chunks cost
     * their overhead too */
    for (guint i = 1; i < 5000; i++) {
      g_autoptr (GBytes) one = g_bytes_new_from_bytes (body, i, 1);
      g_autoptr (ConfabMsrpMessage) tiny = confab_msrp_message_new_chunk (send, one, i + 1, 5000,
                                                                          '+');

      if (!confab_msrp_reassembly_add (big, tiny, NULL, &error))
        break;
      g_assert_cmpuint (confab_msrp_reassembly_get_pending_bytes (big), <=, 10000);
    }
    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE);
    g_clear_error (&error);
    g_assert_cmpuint (confab_msrp_reassembly_get_n_pending (big), ==, 0);
  }

  /* total unknown ('*'): complete at the '$' chunk without gaps */
  {
    g_autoptr (GPtrArray) chunks = wire_chunks (send, 2000, TRUE);
    g_autoptr (ConfabMsrpMessage) done = NULL;

    for (guint i = 0; i < chunks->len; i++)
      ((ConfabMsrpMessage *) g_ptr_array_index (chunks, i))->byte_range.total =
        CONFAB_MSRP_UNKNOWN;
    g_assert_null (add_ok (big, g_ptr_array_index (chunks, 2)));
    g_assert_null (add_ok (big, g_ptr_array_index (chunks, 0)));
    done = add_ok (big, g_ptr_array_index (chunks, 1));
    g_assert_nonnull (done);
    g_assert_true (g_bytes_equal (done->body, body));
  }

  /* not a SEND */
  g_assert_false (confab_msrp_reassembly_add (big, response, NULL, &error));
  g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_MISSING_HEADER);
}

/* The file transfer of the wire sample: four chunks whose data was elided
 * from the capture, so the message stays incomplete. */
static void
test_reassembly_wire (void)
{
  g_autoptr (GPtrArray) streams = wire_load_msrp_streams ("sipsimple-msrp-chat-and-file-tcp.txt");
  const WireStream *ws = g_ptr_array_index (streams, 4);
  g_autoptr (ConfabMsrpParser) parser = confab_msrp_parser_new (NULL);
  g_autoptr (ConfabMsrpReassembly) r = confab_msrp_reassembly_new (0, 0, 0);
  ConfabMsrpMessage *m;
  guint n_reports = 0;

  g_assert_true (confab_msrp_parser_feed (parser, ws->bytes->data, ws->bytes->len, NULL));
  while ((m = confab_msrp_parser_pop (parser))) {
    g_autoptr (ConfabMsrpMessage) chunk = m;
    g_autoptr (ConfabMsrpMessage) complete = NULL;

    if (chunk->method != CONFAB_MSRP_METHOD_SEND)
      continue;
    g_assert_true (confab_msrp_reassembly_add (r, chunk, &complete, NULL));
    /* the empty binding SEND is a whole (empty) message */
    g_assert_true (complete == NULL || complete->body == NULL);
    if (confab_msrp_message_needs_report (chunk, 200)) {
      g_autoptr (ConfabMsrpMessage) report = confab_msrp_message_new_report (chunk, 200, NULL,
                                                                             NULL);

      g_assert_cmpuint (report->byte_range.start, ==, chunk->byte_range.start);
      g_assert_cmpuint (report->byte_range.total, ==, 200000);
      n_reports++;
    }
  }
  g_assert_cmpuint (n_reports, ==, 4);
  g_assert_cmpuint (confab_msrp_reassembly_get_n_pending (r), ==, 1);
  g_assert_cmpuint (confab_msrp_reassembly_get_received (r, "6ce0edc469f70f9f"), ==,
                    3 * 49 + 48);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/msrp/serialize/send", test_serialize_send);
  g_test_add_func ("/msrp/serialize/kinds", test_serialize_kinds);
  g_test_add_func ("/msrp/serialize/invalid", test_serialize_invalid);
  g_test_add_func ("/msrp/serialize/ids", test_ids);
  g_test_add_func ("/msrp/responses", test_responses);
  g_test_add_func ("/msrp/responses/paths", test_response_paths);
  g_test_add_func ("/msrp/reports", test_reports);
  g_test_add_func ("/msrp/chunking", test_chunking);
  g_test_add_func ("/msrp/reassembly/orders", test_reassembly);
  g_test_add_func ("/msrp/reassembly/edges", test_reassembly_edges);
  g_test_add_func ("/msrp/reassembly/wire", test_reassembly_wire);

  return g_test_run ();
}
