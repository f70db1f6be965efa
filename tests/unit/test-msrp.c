/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "msrp/confab-msrp.h"
#include "test-msrp-wire.h"

#include <string.h>

/* MSRP URIs and the incremental parser: every MSRP message of the wire
 * samples (SIP SIMPLE SDK 5.5.0, SylkServer 6.6.1) fed whole, one byte at a
 * time and in random slices; every malformed case of RFC 4975 framing we
 * could think of; the bounds. Builders, chunking and reassembly are in
 * test-msrp-build.c. */

#define TO   "To-Path: msrp://127.0.0.1:37391/b57d15c6b401a20fe187;tcp\r\n"
#define FROM "From-Path: msrp://127.0.0.1:42017/bd782090cc98a0ccab27;tcp\r\n"
#define PATHS TO FROM

/* Every field, to compare two messages. */
static char *
dump (const ConfabMsrpMessage *m)
{
  GString *s = g_string_new (NULL);
  g_autofree char *to = confab_msrp_path_to_string (m->to_path);
  g_autofree char *from = confab_msrp_path_to_string (m->from_path);
  g_autofree char *use = m->use_path ? confab_msrp_path_to_string (m->use_path) : NULL;

  g_string_append_printf (s, "%d %s %d %s %u %s|%s|%s|%s|", m->is_response, m->transaction_id,
                          m->method, m->method_name, m->status, m->comment, to, from,
                          m->message_id);
  g_string_append_printf (s, "%d %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                          "|%d %d|%d %u %u %s|%s|",
                          m->has_byte_range, m->byte_range.start, m->byte_range.end,
                          m->byte_range.total, m->success_report, m->failure_report,
                          m->has_report_status, m->report_namespace, m->report_status,
                          m->report_comment, use);
  for (guint i = 0; m->www_authenticate && i < m->www_authenticate->len; i++)
    g_string_append_printf (s, "www=%s|", (char *) g_ptr_array_index (m->www_authenticate, i));
  g_string_append_printf (s, "%s|%s|%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                          "|%s|%s|%s|%s|",
                          m->authorization, m->authentication_info, m->expires, m->min_expires,
                          m->max_expires, m->content_type, m->content_id, m->content_description,
                          m->content_disposition);
  for (guint i = 0; i < m->headers->len; i++) {
    const ConfabMsrpHeader *h = g_ptr_array_index (m->headers, i);

    g_string_append_printf (s, "%s=%s|", h->name, h->value);
  }
  g_string_append_printf (s, "%c|", (char) m->continuation);
  if (m->body)
    g_string_append_len (s, g_bytes_get_data (m->body, NULL), g_bytes_get_size (m->body));
  return g_string_free (s, FALSE);
}

/* Feeds @data in slices (0: whole; G_MAXSIZE: random sizes from @seed),
 * then finishes; returns the messages and the first error. */
static GPtrArray *
parse_sliced (const void             *data,
              gsize                   length,
              gsize                   slice,
              guint32                 seed,
              const ConfabMsrpLimits *limits,
              GError                **error)
{
  g_autoptr (ConfabMsrpParser) parser = confab_msrp_parser_new (limits);
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  const guint8 *p = data;
  gsize done = 0;
  gboolean ok = TRUE;
  ConfabMsrpMessage *m;

  while (ok && done < length) {
    gsize n = slice == 0           ? length
              : slice == G_MAXSIZE ? (gsize) g_rand_int_range (rand, 1, 300)
                                   : slice;

    n = MIN (n, length - done);
    ok = confab_msrp_parser_feed (parser, p + done, n, error);
    done += n;
    while ((m = confab_msrp_parser_pop (parser)))
      g_ptr_array_add (messages, m);
  }
  if (ok)
    ok = confab_msrp_parser_finish (parser, error);
  g_assert_true (ok != confab_msrp_parser_has_failed (parser));
  return messages;
}

static GPtrArray *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *messages = parse_sliced (text, strlen (text), 0, 0, NULL, &error);

  g_assert_no_error (error);
  return messages;
}

static ConfabMsrpMessage *
parse_one (const char *text)
{
  g_autoptr (GPtrArray) messages = parse_ok (text);

  g_assert_cmpuint (messages->len, ==, 1);
  return confab_msrp_message_ref (g_ptr_array_index (messages, 0));
}

/* Parsing @text fails with @code, fed whole and one byte at a time. */
static void
parse_fails_len (const char *text,
                 gsize       length,
                 int         code)
{
  for (gsize slice = 0; slice <= 1; slice++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) messages = parse_sliced (text, length, slice, 0, NULL, &error);

    if (!error)
      g_test_message ("expected error %d for: %s", code, text);
    g_assert_cmpuint (messages->len, <=, 1);
    g_assert_error (error, CONFAB_MSRP_ERROR, code);
    g_assert_true (g_str_has_prefix (error->message, "Invalid MSRP "));
  }
}

static void
parse_fails (const char *text,
             int         code)
{
  parse_fails_len (text, strlen (text), code);
}

