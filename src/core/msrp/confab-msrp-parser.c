/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-parser.h"
#include "confab-msrp-private.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* The incremental MSRP parser (RFC 4975 §7). Lines of the start line and
 * headers are gathered in a small buffer and handled as they complete. A
 * body is copied once, from the caller's slice into the chunk's own buffer,
 * while a matcher looks for "\n-------<tid>" + flag + [CR] LF: the marker
 * contains '\n' only at its start, so a mismatch restarts the match at most
 * one byte later and the scan stays linear whatever the slice sizes; while
 * nothing matches, memchr() skips to the next '\n'. Bytes after an end-line
 * are read from the caller's slice, never moved. */

typedef enum
{
  STATE_START,   /* before a start line; blank lines are skipped */
  STATE_HEADERS,
  STATE_BODY,
  STATE_FAILED,
} State;

#define MARKER_MAX (8 + 32) /* "\n-------" + a transaction id */

struct _ConfabMsrpParser
{
  ConfabMsrpLimits   limits;
  State              state;
  GQueue             ready;        /* ConfabMsrpMessage*, complete */
  GError            *failure;      /* the first error, returned again */

  GString           *line;         /* start line or header line being read */
  guint              prefix_matched; /* bytes of "MSRP " seen on the start line */
  gsize              header_bytes; /* start line and headers of this message */
  guint              n_headers;
  ConfabMsrpMessage *message;      /* being read */

  char               marker[MARKER_MAX + 1];
  gsize              marker_length;
  guint8            *body;
  gsize              body_length;
  gsize              body_capacity;
  gsize              match;        /* marker bytes matched, then flag, then CR */
  gint64             match_start;  /* body offset of the marker's '\n'; -1 for the blank line's */
  char               flag;
};

void
confab_msrp_limits_init_default (ConfabMsrpLimits *limits)
{
  g_return_if_fail (limits != NULL);

  limits->max_line = CONFAB_MSRP_DEFAULT_MAX_LINE;
  limits->max_headers = CONFAB_MSRP_DEFAULT_MAX_HEADERS;
  limits->max_header_block = CONFAB_MSRP_DEFAULT_MAX_HEADER_BLOCK;
  limits->max_body = CONFAB_MSRP_DEFAULT_MAX_BODY;
}

static gboolean G_GNUC_PRINTF (4, 5)
fail (ConfabMsrpParser *p,
      GError          **error,
      ConfabMsrpError   code,
      const char       *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (!p->failure)
    p->failure = g_error_new (CONFAB_MSRP_ERROR, code, _("Invalid MSRP data: %s"), message);
  p->state = STATE_FAILED;
  if (error)
    *error = g_error_copy (p->failure);
  return FALSE;
}

static void
reset_message (ConfabMsrpParser *p)
{
  g_clear_pointer (&p->message, confab_msrp_message_unref);
  g_clear_pointer (&p->body, g_free);
  p->body_length = 0;
  p->body_capacity = 0;
  p->header_bytes = 0;
  p->n_headers = 0;
  p->match = 0;
  p->match_start = -1;
  p->marker_length = 0;
  p->prefix_matched = 0;
  g_string_truncate (p->line, 0);
}

/**
 * confab_msrp_parser_new:
 * @limits: (nullable): bounds; %NULL for the defaults
 *
 * Returns: (transfer full): a parser for one direction of a connection
 */
ConfabMsrpParser *
confab_msrp_parser_new (const ConfabMsrpLimits *limits)
{
  ConfabMsrpParser *p = g_new0 (ConfabMsrpParser, 1);

  if (limits)
    p->limits = *limits;
  else
    confab_msrp_limits_init_default (&p->limits);
  /* A start line must fit, and a body limit of 0 still allows empty SENDs. */
  p->limits.max_line = MAX (p->limits.max_line, 128);
  p->limits.max_header_block = MAX (p->limits.max_header_block, p->limits.max_line);
  p->limits.max_body = MIN (p->limits.max_body, (gsize) G_MAXSIZE / 4);
  g_queue_init (&p->ready);
  p->line = g_string_sized_new (128);
  p->match_start = -1;
  return p;
}

void
confab_msrp_parser_free (ConfabMsrpParser *p)
{
  if (!p)
    return;
  reset_message (p);
  g_queue_clear_full (&p->ready, (GDestroyNotify) confab_msrp_message_unref);
  g_string_free (p->line, TRUE);
  g_clear_error (&p->failure);
  g_free (p);
}

