/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-serializer.h"
#include "confab-msrp-private.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Printing checks what the parser checks, so that every message we print
 * reads back the same (the fuzz target holds us to it). */

#define TRANSACTION_ID_LENGTH 16 /* 95 bits of letters and digits */
#define MESSAGE_ID_LENGTH     20
#define SESSION_ID_LENGTH     20

static gboolean G_GNUC_PRINTF (2, 3)
fail (GError    **error,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID,
               _("Cannot send this MSRP message: %s"), message);
  return FALSE;
}

static const guint8 *
find_bytes (const guint8 *haystack,
            gsize         haystack_length,
            const char   *needle,
            gsize         needle_length)
{
  const guint8 *p = haystack;
  const guint8 *end = haystack + haystack_length;

  if (needle_length == 0 || haystack_length < needle_length)
    return NULL;
  while ((gsize) (end - p) >= needle_length) {
    p = memchr (p, needle[0], (end - p) - needle_length + 1);
    if (!p)
      return NULL;
    if (memcmp (p, needle, needle_length) == 0)
      return p;
    p++;
  }
  return NULL;
}

/* RFC 4975 §7.1: the body must not contain the end-line; we refuse even
 * "-------<tid>" without a flag. */
gboolean
confab_msrp_body_contains_end_line (GBytes     *body,
                                    const char *transaction_id)
{
  g_autofree char *needle = NULL;
  gsize length = 0;
  const guint8 *data;

  g_return_val_if_fail (transaction_id != NULL, FALSE);

  if (!body)
    return FALSE;
  data = g_bytes_get_data (body, &length);
  needle = g_strconcat ("-------", transaction_id, NULL);
  return find_bytes (data, length, needle, strlen (needle)) != NULL;
}

static gboolean
is_method_name (const char *name)
{
  if (!name || !g_ascii_isupper (name[0]))
    return FALSE;
  for (const char *c = name; *c; c++) {
    if (!g_ascii_isupper (*c) && !g_ascii_isdigit (*c) && *c != '_' && *c != '-')
      return FALSE;
  }
  return TRUE;
}

static gboolean
validate (const ConfabMsrpMessage *m,
          GError                 **error)
{
  const ConfabMsrpByteRange *r = &m->byte_range;
  gboolean is_report = !m->is_response && m->method == CONFAB_MSRP_METHOD_REPORT;

  if (!m->transaction_id ||
      !_confab_msrp_is_ident (m->transaction_id, strlen (m->transaction_id), 4, 32))
    return fail (error, _("the transaction id is not 4 to 32 letters or digits"));
  if (m->is_response) {
    if (m->status < 100 || m->status > 999)
      return fail (error, _("the status code %u is not from 100 to 999"), m->status);
    if (m->comment && !_confab_msrp_is_header_safe (m->comment))
      return fail (error, _("the comment contains a line break"));
  } else if (!is_method_name (m->method_name)) {
    return fail (error, _("the method is not an upper-case word"));
  }
  if (m->to_path->len == 0 || m->from_path->len == 0)
    return fail (error, _("the To-Path or From-Path is empty"));
  if (!m->is_response && (m->method == CONFAB_MSRP_METHOD_SEND || is_report) && !m->message_id)
    return fail (error, _("a %s needs a Message-ID"), m->method_name);
  if (m->message_id && !_confab_msrp_is_ident (m->message_id, strlen (m->message_id), 1, 256))
    return fail (error, _("the Message-ID is not letters and digits"));
  if (is_report && !m->has_report_status)
    return fail (error, _("a REPORT needs a Status"));
  if (m->has_report_status && (m->report_status < 100 || m->report_status > 999))
    return fail (error, _("the REPORT status %u is not from 100 to 999"), m->report_status);
  if (m->has_byte_range &&
      (r->start == 0 || r->start > G_MAXINT64 ||
       (r->end != CONFAB_MSRP_UNKNOWN && (r->end > G_MAXINT64 || r->end + 1 < r->start)) ||
       (r->total != CONFAB_MSRP_UNKNOWN &&
        (r->total > G_MAXINT64 || r->start > r->total + 1 ||
         (!is_report && r->end != CONFAB_MSRP_UNKNOWN && r->end > r->total)))))
    return fail (error, _("the Byte-Range is not consistent"));
  if (m->continuation != CONFAB_MSRP_CONTINUATION_COMPLETE &&
      m->continuation != CONFAB_MSRP_CONTINUATION_MORE &&
      m->continuation != CONFAB_MSRP_CONTINUATION_ABORT)
    return fail (error, _("the continuation flag is not '$', '+' or '#'"));
  if (confab_msrp_body_contains_end_line (m->body, m->transaction_id))
    return fail (error, _("the body contains the end-line of transaction %s"),
                 m->transaction_id);
  return TRUE;
}