static void
test_uri_parse (void)
{
  static const struct {
    const char *text;
    gboolean secure;
    const char *userinfo, *host;
    guint port;
    const char *session_id, *transport, *printed;
  } good[] = {
    { "msrp://127.0.0.1:37391/b57d15c6b401a20fe187;tcp", FALSE, NULL, "127.0.0.1", 37391,
      "b57d15c6b401a20fe187", "tcp", NULL },
    { "msrps://alice@relay.example.com:2855/a+b=c/d;tcp", TRUE, "alice", "relay.example.com",
      2855, "a+b=c/d", "tcp", NULL },
    { "msrps://relay.example.com;tcp", TRUE, NULL, "relay.example.com", 0, NULL, "tcp", NULL },
    { "MSRPS://[2001:db8::1]:9/s;TCP;foo;bar=baz", TRUE, NULL, "2001:db8::1", 9, "s", "TCP",
      "msrps://[2001:db8::1]:9/s;TCP;foo;bar=baz" },
    { "msrp://[::1]/sid", FALSE, NULL, "::1", 0, "sid", NULL, NULL },
    { "msrp://u%40x;y:p@h%2Dx.example/s~._-;tcp", FALSE, "u%40x;y:p", "h%2Dx.example", 0, "s~._-",
      "tcp", NULL },
  };
  static const char *const bad[] = {
    "", "http://h/s;tcp", "msrp:/h/s;tcp", "msrp://", "msrp:///s;tcp", "msrp://h:0/s;tcp",
    "msrp://h:65536/s;tcp", "msrp://h:/s;tcp", "msrp://h:1x/s;tcp", "msrp://[::1/s;tcp",
    "msrp://[192.0.2.1]/s;tcp", "msrp://[::1]x/s;tcp", "msrp://h/;tcp", "msrp://h/s;",
    "msrp://h/s;tcp;", "msrp://h/s;t-p", "msrp://h/s id;tcp", "msrp://h/s%20;tcp",
    "msrp://ho^st/s;tcp", "msrp://h/s;tcp;a=b=c", "msrp://h/s;tcp;=x", "msrp://h%g1/s;tcp",
    "msrp://h%4/s;tcp", "msrp://u\"@h/s;tcp", "msrp://h/s\x7f;tcp", "msrp://h/s\xc3\xa9;tcp",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (ConfabMsrpUri) uri = confab_msrp_uri_parse (good[i].text, strlen (good[i].text),
                                                           &error);
    g_autofree char *printed = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (uri->secure, ==, good[i].secure);
    g_assert_cmpstr (uri->userinfo, ==, good[i].userinfo);
    g_assert_cmpstr (uri->host, ==, good[i].host);
    g_assert_cmpuint (uri->port, ==, good[i].port);
    g_assert_cmpstr (uri->session_id, ==, good[i].session_id);
    g_assert_cmpstr (uri->transport, ==, good[i].transport);
    printed = confab_msrp_uri_to_string (uri);
    g_assert_cmpstr (printed, ==, good[i].printed ? good[i].printed : good[i].text);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (ConfabMsrpUri) uri = confab_msrp_uri_parse (bad[i], strlen (bad[i]), &error);

    if (uri)
      g_test_message ("parsed: %s", bad[i]);
    g_assert_null (uri);
    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_URI);
  }

  /* not NUL-terminated, NUL inside, too long */
  {
    g_autoptr (ConfabMsrpUri) uri = confab_msrp_uri_parse ("msrp://h/s;tcpXYZ", 14, NULL);
    g_autoptr (ConfabMsrpUri) nul = confab_msrp_uri_parse ("msrp://h/s\0;tcp", 15, NULL);
    g_autofree char *long_host = g_strnfill (CONFAB_MSRP_URI_MAX_LENGTH, 'a');
    g_autofree char *long_uri = g_strdup_printf ("msrp://%s/s;tcp", long_host);
    g_autoptr (ConfabMsrpUri) too_long = confab_msrp_uri_parse (long_uri, strlen (long_uri), NULL);

    g_assert_cmpstr (uri->transport, ==, "tcp");
    g_assert_null (nul);
    g_assert_null (too_long);
  }
  {
    g_autoptr (ConfabMsrpUri) uri = confab_msrp_uri_parse ("msrp://h/s;tcp;flag;k=v", 23, NULL);
    g_autoptr (ConfabMsrpUri) built = confab_msrp_uri_new (TRUE, "[::1]", 2855, "abc");
    g_autofree char *printed = confab_msrp_uri_to_string (built);

    g_assert_cmpstr (confab_msrp_uri_get_param (uri, "FLAG"), ==, "");
    g_assert_cmpstr (confab_msrp_uri_get_param (uri, "k"), ==, "v");
    g_assert_null (confab_msrp_uri_get_param (uri, "kk"));
    g_assert_cmpuint (confab_msrp_uri_get_port (uri), ==, 2855);
    g_assert_cmpstr (printed, ==, "msrps://[::1]:2855/abc;tcp");
  }
}

static gboolean
uris_equal (const char *a,
            const char *b)
{
  g_autoptr (ConfabMsrpUri) ua = confab_msrp_uri_parse (a, strlen (a), NULL);
  g_autoptr (ConfabMsrpUri) ub = confab_msrp_uri_parse (b, strlen (b), NULL);

  g_assert_nonnull (ua);
  g_assert_nonnull (ub);
  g_assert_cmpint (confab_msrp_uri_equal (ua, ub), ==, confab_msrp_uri_equal (ub, ua));
  return confab_msrp_uri_equal (ua, ub);
}

/* RFC 4975 §6.1 */
static void
test_uri_compare (void)
{
  g_assert_true (uris_equal ("msrp://h:1/s;tcp", "MSRP://H:1/s;TCP"));
  g_assert_true (uris_equal ("msrp://alice@h:1/s;tcp", "msrp://bob@h:1/s;tcp"));
  g_assert_true (uris_equal ("msrp://h:1/s;tcp;x=1", "msrp://h:1/s;tcp"));
  g_assert_true (uris_equal ("msrp://h:1/s", "msrp://h:1/s;tcp"));
  g_assert_true (uris_equal ("msrp://[::1]:1/s;tcp", "msrp://[0:0::1]:1/s;tcp"));
  g_assert_true (uris_equal ("msrp://%68x:1/s;tcp", "msrp://HX:1/s;tcp"));
  g_assert_false (uris_equal ("msrp://h:1/s;tcp", "msrps://h:1/s;tcp"));
  g_assert_false (uris_equal ("msrp://h:1/s;tcp", "msrp://h/s;tcp"));
  g_assert_false (uris_equal ("msrp://h:1/s;tcp", "msrp://h:2/s;tcp"));
  g_assert_false (uris_equal ("msrp://h:1/s;tcp", "msrp://h:1/S;tcp"));
  g_assert_false (uris_equal ("msrp://h:1/s;tcp", "msrp://h:1;tcp"));
  g_assert_false (uris_equal ("msrp://h:1/s;tcp", "msrp://h:1/s;sctp"));
  g_assert_false (uris_equal ("msrp://h:1/s;tcp", "msrp://g:1/s;tcp"));
  g_assert_false (uris_equal ("msrp://127.0.0.1:1/s;tcp", "msrp://[::1]:1/s;tcp"));

  /* RFC 6714: sessions match on the session-id alone */
  {
    g_autoptr (ConfabMsrpUri) a = confab_msrp_uri_new (FALSE, "192.0.2.1", 1, "abc");
    g_autoptr (ConfabMsrpUri) b = confab_msrp_uri_new (TRUE, "198.51.100.7", 2, "abc");
    g_autoptr (ConfabMsrpUri) c = confab_msrp_uri_new (FALSE, "192.0.2.1", 1, "ABC");
    g_autoptr (ConfabMsrpUri) relay = confab_msrp_uri_new (FALSE, "192.0.2.1", 1, NULL);

    g_assert_true (confab_msrp_uri_session_id_equal (a, b));
    g_assert_false (confab_msrp_uri_session_id_equal (a, c));
    g_assert_false (confab_msrp_uri_session_id_equal (relay, relay));
  }
}