static gboolean
check_line_chars (ConfabMsrpParser *p,
                  const char       *line,
                  gsize             length,
                  GError          **error)
{
  for (gsize i = 0; i < length; i++) {
    guchar c = line[i];

    if (c == '\0')
      return fail (p, error, CONFAB_MSRP_ERROR_MALFORMED, _("a NUL byte in the headers"));
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      return fail (p, error, CONFAB_MSRP_ERROR_MALFORMED,
                   _("a control character (0x%02x) in the headers"), c);
  }
  return TRUE;
}

/* MSRP SP transact-id SP (method | status-code [SP comment]) */
static gboolean
parse_start_line (ConfabMsrpParser *p,
                  const char       *line,
                  gsize             length,
                  GError          **error)
{
  const char *end = line + length;
  const char *tid = line + 5;
  const char *space = memchr (tid, ' ', end - tid);
  const char *rest;
  gsize tid_length, rest_length;
  g_autoptr (ConfabMsrpMessage) message = NULL;

  if (!space)
    return fail (p, error, CONFAB_MSRP_ERROR_MALFORMED,
                 _("the start line has no method or status code"));
  tid_length = space - tid;
  if (!_confab_msrp_is_ident (tid, tid_length, 4, 32))
    return fail (p, error, CONFAB_MSRP_ERROR_TRANSACTION_ID,
                 _("the transaction id is not 4 to 32 letters, digits or “.-+%%=”"));

  message = confab_msrp_message_new ();
  message->transaction_id = g_strndup (tid, tid_length);
  rest = space + 1;
  rest_length = end - rest;
  if (rest_length > 0 && g_ascii_isdigit (rest[0])) {
    guint64 status;

    if (rest_length < 3 || (rest_length > 3 && rest[3] != ' ') ||
        !_confab_msrp_parse_uint (rest, 3, 999, &status) || status < 100)
      return fail (p, error, CONFAB_MSRP_ERROR_STATUS,
                   _("the status code is not a number from 100 to 999"));
    message->is_response = TRUE;
    message->status = (guint) status;
    if (rest_length > 4)
      message->comment = g_strndup (rest + 4, rest_length - 4);
  } else {
    g_autofree char *method = NULL;

    if (rest_length == 0 || !g_ascii_isupper (rest[0]))
      return fail (p, error, CONFAB_MSRP_ERROR_MALFORMED,
                   _("the method is not an upper-case word"));
    for (gsize i = 0; i < rest_length; i++) {
      if (!g_ascii_isupper (rest[i]) && !g_ascii_isdigit (rest[i]) && rest[i] != '_' &&
          rest[i] != '-')
        return fail (p, error, CONFAB_MSRP_ERROR_MALFORMED,
                     _("the method is not an upper-case word"));
    }
    method = g_strndup (rest, rest_length);
    confab_msrp_message_set_method (message, method);
  }

  p->marker_length = 8 + tid_length;
  memcpy (p->marker, "\n-------", 8);
  memcpy (p->marker + 8, tid, tid_length);
  p->marker[p->marker_length] = '\0';
  p->message = g_steal_pointer (&message);
  p->state = STATE_HEADERS;
  return TRUE;
}

/* RFC 4975 §7.1: requests carry both paths; SEND a Message-ID; REPORT a
 * Message-ID and a Status. Responses carry both paths too. */
static gboolean
check_headers (ConfabMsrpParser *p,
               GError          **error)
{
  ConfabMsrpMessage *m = p->message;

  if (m->to_path->len == 0)
    return fail (p, error, CONFAB_MSRP_ERROR_MISSING_HEADER,
                 _("transaction %s has no To-Path header"), m->transaction_id);
  if (m->from_path->len == 0)
    return fail (p, error, CONFAB_MSRP_ERROR_MISSING_HEADER,
                 _("transaction %s has no From-Path header"), m->transaction_id);
  if (m->is_response)
    return TRUE;
  if ((m->method == CONFAB_MSRP_METHOD_SEND || m->method == CONFAB_MSRP_METHOD_REPORT) &&
      !m->message_id)
    return fail (p, error, CONFAB_MSRP_ERROR_MISSING_HEADER,
                 _("the %s request %s has no Message-ID header"), m->method_name,
                 m->transaction_id);
  if (m->method == CONFAB_MSRP_METHOD_REPORT && !m->has_report_status)
    return fail (p, error, CONFAB_MSRP_ERROR_MISSING_HEADER,
                 _("the REPORT %s has no Status header"), m->transaction_id);
  return TRUE;
}