/**
 * confab_msrp_message_serialize:
 * @head: (out): start line, headers and, with a body, the blank line
 * @tail: (out): the end-line, with the CRLF that ends a body
 *
 * Prints @message as head + body + tail, so that a transport can write the
 * body from its own GBytes without a copy (g_output_stream_writev_all()).
 *
 * Returns: %FALSE with a %CONFAB_MSRP_ERROR_INVALID @error when @message
 *   could not be read back (bad transaction id, line breaks in a header,
 *   missing paths, the end-line inside the body, ...)
 */
gboolean
confab_msrp_message_serialize (const ConfabMsrpMessage *message,
                               GBytes                 **head,
                               GBytes                 **tail,
                               GError                 **error)
{
  g_autoptr (GString) out = NULL;
  gboolean has_body;

  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (head != NULL && tail != NULL, FALSE);

  if (!validate (message, error))
    return FALSE;
  out = g_string_sized_new (512);
  if (message->is_response)
    g_string_append_printf (out, "MSRP %s %03u%s%s\r\n", message->transaction_id,
                            message->status, message->comment ? " " : "",
                            message->comment ? message->comment : "");
  else
    g_string_append_printf (out, "MSRP %s %s\r\n", message->transaction_id,
                            message->method_name);
  if (!_confab_msrp_append_headers (message, out, error))
    return FALSE;
  has_body = message->body && g_bytes_get_size (message->body) > 0;
  if (has_body)
    g_string_append (out, "\r\n");
  *head = g_string_free_to_bytes (g_steal_pointer (&out));
  *tail = g_bytes_new_take (g_strdup_printf ("%s-------%s%c\r\n", has_body ? "\r\n" : "",
                                             message->transaction_id,
                                             (char) message->continuation),
                            strlen (message->transaction_id) + (has_body ? 12 : 10));
  return TRUE;
}

/**
 * confab_msrp_message_to_bytes:
 *
 * Returns: (transfer full) (nullable): the message as it goes on the wire
 */
GBytes *
confab_msrp_message_to_bytes (const ConfabMsrpMessage *message,
                              GError                 **error)
{
  g_autoptr (GBytes) head = NULL;
  g_autoptr (GBytes) tail = NULL;
  GByteArray *out;
  gsize body_length = confab_msrp_message_get_body_length (message);

  if (!confab_msrp_message_serialize (message, &head, &tail, error))
    return NULL;
  out = g_byte_array_sized_new (g_bytes_get_size (head) + body_length + g_bytes_get_size (tail));
  g_byte_array_append (out, g_bytes_get_data (head, NULL), g_bytes_get_size (head));
  if (body_length)
    g_byte_array_append (out, g_bytes_get_data (message->body, NULL), body_length);
  g_byte_array_append (out, g_bytes_get_data (tail, NULL), g_bytes_get_size (tail));
  return g_byte_array_free_to_bytes (out);
}

char *
confab_msrp_generate_transaction_id (void)
{
  return _confab_msrp_random_ident (TRANSACTION_ID_LENGTH);
}

char *
confab_msrp_generate_message_id (void)
{
  return _confab_msrp_random_ident (MESSAGE_ID_LENGTH);
}

/* For a=path URIs: letters and digits only, as peers expect. */
char *
confab_msrp_generate_session_id (void)
{
  return _confab_msrp_random_ident (SESSION_ID_LENGTH);
}

/* Gives @message a fresh transaction id that does not occur in its body. */
void
confab_msrp_message_new_transaction_id (ConfabMsrpMessage *message)
{
  g_return_if_fail (message != NULL);

  do {
    g_free (message->transaction_id);
    message->transaction_id = confab_msrp_generate_transaction_id ();
  } while (confab_msrp_body_contains_end_line (message->body, message->transaction_id));
}

/**
 * confab_msrp_message_new_request:
 * @method_name: "SEND", "AUTH", ... (upper case)
 * @to_path: (nullable): copied
 * @from_path: (nullable): copied
 *
 * Returns: (transfer full): a request with a fresh transaction id
 */