static void
test_path (void)
{
  const char *text = "msrps://relay.example.com:2855/r1;tcp  msrp://[::1]:9/s2;tcp";
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) path = confab_msrp_path_parse (text, strlen (text), &error);
  g_autoptr (GPtrArray) copy = NULL;
  g_autofree char *printed = NULL;
  GString *many = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_cmpuint (path->len, ==, 2);
  printed = confab_msrp_path_to_string (path);
  g_assert_cmpstr (printed, ==, "msrps://relay.example.com:2855/r1;tcp msrp://[::1]:9/s2;tcp");
  copy = confab_msrp_path_copy (path);
  g_assert_true (confab_msrp_path_equal (path, copy));
  g_ptr_array_remove_index (copy, 1);
  g_assert_false (confab_msrp_path_equal (path, copy));

  g_assert_null (confab_msrp_path_parse ("   ", 3, NULL));
  g_assert_null (confab_msrp_path_parse ("msrp://h/s;tcp x", 16, NULL));
  for (guint i = 0; i <= CONFAB_MSRP_PATH_MAX_URIS; i++)
    g_string_append (many, "msrp://h/s;tcp ");
  g_assert_null (confab_msrp_path_parse (many->str, many->len, &error));
  g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_URI);
  g_string_free (many, TRUE);
}

/* Every MSRP message in the copied wire samples, fed whole, a byte at a
 * time and in random slices, gives the same messages. */