static void
complete_message (ConfabMsrpParser *p,
                  char              flag)
{
  ConfabMsrpMessage *m = g_steal_pointer (&p->message);

  m->continuation = (ConfabMsrpContinuation) flag;
  if (p->body_length > 0) {
    /* Give back what the Byte-Range estimate over-allocated. */
    if (p->body_capacity > p->body_length + 4096)
      p->body = g_realloc (p->body, p->body_length);
    m->body = g_bytes_new_take (g_steal_pointer (&p->body), p->body_length);
  }
  g_queue_push_tail (&p->ready, m);
  reset_message (p);
  p->state = STATE_START;
}

/* A line of the header section starting with "-------": the end of a
 * message without a body. */
static gboolean
parse_end_line (ConfabMsrpParser *p,
                const char       *line,
                gsize             length,
                GError          **error)
{
  const char *tid = p->message->transaction_id;
  gsize tid_length = p->marker_length - 8;

  if (length != 7 + tid_length + 1 || memcmp (line + 7, tid, tid_length) != 0) {
    if (length > 8 && _confab_msrp_is_ident (line + 7, length - 8, 1, 32) &&
        strchr ("$+#", line[length - 1]))
      return fail (p, error, CONFAB_MSRP_ERROR_END_LINE,
                   _("an end-line for another transaction (%.*s) ends transaction %s"),
                   (int) (length - 8), line + 7, tid);
    return fail (p, error, CONFAB_MSRP_ERROR_END_LINE,
                 _("a malformed end-line in transaction %s"), tid);
  }
  if (!strchr ("$+#", line[length - 1]))
    return fail (p, error, CONFAB_MSRP_ERROR_END_LINE,
                 _("the end-line of transaction %s has no '$', '+' or '#' flag"), tid);
  if (!check_headers (p, error))
    return FALSE;
  complete_message (p, line[length - 1]);
  return TRUE;
}

static void
start_body (ConfabMsrpParser *p)
{
  const ConfabMsrpMessage *m = p->message;
  guint64 hint = 0;

  /* Size the buffer from the Byte-Range when it says; capped, since a peer
   * may claim any size. */
  if (m->has_byte_range) {
    const ConfabMsrpByteRange *r = &m->byte_range;

    if (r->end != CONFAB_MSRP_UNKNOWN && r->end >= r->start)
      hint = r->end - r->start + 1;
    else if (r->total != CONFAB_MSRP_UNKNOWN && r->total >= r->start)
      hint = r->total - r->start + 1;
  }
  hint = MIN (hint + 2 + p->marker_length + 2, MIN (p->limits.max_body, 1024 * 1024));
  p->body_capacity = MAX (hint, 256);
  p->body = g_malloc (p->body_capacity);
  p->body_length = 0;
  /* The blank line's LF stands for the marker's, so that an end-line right
   * after it ends an empty body. */
  p->match = 1;
  p->match_start = -1;
  p->state = STATE_BODY;
}

static gboolean
handle_line (ConfabMsrpParser *p,
             GError          **error)
{
  const char *line = p->line->str;
  gsize length = p->line->len;
  g_autoptr (GError) local_error = NULL;

  g_assert (length > 0 && line[length - 1] == '\n');
  length--;
  if (length > 0 && line[length - 1] == '\r')
    length--;
  if (!check_line_chars (p, line, length, error))
    return FALSE;

  if (p->state == STATE_START) {
    if (length == 0)
      return TRUE;
    return parse_start_line (p, line, length, error);
  }

  if (length == 0) {
    if (!check_headers (p, error))
      return FALSE;
    start_body (p);
    return TRUE;
  }
  if (length >= 7 && memcmp (line, "-------", 7) == 0)
    return parse_end_line (p, line, length, error);
  if (length >= 5 && memcmp (line, "MSRP ", 5) == 0)
    return fail (p, error, CONFAB_MSRP_ERROR_END_LINE,
                 _("a new message started before the end-line of transaction %s"),
                 p->message->transaction_id);
  if (++p->n_headers > p->limits.max_headers)
    return fail (p, error, CONFAB_MSRP_ERROR_TOO_LARGE, _("more than %u header lines"),
                 p->limits.max_headers);
  if (!_confab_msrp_parse_header (p->message, line, length, &local_error)) {
    p->failure = g_steal_pointer (&local_error);
    p->state = STATE_FAILED;
    if (error)
      *error = g_error_copy (p->failure);
    return FALSE;
  }
  return TRUE;
}