ConfabMsrpMessage *
confab_msrp_message_new_request (const char *method_name,
                                 GPtrArray  *to_path,
                                 GPtrArray  *from_path)
{
  ConfabMsrpMessage *message;

  g_return_val_if_fail (is_method_name (method_name), NULL);

  message = confab_msrp_message_new ();
  confab_msrp_message_set_method (message, method_name);
  if (to_path) {
    g_ptr_array_unref (message->to_path);
    message->to_path = confab_msrp_path_copy (to_path);
  }
  if (from_path) {
    g_ptr_array_unref (message->from_path);
    message->from_path = confab_msrp_path_copy (from_path);
  }
  confab_msrp_message_new_transaction_id (message);
  return message;
}

/**
 * confab_msrp_message_new_send:
 * @content_type: (nullable): required with a body
 * @body: (nullable): %NULL for the empty SEND that binds a connection
 *
 * A whole message in one SEND: a fresh Message-ID, Byte-Range 1-N/N, no
 * report headers (set them per stream, see INTEROP.md). Split it with
 * confab_msrp_chunker_new() when it is large.
 *
 * Returns: (transfer full): the SEND
 */
ConfabMsrpMessage *
confab_msrp_message_new_send (GPtrArray  *to_path,
                              GPtrArray  *from_path,
                              const char *content_type,
                              GBytes     *body)
{
  ConfabMsrpMessage *message = confab_msrp_message_new_request ("SEND", to_path, from_path);
  gsize length = body ? g_bytes_get_size (body) : 0;

  message->message_id = confab_msrp_generate_message_id ();
  message->has_byte_range = TRUE;
  message->byte_range.start = 1;
  message->byte_range.end = length;
  message->byte_range.total = length;
  if (length)
    confab_msrp_message_set_body (message, content_type, body);
  confab_msrp_message_new_transaction_id (message);
  return message;
}

/**
 * confab_msrp_message_new_chunk:
 * @send: the SEND whose headers (paths, Message-ID, reports, MIME) the
 *   chunk repeats
 * @data: (nullable): the chunk's bytes, referenced
 * @start: 1-based offset of @data in the message
 * @total: the message's size, or %CONFAB_MSRP_UNKNOWN
 *
 * Returns: (transfer full): one chunk, Byte-Range start-end/total, with a
 *   transaction id that does not occur in @data
 */
ConfabMsrpMessage *
confab_msrp_message_new_chunk (const ConfabMsrpMessage *send,
                               GBytes                  *data,
                               guint64                  start,
                               guint64                  total,
                               ConfabMsrpContinuation   continuation)
{
  ConfabMsrpMessage *chunk;
  gsize length = data ? g_bytes_get_size (data) : 0;

  g_return_val_if_fail (send != NULL, NULL);
  g_return_val_if_fail (start >= 1, NULL);

  chunk = confab_msrp_message_copy (send);
  g_clear_pointer (&chunk->body, g_bytes_unref);
  if (length)
    chunk->body = g_bytes_ref (data);
  chunk->has_byte_range = TRUE;
  chunk->byte_range.start = start;
  chunk->byte_range.end = start + length - 1;
  chunk->byte_range.total = total;
  chunk->continuation = continuation;
  confab_msrp_message_new_transaction_id (chunk);
  return chunk;
}

/* RFC 4975 §7.2: REPORTs get no response; Failure-Report: no gets none;
 * Failure-Report: partial gets failures only. */
gboolean
confab_msrp_message_needs_response (const ConfabMsrpMessage *request,
                                    guint                    status)
{
  g_return_val_if_fail (request != NULL, FALSE);

  if (request->is_response || request->method == CONFAB_MSRP_METHOD_REPORT)
    return FALSE;
  switch (request->failure_report) {
  case CONFAB_MSRP_REPORT_NO:
    return FALSE;
  case CONFAB_MSRP_REPORT_PARTIAL:
    return status != 200;
  case CONFAB_MSRP_REPORT_UNSET:
  case CONFAB_MSRP_REPORT_YES:
  default:
    return TRUE;
  }
}

/**
 * confab_msrp_message_needs_report:
 *
 * RFC 4975 §7.1.2: for @status 200, whether the sender asked for a success
 * REPORT (Success-Report: yes); for a failure, whether it accepts failure
 * REPORTs (Failure-Report yes, partial or absent). A failure found while
 * answering the request goes in the response; a REPORT is for failures
 * found later (a message that cannot be reassembled, an abort, a timeout).
 */