static void
test_parse_wire_samples (void)
{
  static const struct {
    const char *file;
    guint n_messages;
  } files[] = {
    { "sipsimple-msrp-chat-and-file-tcp.txt", 31 },
    { "sylkserver-room-msrp.txt", 47 },
  };
  guint n_sends = 0, n_reports = 0, n_responses = 0, n_file_offsets = 0;
  gboolean saw_star_end = FALSE, saw_report_beyond_total = FALSE, saw_offset = FALSE;

  for (guint f = 0; f < G_N_ELEMENTS (files); f++) {
    g_autoptr (GPtrArray) streams = wire_load_msrp_streams (files[f].file);
    guint n_messages = 0;

    g_assert_cmpuint (streams->len, >, 0);
    for (guint s = 0; s < streams->len; s++) {
      const WireStream *ws = g_ptr_array_index (streams, s);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) whole = parse_sliced (ws->bytes->data, ws->bytes->len, 0, 0, NULL,
                                                  &error);

      g_test_message ("%s: %u bytes, %u messages", ws->name, ws->bytes->len, whole->len);
      g_assert_no_error (error);
      g_assert_cmpuint (whole->len, >, 0);
      n_messages += whole->len;

      for (guint mode = 0; mode < 4; mode++) {
        gsize slice = mode == 0 ? 1 : mode == 1 ? 7 : G_MAXSIZE;
        g_autoptr (GPtrArray) sliced = parse_sliced (ws->bytes->data, ws->bytes->len, slice,
                                                     mode, NULL, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (sliced->len, ==, whole->len);
        for (guint i = 0; i < whole->len; i++) {
          g_autofree char *a = dump (g_ptr_array_index (whole, i));
          g_autofree char *b = dump (g_ptr_array_index (sliced, i));

          g_assert_cmpstr (a, ==, b);
        }
      }

      for (guint i = 0; i < whole->len; i++) {
        ConfabMsrpMessage *m = g_ptr_array_index (whole, i);
        g_autoptr (GBytes) printed = confab_msrp_message_to_bytes (m, &error);
        g_autoptr (GPtrArray) again = NULL;
        g_autofree char *a = NULL;
        g_autofree char *b = NULL;

        g_assert_no_error (error);
        g_assert_cmpuint (m->to_path->len, ==, 1);
        g_assert_cmpuint (m->from_path->len, ==, 1);
        g_assert_nonnull (((ConfabMsrpUri *) g_ptr_array_index (m->to_path, 0))->session_id);
        if (m->is_response) {
          n_responses++;
          g_assert_cmpuint (m->status, ==, 200);
          g_assert_cmpstr (m->comment, ==, "OK");
          if (confab_msrp_message_get_header (m, "Offset")) {
            g_assert_cmpstr (confab_msrp_message_get_header (m, "Offset"), ==, "0");
            saw_offset = TRUE;
          }
        } else if (m->method == CONFAB_MSRP_METHOD_SEND) {
          n_sends++;
          g_assert_nonnull (m->message_id);
          g_assert_true (m->has_byte_range);
          if (m->byte_range.end == CONFAB_MSRP_UNKNOWN)
            saw_star_end = TRUE;
          if (m->body)
            g_assert_nonnull (m->content_type);
        } else if (m->method == CONFAB_MSRP_METHOD_REPORT) {
          n_reports++;
          g_assert_true (m->has_report_status);
          g_assert_cmpuint (m->report_namespace, ==, 0);
          g_assert_cmpuint (m->report_status, ==, 200);
          g_assert_cmpstr (m->report_comment, ==, "OK");
          if (m->byte_range.end > m->byte_range.total)
            saw_report_beyond_total = TRUE;
        } else {
          g_assert_cmpint (m->method, ==, CONFAB_MSRP_METHOD_FILE_OFFSET);
          g_assert_cmpstr (m->method_name, ==, "FILE_OFFSET");
          n_file_offsets++;
        }
        /* what we print we read back the same */
        again = parse_sliced (g_bytes_get_data (printed, NULL), g_bytes_get_size (printed), 0, 0,
                              NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (again->len, ==, 1);
        a = dump (m);
        b = dump (g_ptr_array_index (again, 0));
        g_assert_cmpstr (a, ==, b);
      }
    }
    g_assert_cmpuint (n_messages, ==, files[f].n_messages);
  }
  g_assert_cmpuint (n_sends, ==, 26);
  g_assert_cmpuint (n_reports, ==, 20);
  g_assert_cmpuint (n_file_offsets, ==, 3);
  g_assert_cmpuint (n_responses, ==, 29);
  g_assert_true (saw_star_end);
  g_assert_true (saw_report_beyond_total);
  g_assert_true (saw_offset);
}

/* Particular messages of the samples, field by field. */
static void
test_parse_wire_details (void)
{
  g_autoptr (GPtrArray) streams = wire_load_msrp_streams ("sipsimple-msrp-chat-and-file-tcp.txt");
  g_autoptr (GPtrArray) bob = NULL;
  g_autoptr (GPtrArray) file = NULL;
  ConfabMsrpMessage *m;
  const WireStream *ws;

  /* stream 1 node 1: Bob's answer, with a non-ASCII body longer than its
   * Byte-Range says (233 bytes for 1-230/230) */
  ws = g_ptr_array_index (streams, 1);
  g_assert_cmpstr (ws->name, ==, "sipsimple-msrp-chat-and-file-tcp.txt stream 1 node 1");
  bob = parse_sliced (ws->bytes->data, ws->bytes->len, 0, 0, NULL, NULL);
  m = g_ptr_array_index (bob, 3);
  g_assert_cmpstr (m->method_name, ==, "SEND");
  g_assert_cmpstr (m->transaction_id, ==, "3eb8f82e129829f5");
  g_assert_cmpstr (m->message_id, ==, "22fe1c7323dce458");
  g_assert_cmpuint (m->byte_range.start, ==, 1);
  g_assert_cmpuint (m->byte_range.end, ==, 230);
  g_assert_cmpuint (m->byte_range.total, ==, 230);
  g_assert_cmpuint (confab_msrp_message_get_body_length (m), ==, 233);
  g_assert_cmpint (m->success_report, ==, CONFAB_MSRP_REPORT_YES);
  g_assert_cmpint (m->failure_report, ==, CONFAB_MSRP_REPORT_YES);
  g_assert_cmpstr (m->content_type, ==, "message/cpim");
  g_assert_cmpint (m->continuation, ==, CONFAB_MSRP_CONTINUATION_COMPLETE);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (m->body, NULL), "From: <sip:bob@127.0.0.1>"));

  /* stream 3 node 0: the binding empty SEND, FILE_OFFSET, four 64 KiB
   * chunks with "N-*" ranges in two TCP segments */
  ws = g_ptr_array_index (streams, 4);
  g_assert_cmpstr (ws->name, ==, "sipsimple-msrp-chat-and-file-tcp.txt stream 3 node 0");
  file = parse_sliced (ws->bytes->data, ws->bytes->len, 0, 0, NULL, NULL);
  g_assert_cmpuint (file->len, ==, 6);
  m = g_ptr_array_index (file, 0);
  g_assert_null (m->body);
  g_assert_cmpuint (m->byte_range.start, ==, 1);
  g_assert_cmpuint (m->byte_range.end, ==, 0);
  g_assert_cmpuint (m->byte_range.total, ==, 0);
  g_assert_cmpstr (m->message_id, ==, "876ba681716c509");
  m = g_ptr_array_index (file, 1);
  g_assert_cmpint (m->method, ==, CONFAB_MSRP_METHOD_FILE_OFFSET);
  g_assert_null (m->message_id);
  for (guint i = 2; i < 6; i++) {
    m = g_ptr_array_index (file, i);
    g_assert_cmpuint (m->byte_range.start, ==, 1 + (i - 2) * 65536);
    g_assert_cmpuint (m->byte_range.end, ==, CONFAB_MSRP_UNKNOWN);
    g_assert_cmpuint (m->byte_range.total, ==, 200000);
    g_assert_cmpint (m->continuation, ==, i < 5 ? '+' : '$');
    g_assert_cmpstr (m->content_type, ==, "application/octet-stream");
    g_assert_true (g_str_has_prefix (g_bytes_get_data (m->body, NULL), "   [... "));
  }
}