/* Reads start line and header bytes; returns how many it used. */
static gsize
feed_lines (ConfabMsrpParser *p,
            const guint8     *data,
            gsize             length,
            GError          **error)
{
  const guint8 *newline = memchr (data, '\n', length);
  gsize take = newline ? (gsize) (newline - data) + 1 : length;
  /* Each bound fails at the byte that crosses it, so that how a stream
   * fails does not depend on how it was sliced. */
  gsize line_room = p->limits.max_line + 2 - p->line->len;
  gsize block_room = p->limits.max_header_block - p->header_bytes - p->line->len;
  gsize room = MIN (line_room, block_room);

  if (p->state == STATE_START) {
    /* Fail fast on a stream that is not MSRP (TLS into a TCP port, HTTP). */
    for (gsize i = 0; i < MIN (take, room) && p->prefix_matched < 5; i++) {
      if (p->prefix_matched == 0 && (data[i] == '\r' || data[i] == '\n'))
        continue;
      if (data[i] != (guint8) "MSRP "[p->prefix_matched]) {
        fail (p, error, CONFAB_MSRP_ERROR_MALFORMED, _("the data does not start with “MSRP ”"));
        return 0;
      }
      p->prefix_matched++;
    }
  }
  if (take > room) {
    if (line_room <= block_room)
      fail (p, error, CONFAB_MSRP_ERROR_TOO_LARGE,
            p->state == STATE_START ? _("a start line longer than %lu bytes")
                                    : _("a header line longer than %lu bytes"),
            (gulong) p->limits.max_line);
    else
      fail (p, error, CONFAB_MSRP_ERROR_TOO_LARGE,
            _("a header section larger than %lu bytes"),
            (gulong) p->limits.max_header_block);
    return 0;
  }
  g_string_append_len (p->line, (const char *) data, take);
  if (!newline)
    return take;

  p->header_bytes += p->line->len;
  if (!handle_line (p, error))
    return 0;
  g_string_truncate (p->line, 0);
  p->prefix_matched = 0;
  return take;
}

static void
append_body (ConfabMsrpParser *p,
             const guint8     *data,
             gsize             length)
{
  if (p->body_length + length > p->body_capacity) {
    gsize limit = p->limits.max_body + p->marker_length + 4;

    p->body_capacity = MAX (p->body_length + length, MIN (p->body_capacity * 2, limit));
    p->body = g_realloc (p->body, p->body_capacity);
  }
  memcpy (p->body + p->body_length, data, length);
  p->body_length += length;
}

static void
restart_match (ConfabMsrpParser *p,
               guint8            c,
               gsize             offset)
{
  p->match = 0;
  if (c == '\n') {
    p->match = 1;
    p->match_start = offset;
  }
}

/* Scans body bytes for the end-line; returns how many it used. */
static gsize
feed_body (ConfabMsrpParser *p,
           const guint8     *data,
           gsize             length,
           GError          **error)
{
  gsize base = p->body_length; /* body offset of data[0] */
  gsize scan_limit = p->limits.max_body + p->marker_length + 4;
  gsize n = MIN (length, scan_limit > base ? scan_limit - base : 0);
  gsize i = 0;
  gsize body_end;

  while (i < n) {
    guint8 c;

    if (p->match == 0) {
      const guint8 *newline = memchr (data + i, '\n', n - i);

      if (!newline) {
        i = n;
        break;
      }
      i = newline - data;
    }
    c = data[i];
    if (p->match < p->marker_length) {
      if (c == (guint8) p->marker[p->match]) {
        if (p->match == 0)
          p->match_start = base + i;
        p->match++;
      } else {
        restart_match (p, c, base + i);
      }
    } else if (p->match == p->marker_length) {
      if (c == '$' || c == '+' || c == '#') {
        p->flag = c;
        p->match++;
      } else {
        restart_match (p, c, base + i);
      }
    } else if (p->match == p->marker_length + 1 && c == '\r') {
      p->match++;
    } else if (c == '\n') {
      break;
    } else {
      restart_match (p, c, base + i);
    }
    i++;
  }

  if (i == n) {
    append_body (p, data, n);
    if (n < length) {
      fail (p, error, CONFAB_MSRP_ERROR_TOO_LARGE,
            _("transaction %s has no end-line within %lu bytes of body"),
            p->message->transaction_id, (gulong) p->limits.max_body);
      return 0;
    }
    return n;
  }

  /* data[i] ends the end-line. The body stops before the marker's LF and
   * the CR before it (both belong to the framing, RFC 4975 §7.1). */
  body_end = p->match_start < 0 ? 0 : (gsize) p->match_start;
  if (body_end > 0) {
    gsize before = body_end - 1;
    guint8 c = before < base ? p->body[before] : data[before - base];

    if (c == '\r')
      body_end--;
  }
  if (body_end > p->limits.max_body) {
    fail (p, error, CONFAB_MSRP_ERROR_TOO_LARGE,
          _("the body of transaction %s is larger than %lu bytes"),
          p->message->transaction_id, (gulong) p->limits.max_body);
    return 0;
  }
  if (body_end > base)
    append_body (p, data, body_end - base);
  else
    p->body_length = body_end;
  if (p->body_length > 0 && !p->message->content_type) {
    fail (p, error, CONFAB_MSRP_ERROR_MISSING_HEADER,
          _("transaction %s has a body but no Content-Type header"),
          p->message->transaction_id);
    return 0;
  }
  complete_message (p, p->flag);
  return i + 1;
}