gboolean
confab_msrp_message_needs_report (const ConfabMsrpMessage *request,
                                  guint                    status)
{
  g_return_val_if_fail (request != NULL, FALSE);

  return status == 200 ? confab_msrp_message_wants_success_report (request)
                       : confab_msrp_message_wants_failure_report (request);
}

/* The range of a received SEND as its body says: start to start + length
 * - 1 (the end a sender writes may be '*' or miscounted). */
void
confab_msrp_message_get_received_range (const ConfabMsrpMessage *request,
                                        ConfabMsrpByteRange     *range)
{
  gsize length;

  g_return_if_fail (request != NULL && range != NULL);

  length = confab_msrp_message_get_body_length (request);
  range->start = request->has_byte_range ? request->byte_range.start : 1;
  /* what a Byte-Range can say; only a hostile start gets near it */
  range->end = length > (guint64) G_MAXINT64 - range->start + 1 ? (guint64) G_MAXINT64
                                                                : range->start + length - 1;
  range->total = request->has_byte_range ? request->byte_range.total : length;
}

const char *
confab_msrp_status_to_string (guint status)
{
  switch (status) {
  case 200:
    return "OK";
  case 400:
    return "Bad Request";
  case 401:
    return "Unauthorized";
  case 403:
    return "Forbidden";
  case 408:
    return "Request Timeout";
  case 413:
    return "Message Too Large";
  case 415:
    return "Unsupported Media Type";
  case 423:
    return "Interval Out-of-Bounds";
  case 425:
    return "Nickname Already In Use";
  case 481:
    return "Session Does Not Exist";
  case 501:
    return "Unknown Method";
  case 506:
    return "Session Already Bound";
  default:
    return NULL;
  }
}

/**
 * confab_msrp_message_new_response:
 * @comment: (nullable): %NULL for the usual text of @status
 *
 * A response to a SEND goes back one hop: To-Path is the first URI of the
 * request's From-Path. Other methods (FILE_OFFSET, NICKNAME) are answered
 * end to end (RFC 4975 §7.2, as relays expect): To-Path is the whole
 * From-Path. From-Path is the first URI of the request's To-Path (us).
 *
 * Returns: (transfer full): the response; check
 *   confab_msrp_message_needs_response() before sending it
 */
ConfabMsrpMessage *
confab_msrp_message_new_response (const ConfabMsrpMessage *request,
                                  guint                    status,
                                  const char              *comment)
{
  ConfabMsrpMessage *response;

  g_return_val_if_fail (request != NULL && !request->is_response, NULL);
  g_return_val_if_fail (status >= 100 && status <= 999, NULL);

  response = confab_msrp_message_new ();
  response->is_response = TRUE;
  response->transaction_id = g_strdup (request->transaction_id);
  response->status = status;
  response->comment = g_strdup (comment ? comment : confab_msrp_status_to_string (status));
  for (guint i = 0; i < request->from_path->len; i++) {
    g_ptr_array_add (response->to_path,
                     confab_msrp_uri_copy (g_ptr_array_index (request->from_path, i)));
    if (request->method == CONFAB_MSRP_METHOD_SEND)
      break;
  }
  if (request->to_path->len > 0)
    g_ptr_array_add (response->from_path,
                     confab_msrp_uri_copy (g_ptr_array_index (request->to_path, 0)));
  return response;
}

/**
 * confab_msrp_message_new_report:
 * @request: the SEND (a chunk, or a reassembled message) reported on
 * @comment: (nullable): %NULL for the usual text of @status
 * @range: (nullable): the bytes reported on; %NULL for the bytes @request
 *   carried (confab_msrp_message_get_received_range())
 *
 * A REPORT goes back end to end: To-Path is the request's whole From-Path,
 * From-Path the first URI of its To-Path (us); Status 000 @status.
 *
 * Returns: (transfer full): the REPORT; check
 *   confab_msrp_message_needs_report() before sending it
 */
ConfabMsrpMessage *
confab_msrp_message_new_report (const ConfabMsrpMessage   *request,
                                guint                      status,
                                const char                *comment,
                                const ConfabMsrpByteRange *range)
{
  ConfabMsrpMessage *report;
  g_autoptr (GPtrArray) from = confab_msrp_path_new ();

  g_return_val_if_fail (request != NULL && !request->is_response, NULL);
  g_return_val_if_fail (status >= 100 && status <= 999, NULL);

  if (request->to_path->len > 0)
    g_ptr_array_add (from, confab_msrp_uri_copy (g_ptr_array_index (request->to_path, 0)));
  report = confab_msrp_message_new_request ("REPORT", request->from_path, from);
  report->message_id = g_strdup (request->message_id);
  report->has_byte_range = TRUE;
  if (range)
    report->byte_range = *range;
  else
    confab_msrp_message_get_received_range (request, &report->byte_range);
  report->has_report_status = TRUE;
  report->report_namespace = 0;
  report->report_status = status;
  report->report_comment = g_strdup (comment ? comment : confab_msrp_status_to_string (status));
  return report;
}