static void
test_parse_requests (void)
{
  g_autoptr (ConfabMsrpMessage) auth = parse_one (
    "MSRP a786hjs2 AUTH\r\n"
    "To-Path: msrps://relay.example.com:2855;tcp\r\n"
    "From-Path: msrps://alice.example.com:7777/iau39soe2843z;tcp\r\n"
    "Authorization: Digest username=\"alice@example.com\", realm=\"example.com\"\r\n"
    "Expires: 900\r\n"
    "-------a786hjs2$\r\n");
  g_autoptr (ConfabMsrpMessage) challenge = parse_one (
    "MSRP a786hjs2 401 Unauthorized\r\n"
    "To-Path: msrps://alice.example.com:7777/iau39soe2843z;tcp\r\n"
    "From-Path: msrps://relay.example.com:2855;tcp\r\n"
    "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"a\", qop=\"auth\"\r\n"
    "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"b\", algorithm=SHA-256\r\n"
    "Min-Expires: 60\r\n"
    "Max-Expires: 3600\r\n"
    "-------a786hjs2$\r\n");
  g_autoptr (ConfabMsrpMessage) ok = parse_one (
    "MSRP a786hjs2 200 OK\r\n"
    "To-Path: msrps://alice.example.com:7777/iau39soe2843z;tcp\r\n"
    "From-Path: msrps://relay.example.com:2855;tcp\r\n"
    "Use-Path: msrps://relay.example.com:2855/jui787s2f;tcp\r\n"
    "Authentication-Info: rspauth=\"x\"\r\n"
    "Expires: 900\r\n"
    "-------a786hjs2$\r\n");
  g_autoptr (ConfabMsrpMessage) nick = parse_one (
    "MSRP nick1234 NICKNAME\r\n" PATHS "Use-Nickname: \"Alice the great\"\r\n"
    "-------nick1234$\r\n");
  g_autoptr (ConfabMsrpMessage) unknown = parse_one (
    "MSRP xyz9 FROB-2\r\n" PATHS "X-Thing: 1\r\nx-thing: 2\r\n-------xyz9$\r\n");
  g_autoptr (ConfabMsrpMessage) send = parse_one (
    "MSRP d93kswow SEND\r\n"
    "To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp\r\n"
    "From-Path: msrp://relay.example.com:2855/jui787s2f;tcp"
    " msrp://alice.example.com:7777/iau39soe2843z;tcp\r\n"
    "Message-ID: 12339sdqwer\r\n"
    "Byte-Range: 1-16/16\r\n"
    "Success-Report: yes\r\n"
    "Failure-Report: partial\r\n"
    "Keep-Alive: yes\r\n"
    "Content-ID: <part1@example.com>\r\n"
    "Content-Description: greeting\r\n"
    "Content-Disposition: inline\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Hi, I'm Alice!\r\n"
    "\r\n"
    "-------d93kswow$\r\n");
  g_autoptr (ConfabMsrpMessage) no_comment = parse_one ("MSRP abcd 403\r\n" PATHS
                                                        "-------abcd$\r\n");

  g_assert_cmpint (auth->method, ==, CONFAB_MSRP_METHOD_AUTH);
  g_assert_null (((ConfabMsrpUri *) g_ptr_array_index (auth->to_path, 0))->session_id);
  g_assert_cmpstr (auth->authorization, ==,
                   "Digest username=\"alice@example.com\", realm=\"example.com\"");
  g_assert_cmpint (auth->expires, ==, 900);
  g_assert_cmpint (auth->min_expires, ==, -1);

  g_assert_true (challenge->is_response);
  g_assert_cmpuint (challenge->status, ==, 401);
  g_assert_cmpstr (challenge->comment, ==, "Unauthorized");
  g_assert_cmpuint (challenge->www_authenticate->len, ==, 2);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (challenge->www_authenticate, 1),
                                   "algorithm=SHA-256"));
  g_assert_cmpint (challenge->min_expires, ==, 60);
  g_assert_cmpint (challenge->max_expires, ==, 3600);

  g_assert_cmpuint (ok->use_path->len, ==, 1);
  g_assert_cmpstr (((ConfabMsrpUri *) g_ptr_array_index (ok->use_path, 0))->session_id, ==,
                   "jui787s2f");
  g_assert_cmpstr (ok->authentication_info, ==, "rspauth=\"x\"");

  g_assert_cmpint (nick->method, ==, CONFAB_MSRP_METHOD_NICKNAME);
  g_assert_cmpstr (confab_msrp_message_get_header (nick, "use-nickname"), ==,
                   "\"Alice the great\"");

  g_assert_cmpint (unknown->method, ==, CONFAB_MSRP_METHOD_UNKNOWN);
  g_assert_cmpstr (unknown->method_name, ==, "FROB-2");
  g_assert_cmpuint (unknown->headers->len, ==, 2);
  g_assert_cmpstr (confab_msrp_message_get_header (unknown, "X-THING"), ==, "1");

  g_assert_cmpuint (send->from_path->len, ==, 2);
  g_assert_cmpint (send->success_report, ==, CONFAB_MSRP_REPORT_YES);
  g_assert_cmpint (send->failure_report, ==, CONFAB_MSRP_REPORT_PARTIAL);
  g_assert_cmpstr (send->content_type, ==, "text/plain; charset=utf-8");
  g_assert_cmpstr (send->content_id, ==, "<part1@example.com>");
  g_assert_cmpstr (send->content_description, ==, "greeting");
  g_assert_cmpstr (send->content_disposition, ==, "inline");
  g_assert_cmpstr (confab_msrp_message_get_header (send, "Keep-Alive"), ==, "yes");
  g_assert_cmpuint (g_bytes_get_size (send->body), ==, 16);
  g_assert_cmpmem (g_bytes_get_data (send->body, NULL), 16, "Hi, I'm Alice!\r\n", 16);

  g_assert_cmpuint (no_comment->status, ==, 403);
  g_assert_null (no_comment->comment);
}

/* The end-line is "\n-------<tid>" + flag + [CR] LF; anything else with
 * hyphens is body. */