/**
 * confab_msrp_parser_feed:
 * @data: (array length=length): the next bytes of the stream
 *
 * Parses @data; complete messages are then available from
 * confab_msrp_parser_pop(), also when this returns %FALSE (those before
 * the error).
 *
 * Returns: %FALSE with @error when the stream is not valid MSRP; the
 *   connection must then be closed, and every later call fails the same way
 */
gboolean
confab_msrp_parser_feed (ConfabMsrpParser *p,
                         const guint8     *data,
                         gsize             length,
                         GError          **error)
{
  g_return_val_if_fail (p != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  while (length > 0 || p->state == STATE_FAILED) {
    gsize used;

    switch (p->state) {
    case STATE_FAILED:
      if (error)
        *error = g_error_copy (p->failure);
      return FALSE;
    case STATE_START:
    case STATE_HEADERS:
      used = feed_lines (p, data, length, error);
      break;
    case STATE_BODY:
      used = feed_body (p, data, length, error);
      break;
    default:
      g_assert_not_reached ();
    }
    if (p->state == STATE_FAILED)
      return FALSE;
    data += used;
    length -= used;
  }
  return TRUE;
}

/**
 * confab_msrp_parser_pop:
 *
 * Returns: (transfer full) (nullable): the oldest complete message
 */
ConfabMsrpMessage *
confab_msrp_parser_pop (ConfabMsrpParser *p)
{
  g_return_val_if_fail (p != NULL, NULL);

  return g_queue_pop_head (&p->ready);
}

guint
confab_msrp_parser_get_n_pending (ConfabMsrpParser *p)
{
  g_return_val_if_fail (p != NULL, 0);

  return p->ready.length;
}

/**
 * confab_msrp_parser_finish:
 *
 * Call at the end of the stream.
 *
 * Returns: %FALSE when the stream ended inside a message or the parser had
 *   failed before
 */
gboolean
confab_msrp_parser_finish (ConfabMsrpParser *p,
                           GError          **error)
{
  g_return_val_if_fail (p != NULL, FALSE);

  if (p->state == STATE_FAILED) {
    if (error)
      *error = g_error_copy (p->failure);
    return FALSE;
  }
  if (p->state != STATE_START || p->line->len > 0) {
    if (p->message)
      return fail (p, error, CONFAB_MSRP_ERROR_CLOSED,
                   _("the connection closed before the end-line of transaction %s"),
                   p->message->transaction_id);
    return fail (p, error, CONFAB_MSRP_ERROR_CLOSED,
                 _("the connection closed in the middle of a start line"));
  }
  return TRUE;
}

/* TRUE once the parser has failed: the connection must be closed. */
gboolean
confab_msrp_parser_has_failed (ConfabMsrpParser *p)
{
  g_return_val_if_fail (p != NULL, TRUE);

  return p->state == STATE_FAILED;
}

/* TRUE between messages, when closing loses nothing. */
gboolean
confab_msrp_parser_is_idle (ConfabMsrpParser *p)
{
  g_return_val_if_fail (p != NULL, FALSE);

  return p->state == STATE_START && p->line->len == 0;
}

/* Bytes held for the message being read (header line and body so far). */
gsize
confab_msrp_parser_get_buffered (ConfabMsrpParser *p)
{
  g_return_val_if_fail (p != NULL, 0);

  return p->line->len + p->body_length;
}

/**
 * confab_msrp_parser_get_transaction_id:
 *
 * Returns: (nullable): the transaction being read, e.g. to answer 413 to a
 *   chunk that is too large before closing
 */
const char *
confab_msrp_parser_get_transaction_id (ConfabMsrpParser *p)
{
  g_return_val_if_fail (p != NULL, NULL);

  return p->message ? p->message->transaction_id : NULL;
}