struct _ConfabMsrpChunker
{
  ConfabMsrpMessage *send;  /* headers to repeat, without the body */
  GBytes            *body;  /* or NULL */
  gsize              chunk_size;
  guint64            offset; /* bytes handed out */
  gboolean           done;
};

/**
 * confab_msrp_chunker_new:
 * @send: a SEND carrying the whole message (confab_msrp_message_new_send())
 * @chunk_size: bytes per chunk; 0 for %CONFAB_MSRP_DEFAULT_CHUNK_SIZE
 *
 * Returns: (transfer full): a chunker; chunks share @send's body (no copies)
 */
ConfabMsrpChunker *
confab_msrp_chunker_new (const ConfabMsrpMessage *send,
                         gsize                    chunk_size)
{
  ConfabMsrpChunker *chunker;

  g_return_val_if_fail (send != NULL && !send->is_response, NULL);

  chunker = g_new0 (ConfabMsrpChunker, 1);
  chunker->send = confab_msrp_message_copy (send);
  g_clear_pointer (&chunker->send->body, g_bytes_unref);
  chunker->body = send->body ? g_bytes_ref (send->body) : NULL;
  chunker->chunk_size = chunk_size ? chunk_size : CONFAB_MSRP_DEFAULT_CHUNK_SIZE;
  return chunker;
}

void
confab_msrp_chunker_free (ConfabMsrpChunker *chunker)
{
  if (!chunker)
    return;
  g_clear_pointer (&chunker->send, confab_msrp_message_unref);
  g_clear_pointer (&chunker->body, g_bytes_unref);
  g_free (chunker);
}

/**
 * confab_msrp_chunker_next:
 *
 * Returns: (transfer full) (nullable): the next chunk ('+', the last '$'),
 *   %NULL when all were handed out
 */
ConfabMsrpMessage *
confab_msrp_chunker_next (ConfabMsrpChunker *chunker)
{
  g_autoptr (GBytes) piece = NULL;
  guint64 total;
  gsize length;
  gboolean last;

  g_return_val_if_fail (chunker != NULL, NULL);

  if (chunker->done)
    return NULL;
  total = chunker->body ? g_bytes_get_size (chunker->body) : 0;
  length = (gsize) MIN (total - chunker->offset, chunker->chunk_size);
  if (length)
    piece = g_bytes_new_from_bytes (chunker->body, chunker->offset, length);
  last = chunker->offset + length == total;
  chunker->offset += length;
  chunker->done = last;
  return confab_msrp_message_new_chunk (chunker->send, piece, chunker->offset - length + 1, total,
                                        last ? CONFAB_MSRP_CONTINUATION_COMPLETE
                                             : CONFAB_MSRP_CONTINUATION_MORE);
}

/**
 * confab_msrp_chunker_abort:
 *
 * Returns: (transfer full) (nullable): an empty chunk ending in '#' that
 *   tells the receiver the message is abandoned; %NULL when it was complete
 */
ConfabMsrpMessage *
confab_msrp_chunker_abort (ConfabMsrpChunker *chunker)
{
  guint64 total;

  g_return_val_if_fail (chunker != NULL, NULL);

  if (chunker->done)
    return NULL;
  chunker->done = TRUE;
  total = chunker->body ? g_bytes_get_size (chunker->body) : 0;
  return confab_msrp_message_new_chunk (chunker->send, NULL, chunker->offset + 1, total,
                                        CONFAB_MSRP_CONTINUATION_ABORT);
}

gboolean
confab_msrp_chunker_is_done (ConfabMsrpChunker *chunker)
{
  g_return_val_if_fail (chunker != NULL, TRUE);

  return chunker->done;
}

/* Bytes of the body handed out in chunks so far. */
guint64
confab_msrp_chunker_get_offset (ConfabMsrpChunker *chunker)
{
  g_return_val_if_fail (chunker != NULL, 0);

  return chunker->offset;
}