static void
test_parse_end_line (void)
{
  static const struct {
    const char *tail; /* after the blank line */
    const char *body;
    char flag;
  } cases[] = {
    { "\r\n-------abcd$\r\n", NULL, '$' },           /* empty data, CRLF */
    { "-------abcd+\r\n", NULL, '+' },               /* empty data, no CRLF */
    { "x\n-------abcd#\n", "x", '#' },               /* bare LF */
    { "x\r\r\n-------abcd$\r\n", "x\r", '$' },       /* only one CR belongs to the framing */
    { "-------abcd\r\n-------abcd$\r\n", "-------abcd", '$' },
    { "a\r\n-------abcd$x\r\n-------abcd$\r\n", "a\r\n-------abcd$x", '$' },
    { "a\r\n-------abcde$\r\n-------abcd$\r\n", "a\r\n-------abcde$", '$' },
    { "a\r\n-------abcd$\rX\r\n-------abcd$\r\n", "a\r\n-------abcd$\rX", '$' },
    { "a\r\n-------abc$\r\n\n-------abcd$\r\n", "a\r\n-------abc$\r\n", '$' },
    { "-------zzzz$\r\n\r\n-------abcd$\r\n", "-------zzzz$\r\n", '$' },
    { "\n\n\n-------abcd$\r\n", "\n\n", '$' },
    { "----\n--------abcd$\r\n-------abcd$\r\n", "----\n--------abcd$", '$' },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text =
      g_strdup_printf ("MSRP abcd SEND\r\n" PATHS "Message-ID: m1\r\n"
                       "Content-Type: text/plain\r\n\r\n%s",
                       cases[i].tail);

    for (gsize slice = 0; slice <= 2; slice++) {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) messages = parse_sliced (text, strlen (text), slice, 0, NULL, &error);
      const ConfabMsrpMessage *m;

      g_assert_no_error (error);
      g_assert_cmpuint (messages->len, ==, 1);
      m = g_ptr_array_index (messages, 0);
      if (cases[i].body) {
        g_assert_nonnull (m->body);
        g_assert_cmpmem (g_bytes_get_data (m->body, NULL), g_bytes_get_size (m->body),
                         cases[i].body, strlen (cases[i].body));
      } else {
        g_assert_null (m->body);
      }
      g_assert_cmpint (m->continuation, ==, cases[i].flag);
    }
  }

  /* blank lines between messages are skipped; LF-only headers are read */
  {
    g_autoptr (GPtrArray) messages =
      parse_ok ("\r\n\r\nMSRP abcd 200 OK\n" TO FROM "-------abcd$\n\r\n\n"
                "MSRP efgh 200 OK\r\n" PATHS "-------efgh$\r\n");

    g_assert_cmpuint (messages->len, ==, 2);
  }
}

static void
test_parse_malformed (void)
{
  static const struct {
    const char *text;
    ConfabMsrpError code;
  } cases[] = {
    /* start line */
    { "GET / HTTP/1.1\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "\x16\x03\x01\x02\x00", CONFAB_MSRP_ERROR_MALFORMED },
    { "msrp abcd SEND\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd send\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND now\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd \r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "\rMSRP abcd SEND\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    /* transaction ids: 4-32 of ALPHANUM . - + % =, starting ALPHANUM */
    { "MSRP abc SEND\r\n", CONFAB_MSRP_ERROR_TRANSACTION_ID },
    { "MSRP 0123456789abcdef0123456789abcdefX SEND\r\n", CONFAB_MSRP_ERROR_TRANSACTION_ID },
    { "MSRP ab_cd SEND\r\n", CONFAB_MSRP_ERROR_TRANSACTION_ID },
    { "MSRP .abcd SEND\r\n", CONFAB_MSRP_ERROR_TRANSACTION_ID },
    { "MSRP  abcd SEND\r\n", CONFAB_MSRP_ERROR_TRANSACTION_ID },
    { "MSRP ab\xc3\xa9z SEND\r\n", CONFAB_MSRP_ERROR_TRANSACTION_ID },
    /* status codes */
    { "MSRP abcd 20 OK\r\n", CONFAB_MSRP_ERROR_STATUS },
    { "MSRP abcd 2000\r\n", CONFAB_MSRP_ERROR_STATUS },
    { "MSRP abcd 099 Low\r\n", CONFAB_MSRP_ERROR_STATUS },
    { "MSRP abcd 2x0 OK\r\n", CONFAB_MSRP_ERROR_STATUS },
    { "MSRP abcd 200OK\r\n", CONFAB_MSRP_ERROR_STATUS },
    /* headers */
    { "MSRP abcd SEND\r\n" TO "From-Path msrp://h/s;tcp\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" TO ": x\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" TO "Bad Name: x\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" TO " folded: x\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" TO "X: a\x01z\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" TO "X: a\rz\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" TO "X: a\x7fz\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" TO TO, CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\nTo-Path: http://h/s\r\n", CONFAB_MSRP_ERROR_URI },
    { "MSRP abcd SEND\r\nTo-Path: \r\n", CONFAB_MSRP_ERROR_URI },
    { "MSRP abcd SEND\r\n" PATHS "Message-ID: a_b\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" PATHS "Message-ID: a\r\nMessage-ID: b\r\n",
      CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" PATHS "Success-Report: partial\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" PATHS "Failure-Report: maybe\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" PATHS "Expires: -1\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" PATHS "Expires: 99999999999\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd SEND\r\n" PATHS "Content-Type: text\r\n", CONFAB_MSRP_ERROR_MALFORMED },
    { "MSRP abcd REPORT\r\n" PATHS "Status: 200\r\n", CONFAB_MSRP_ERROR_STATUS },
    { "MSRP abcd REPORT\r\n" PATHS "Status: 000 20 OK\r\n", CONFAB_MSRP_ERROR_STATUS },
    { "MSRP abcd REPORT\r\n" PATHS "Status: 000 200OK\r\n", CONFAB_MSRP_ERROR_STATUS },
    /* Byte-Range */
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 0-5/10\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 5-3/10\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 1-20/10\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 12-*/10\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: a-5/10\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 1-5\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 1-5/x\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 1- 5/10\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: -1-5/10\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: *-5/10\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 1-5/10/2\r\n", CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 18446744073709551616-*/*\r\n",
      CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 9223372036854775808-*/*\r\n",
      CONFAB_MSRP_ERROR_BYTE_RANGE },
    { "MSRP abcd SEND\r\n" PATHS "Byte-Range: 1-5/10\r\nByte-Range: 1-5/10\r\n",
      CONFAB_MSRP_ERROR_MALFORMED },
    /* missing headers */
    { "MSRP abcd SEND\r\n" FROM "Message-ID: m\r\n-------abcd$\r\n",
      CONFAB_MSRP_ERROR_MISSING_HEADER },
    { "MSRP abcd SEND\r\n" TO "Message-ID: m\r\n\r\nbody\r\n-------abcd$\r\n",
      CONFAB_MSRP_ERROR_MISSING_HEADER },
    { "MSRP abcd SEND\r\n" PATHS "-------abcd$\r\n", CONFAB_MSRP_ERROR_MISSING_HEADER },
    { "MSRP abcd REPORT\r\n" PATHS "Message-ID: m\r\n-------abcd$\r\n",
      CONFAB_MSRP_ERROR_MISSING_HEADER },
    { "MSRP abcd 200 OK\r\n" TO "-------abcd$\r\n", CONFAB_MSRP_ERROR_MISSING_HEADER },
    /* end-lines */
    { "MSRP abcd 200 OK\r\n" PATHS "-------efgh$\r\n", CONFAB_MSRP_ERROR_END_LINE },
    { "MSRP abcd 200 OK\r\n" PATHS "-------abcd\r\n", CONFAB_MSRP_ERROR_END_LINE },
    { "MSRP abcd 200 OK\r\n" PATHS "-------abcd$$\r\n", CONFAB_MSRP_ERROR_END_LINE },
    { "MSRP abcd 200 OK\r\n" PATHS "-------abcd!\r\n", CONFAB_MSRP_ERROR_END_LINE },
    { "MSRP abcd 200 OK\r\n" PATHS "-------\r\n", CONFAB_MSRP_ERROR_END_LINE },
    { "MSRP abcd 200 OK\r\n" PATHS "MSRP efgh 200 OK\r\n", CONFAB_MSRP_ERROR_END_LINE },
    /* the stream ends inside a message */
    { "MSRP abcd SEND\r\n" PATHS "Message-ID: m\r\n\r\nhello\r\n-------abcd",
      CONFAB_MSRP_ERROR_CLOSED },
    { "MSRP abcd SEND\r\n" PATHS "Message-ID: m\r\n\r\nhello\r\n-------efgh$\r\n",
      CONFAB_MSRP_ERROR_CLOSED },
    { "MSRP abcd 200 OK\r\n" PATHS, CONFAB_MSRP_ERROR_CLOSED },
    { "MSRP ab", CONFAB_MSRP_ERROR_CLOSED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    parse_fails (cases[i].text, cases[i].code);

  /* NUL bytes in the start line and in a header */
  parse_fails_len ("MSRP ab\0d SEND\r\n", 16, CONFAB_MSRP_ERROR_MALFORMED);
  parse_fails_len ("MSRP abcd SEND\r\nX: a\0b\r\n", 24, CONFAB_MSRP_ERROR_MALFORMED);
  parse_fails_len ("M\0", 2, CONFAB_MSRP_ERROR_MALFORMED);
}

/* After an error the parser stays failed; messages before it remain. */
static void
test_parse_after_error (void)
{
  const char *text = "MSRP abcd 200 OK\r\n" PATHS "-------abcd$\r\n"
                     "MSRP efgh 200 OK\r\n" PATHS "-------abcd$\r\n"
                     "MSRP ijkl 200 OK\r\n" PATHS "-------ijkl$\r\n";
  g_autoptr (ConfabMsrpParser) parser = confab_msrp_parser_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) again = NULL;
  g_autoptr (ConfabMsrpMessage) first = NULL;

  g_assert_false (confab_msrp_parser_feed (parser, (const guint8 *) text, strlen (text), &error));
  g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_END_LINE);
  g_assert_true (confab_msrp_parser_has_failed (parser));
  g_assert_cmpuint (confab_msrp_parser_get_n_pending (parser), ==, 1);
  first = confab_msrp_parser_pop (parser);
  g_assert_cmpstr (first->transaction_id, ==, "abcd");
  g_assert_null (confab_msrp_parser_pop (parser));
  g_assert_false (confab_msrp_parser_feed (parser, (const guint8 *) "MSRP ", 5, &again));
  g_assert_error (again, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_END_LINE);
  g_assert_cmpstr (again->message, ==, error->message);
  g_clear_error (&again);
  g_assert_false (confab_msrp_parser_feed (parser, NULL, 0, &again));
  g_clear_error (&again);
  g_assert_false (confab_msrp_parser_finish (parser, &again));
  g_assert_false (confab_msrp_parser_is_idle (parser));
}

static void
test_parse_state (void)
{
  const char *text = "MSRP abcd SEND\r\n" PATHS "Message-ID: m\r\nContent-Type: a/b\r\n\r\nxyz";
  g_autoptr (ConfabMsrpParser) parser = confab_msrp_parser_new (NULL);
  g_autoptr (ConfabMsrpMessage) m = NULL;

  g_assert_true (confab_msrp_parser_is_idle (parser));
  g_assert_null (confab_msrp_parser_get_transaction_id (parser));
  g_assert_true (confab_msrp_parser_feed (parser, (const guint8 *) text, strlen (text), NULL));
  g_assert_false (confab_msrp_parser_is_idle (parser));
  g_assert_cmpstr (confab_msrp_parser_get_transaction_id (parser), ==, "abcd");
  g_assert_cmpuint (confab_msrp_parser_get_buffered (parser), ==, 3);
  g_assert_null (confab_msrp_parser_pop (parser));
  g_assert_true (confab_msrp_parser_feed (parser, (const guint8 *) "\r\n-------abcd$\r\n", 16,
                                          NULL));
  m = confab_msrp_parser_pop (parser);
  g_assert_nonnull (m);
  g_assert_true (confab_msrp_parser_is_idle (parser));
  g_assert_true (confab_msrp_parser_finish (parser, NULL));
}

static GString *
send_head (const char *tid)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "MSRP %s SEND\r\n" PATHS "Message-ID: big\r\n"
                          "Byte-Range: 1-*/*\r\nContent-Type: application/octet-stream\r\n\r\n",
                          tid);
  return s;
}

/* A 10 MB chunk without an end-line fails once the body limit is passed,
 * without holding 10 MB. */
static void
test_limits_body (void)
{
  g_autoptr (ConfabMsrpParser) parser = confab_msrp_parser_new (NULL);
  g_autoptr (GError) error = NULL;
  GString *head = send_head ("big1");
  g_autofree guint8 *block = g_malloc (65536);
  gsize fed = 0;
  gboolean ok = TRUE;

  memset (block, 'x', 65536);
  for (guint i = 0; i < 65536; i += 1000)
    block[i] = '\n';
  g_assert_true (confab_msrp_parser_feed (parser, (const guint8 *) head->str, head->len, NULL));
  while (ok && fed < 10 * 1000 * 1000) {
    ok = confab_msrp_parser_feed (parser, block, 65536, &error);
    fed += 65536;
    g_assert_cmpuint (confab_msrp_parser_get_buffered (parser), <=,
                      CONFAB_MSRP_DEFAULT_MAX_BODY + 64);
  }
  g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE);
  g_assert_cmpuint (fed, <=, CONFAB_MSRP_DEFAULT_MAX_BODY + 65536);
  g_assert_true (confab_msrp_parser_has_failed (parser));
  g_string_free (head, TRUE);

  /* exactly at a small limit passes, one byte more fails, fed either way */
  for (guint extra = 0; extra <= 1; extra++) {
    ConfabMsrpLimits limits;
    GString *text = send_head ("lim1");
    g_autoptr (GPtrArray) messages = NULL;
    g_autoptr (GError) limit_error = NULL;

    confab_msrp_limits_init_default (&limits);
    limits.max_body = 1000;
    for (guint i = 0; i < 1000 + extra; i++)
      g_string_append_c (text, i % 50 == 49 ? '\n' : '-');
    g_string_append (text, "\r\n-------lim1$\r\n");
    for (gsize slice = 0; slice <= 1; slice++) {
      g_clear_pointer (&messages, g_ptr_array_unref);
      g_clear_error (&limit_error);
      messages = parse_sliced (text->str, text->len, slice, 0, &limits, &limit_error);
      if (extra) {
        g_assert_error (limit_error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE);
      } else {
        g_assert_no_error (limit_error);
        g_assert_cmpuint (messages->len, ==, 1);
        g_assert_cmpuint (confab_msrp_message_get_body_length (g_ptr_array_index (messages, 0)),
                          ==, 1000);
      }
    }
    g_string_free (text, TRUE);
  }
}

static void
test_limits_headers (void)
{
  GString *flood = g_string_new ("MSRP abcd SEND\r\n" PATHS);
  GString *long_line = g_string_new ("MSRP abcd SEND\r\n" PATHS "X-Long: ");
  GString *long_start = g_string_new ("MSRP abcd 200 ");
  GString *block = g_string_new ("MSRP abcd SEND\r\n" PATHS);
  GString *ok = g_string_new ("MSRP abcd 200 OK\r\n" PATHS);

  for (guint i = 0; i < CONFAB_MSRP_DEFAULT_MAX_HEADERS; i++)
    g_string_append_printf (flood, "X-Flood-%u: %u\r\n", i, i);
  parse_fails (flood->str, CONFAB_MSRP_ERROR_TOO_LARGE);

  for (guint i = 0; i < CONFAB_MSRP_DEFAULT_MAX_LINE; i++)
    g_string_append_c (long_line, 'a');
  parse_fails (long_line->str, CONFAB_MSRP_ERROR_TOO_LARGE);

  for (guint i = 0; i < CONFAB_MSRP_DEFAULT_MAX_LINE; i++)
    g_string_append_c (long_start, 'a');
  parse_fails (long_start->str, CONFAB_MSRP_ERROR_TOO_LARGE);

  for (guint i = 0; i < 60; i++) {
    g_string_append_printf (block, "X-Block-%u: ", i);
    for (guint j = 0; j < 1200; j++)
      g_string_append_c (block, 'b');
    g_string_append (block, "\r\n");
  }
  parse_fails (block->str, CONFAB_MSRP_ERROR_TOO_LARGE);

  /* 62 headers beside the two paths is the most that passes */
  for (guint i = 0; i < CONFAB_MSRP_DEFAULT_MAX_HEADERS - 2; i++)
    g_string_append_printf (ok, "X-Ok-%u: %u\r\n", i, i);
  g_string_append (ok, "-------abcd$\r\n");
  g_ptr_array_unref (parse_ok (ok->str));

  g_string_free (flood, TRUE);
  g_string_free (long_line, TRUE);
  g_string_free (long_start, TRUE);
  g_string_free (block, TRUE);
  g_string_free (ok, TRUE);
}

/* A body full of near end-lines, fed one byte at a time: linear time (a
 * rescan per byte would take minutes here). */
static void
test_parse_no_rescan (void)
{
  GString *text = send_head ("0123456789abcdef0123456789abcdef");
  g_autoptr (GPtrArray) messages = NULL;
  g_autoptr (GError) error = NULL;

  while (text->len < 2 * 1024 * 1024)
    g_string_append (text, "\r\n-------0123456789abcdef0123456789abcde");
  g_string_append (text, "\r\n-------0123456789abcdef0123456789abcdef+\r\n");
  messages = parse_sliced (text->str, text->len, 1, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (messages->len, ==, 1);
  g_assert_cmpint (((ConfabMsrpMessage *) g_ptr_array_index (messages, 0))->continuation, ==,
                   '+');
  g_string_free (text, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/msrp/uri/parse", test_uri_parse);
  g_test_add_func ("/msrp/uri/compare", test_uri_compare);
  g_test_add_func ("/msrp/uri/path", test_path);
  g_test_add_func ("/msrp/parse/wire-samples", test_parse_wire_samples);
  g_test_add_func ("/msrp/parse/wire-details", test_parse_wire_details);
  g_test_add_func ("/msrp/parse/requests", test_parse_requests);
  g_test_add_func ("/msrp/parse/end-line", test_parse_end_line);
  g_test_add_func ("/msrp/parse/malformed", test_parse_malformed);
  g_test_add_func ("/msrp/parse/after-error", test_parse_after_error);
  g_test_add_func ("/msrp/parse/state", test_parse_state);
  g_test_add_func ("/msrp/parse/no-rescan", test_parse_no_rescan);
  g_test_add_func ("/msrp/limits/body", test_limits_body);
  g_test_add_func ("/msrp/limits/headers", test_limits_headers);

  return g_test_run ();
}
