/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-session-private.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* The sending half of a session: messages wait in the session's queue (at
 * most CONFAB_MSRP_MAX_QUEUED_BYTES) and are cut into chunks only as the
 * connection has room, so a large file never sits in the connection's
 * write queue. Each chunk is a transaction; a message is sent when every
 * chunk got its 200 (through a relay: when the receiver REPORTed every
 * byte). The binding SEND, keep-alives and requests of other methods are
 * in confab-msrp-session-requests.c. */

#define MAX_REPORTABLE 4096 /* Message-IDs remembered for late REPORTs */
/* Chunks of one streamed message awaiting their 200 (each holds its
 * body): the window that keeps a file's memory flat on a fast link. */
#define MAX_CHUNKS_IN_FLIGHT 64
/* Through a relay the 200s are the relay's, so they say nothing of the
 * receiver: a relay queues what it cannot pass on yet, and drops the
 * connection when its queue is full (Kamailio: 32 KiB, tcp_conn_wq_max).
 * At most this many bytes are out that the receiver has not REPORTed
 * (unless it turns out to send no REPORTs at all). */
#define MAX_UNREPORTED_VIA_RELAY (256 * 1024)

#define signals _confab_msrp_session_signals

struct _ConfabMsrpOutgoing
{
  char              *message_id;
  ConfabMsrpMessage *send;    /* the whole message; paths set when chunking starts */
  ConfabMsrpChunker *chunker; /* NULL until then */
  gsize              unsent;  /* body bytes not yet handed to the connection */
  guint              outstanding; /* chunks without their response */
  gboolean           wants_responses; /* Failure-Report yes (or absent) */
  gboolean           chunked;
  GList             *unfinished_link;
  GList             *queue_link; /* in send_queue, or NULL */

  /* A streamed message (send_streamed): the body is read as it goes. */
  gboolean               streamed;
  gboolean               started;  /* a chunk went out */
  ConfabMsrpBodyReadFunc read;
  gpointer               read_data;
  GDestroyNotify         read_destroy;
  guint64                total;
  guint64                offset;    /* 0-based, next byte to read */
  guint64                confirmed; /* bytes whose chunk got its 200 */

  /* End to end through a relay (streamed, Success-Report yes): the
   * receiver REPORTs each chunk's range. */
  gboolean               relayed;
  gboolean               peer_reports; /* a success REPORT came for a chunk */
  gboolean               no_reports;   /* none came in time: the 200s are all we get */
  guint64                reported;     /* 0-based end of the REPORTed bytes */
  GSource               *report_timer; /* waiting for the receiver's REPORTs */
  ConfabMsrpSession     *session;      /* the owner, for the timer */
};

static void
stop_report_timer (ConfabMsrpOutgoing *out)
{
  if (out->report_timer) {
    g_source_destroy (out->report_timer);
    g_clear_pointer (&out->report_timer, g_source_unref);
  }
}

static void
outgoing_free (ConfabMsrpOutgoing *out)
{
  stop_report_timer (out);
  g_free (out->message_id);
  confab_msrp_message_unref (out->send);
  g_clear_pointer (&out->chunker, confab_msrp_chunker_free);
  if (out->read_destroy)
    out->read_destroy (out->read_data);
  g_free (out);
}

/* The '#' chunk for a message partly sent, or NULL. */
static ConfabMsrpMessage *
outgoing_abort_chunk (ConfabMsrpOutgoing *out)
{
  if (out->streamed) {
    if (!out->started || out->chunked)
      return NULL;
    out->chunked = TRUE;
    return confab_msrp_message_new_chunk (out->send, NULL, out->offset + 1, out->total,
                                          CONFAB_MSRP_CONTINUATION_ABORT);
  }
  if (!out->chunker || confab_msrp_chunker_is_done (out->chunker))
    return NULL;
  return confab_msrp_chunker_abort (out->chunker);
}

void
_confab_msrp_session_send_init (ConfabMsrpSession *self)
{
  self->outgoing = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) outgoing_free);
  self->reportable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->awaiting_report = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->unfinished);
  g_queue_init (&self->send_queue);
  g_queue_init (&self->reportable_order);
}

void
_confab_msrp_session_send_clear (ConfabMsrpSession *self)
{
  g_assert (self->request_tasks == NULL);
  g_queue_clear (&self->send_queue);
  g_queue_clear (&self->unfinished);
  g_queue_clear (&self->reportable_order);
  g_clear_pointer (&self->outgoing, g_hash_table_unref);
  g_clear_pointer (&self->reportable, g_hash_table_unref);
  g_clear_pointer (&self->awaiting_report, g_hash_table_unref);
}

gboolean
_confab_msrp_session_has_pending (ConfabMsrpSession *self)
{
  return !g_queue_is_empty (&self->unfinished) || g_hash_table_size (self->awaiting_report) > 0;
}

void
_confab_msrp_session_touch (ConfabMsrpSession *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static void
set_queued_bytes (ConfabMsrpSession *self,
                  gsize              queued_bytes)
{
  if (self->queued_bytes == queued_bytes)
    return;
  self->queued_bytes = queued_bytes;
  g_object_notify_by_pspec (G_OBJECT (self), _confab_msrp_session_queued_bytes_pspec);
}

static void
remember_reportable (ConfabMsrpSession *self,
                     const char        *message_id)
{
  char *id = g_strdup (message_id);

  g_hash_table_add (self->reportable, id);
  g_queue_push_tail (&self->reportable_order, id);
  if (g_queue_get_length (&self->reportable_order) > MAX_REPORTABLE)
    g_hash_table_remove (self->reportable, g_queue_pop_head (&self->reportable_order));
}

/* Takes @out out of the books; the caller emits. */
static void
forget_outgoing (ConfabMsrpSession  *self,
                 ConfabMsrpOutgoing *out)
{
  if (out->queue_link) {
    g_queue_delete_link (&self->send_queue, out->queue_link);
    out->queue_link = NULL;
    set_queued_bytes (self, self->queued_bytes - out->unsent);
  }
  g_queue_delete_link (&self->unfinished, out->unfinished_link);
  g_hash_table_remove (self->outgoing, out->message_id);
}

static void
message_sent (ConfabMsrpSession  *self,
              ConfabMsrpOutgoing *out)
{
  g_autofree char *id = g_strdup (out->message_id);

  forget_outgoing (self, out);
  g_signal_emit (self, signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_SENT], 0, id);
  _confab_msrp_session_check_linger (self);
}

/* Tells the receiver to drop what it has of @out (RFC 4975 §7.1.1: '#'). */
static void
send_abort (ConfabMsrpSession  *self,
            ConfabMsrpOutgoing *out)
{
  g_autoptr (ConfabMsrpMessage) abort = outgoing_abort_chunk (out);

  if (!abort || !self->connection)
    return;
  abort->failure_report = CONFAB_MSRP_REPORT_NO;
  abort->success_report = CONFAB_MSRP_REPORT_NO;
  confab_msrp_connection_send (self->connection, abort, NULL, NULL, NULL);
}

static void
message_failed (ConfabMsrpSession  *self,
                ConfabMsrpOutgoing *out,
                guint               status,
                const char         *reason)
{
  g_autofree char *id = g_strdup (out->message_id);

  send_abort (self, out);
  forget_outgoing (self, out);
  g_hash_table_remove (self->awaiting_report, id);
  g_signal_emit (self, signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_FAILED], 0, id, status,
                 reason ? reason : confab_msrp_status_to_string (status));
  _confab_msrp_session_check_linger (self);
}

void
confab_msrp_session_cancel_message (ConfabMsrpSession *self,
                                    const char        *message_id)
{
  ConfabMsrpOutgoing *out;

  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));
  g_return_if_fail (message_id != NULL);

  out = g_hash_table_lookup (self->outgoing, message_id);
  g_hash_table_remove (self->awaiting_report, message_id);
  if (out) {
    send_abort (self, out);
    forget_outgoing (self, out);
  }
  _confab_msrp_session_check_linger (self);
}

static void
on_chunk_written (ConfabMsrpConnection *connection,
                  ConfabMsrpMessage    *chunk,
                  gpointer              user_data)
{
  ConfabMsrpSession *self = user_data;
  ConfabMsrpOutgoing *out = g_hash_table_lookup (self->outgoing, chunk->message_id);

  _confab_msrp_session_touch (self);
  /* Failure-Report no or partial: no 200 will come; written is sent. */
  if (out && !out->wants_responses && chunk->continuation == CONFAB_MSRP_CONTINUATION_COMPLETE)
    message_sent (self, out);
}

static gboolean
on_report_timeout (gpointer user_data)
{
  ConfabMsrpOutgoing *out = user_data;
  ConfabMsrpSession *self = out->session;

  g_clear_pointer (&out->report_timer, g_source_unref);
  if (out->peer_reports) {
    message_failed (self, out, 408, _("The other side did not confirm that it received everything."));
    return G_SOURCE_REMOVE;
  }
  /* A receiver that never REPORTs (or only at the very end, which it
   * would have by now): go on as if direct. */
  g_debug ("MSRP session %s: no REPORTs for %s through the relay", self->session_id,
           out->message_id);
  out->no_reports = TRUE;
  if (out->chunked && out->outstanding == 0)
    message_sent (self, out);
  else
    _confab_msrp_session_pump (self);
  return G_SOURCE_REMOVE;
}

/* @out waits for the receiver's REPORTs (its window full, or every chunk
 * out); it fails if none comes within a transaction's time. */
static void
await_reports (ConfabMsrpSession  *self,
               ConfabMsrpOutgoing *out)
{
  if (out->report_timer)
    return;
  out->report_timer = g_timeout_source_new (self->transaction_timeout_ms);
  out->session = self;
  g_source_set_callback (out->report_timer, on_report_timeout, out, NULL);
  g_source_set_static_name (out->report_timer, "[confab] MSRP REPORT wait");
  g_source_attach (out->report_timer, g_main_context_get_thread_default ());
}

/* Every chunk got its 200: sent, unless it went through a relay and the
 * receiver has not REPORTed every byte yet (only its REPORTs tell that
 * the file arrived whole, or that it found it damaged). */
static void
all_chunks_answered (ConfabMsrpSession  *self,
                     ConfabMsrpOutgoing *out)
{
  if (!out->relayed || out->no_reports || out->reported >= out->total)
    message_sent (self, out);
  else
    await_reports (self, out);
}

static void
on_chunk_response (ConfabMsrpConnection *connection,
                   ConfabMsrpMessage    *chunk,
                   ConfabMsrpMessage    *response,
                   gpointer              user_data)
{
  ConfabMsrpSession *self = user_data;
  g_autoptr (ConfabMsrpSession) hold = g_object_ref (self);
  ConfabMsrpOutgoing *out = g_hash_table_lookup (self->outgoing, chunk->message_id);

  if (!out)
    return;
  if (!response) {
    message_failed (self, out, 408, _("The other side did not confirm the message in time."));
  } else if (response->status == 200) {
    out->outstanding--;
    if (out->streamed) {
      g_autofree char *id = g_strdup (out->message_id);

      out->confirmed += confab_msrp_message_get_body_length (chunk);
      g_signal_emit (self, signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_PROGRESS], 0, id,
                     out->confirmed);
      /* The handler may have cancelled it. */
      out = g_hash_table_lookup (self->outgoing, id);
      if (!out) {
        _confab_msrp_session_pump (self);
        return;
      }
    }
    if (out->chunked && out->outstanding == 0)
      all_chunks_answered (self, out);
  } else {
    message_failed (self, out, response->status, response->comment);
  }
  _confab_msrp_session_pump (self);
}

/* Through a relay: a To-Path of more than the peer. */
static gboolean
session_is_relayed (ConfabMsrpSession *self)
{
  return self->to_path && self->to_path->len > 1;
}

/* Direct, big chunks; through a relay, chunks whose frames fit a relay's
 * read buffer. */
static gsize
session_chunk_size (ConfabMsrpSession *self)
{
  return session_is_relayed (self) ? CONFAB_MSRP_RELAY_CHUNK_SIZE : CONFAB_MSRP_DEFAULT_CHUNK_SIZE;
}

/* The next chunk of a streamed message, read now. */
static ConfabMsrpMessage *
next_streamed_chunk (ConfabMsrpSession   *self,
                     ConfabMsrpOutgoing  *out,
                     GError             **error)
{
  g_autoptr (GBytes) data = NULL;
  gsize want = (gsize) MIN (out->total - out->offset, session_chunk_size (self));
  guint64 start = out->offset + 1;
  gboolean last;

  if (!out->started) {
    g_ptr_array_unref (out->send->to_path);
    out->send->to_path = confab_msrp_path_copy (self->to_path);
    g_ptr_array_unref (out->send->from_path);
    out->send->from_path = confab_msrp_path_copy (self->from_path);
    out->started = TRUE;
    out->relayed = session_is_relayed (self) && out->send->success_report == CONFAB_MSRP_REPORT_YES;
    out->reported = out->offset;
  }
  if (want > 0) {
    data = out->read (out->offset, want, out->read_data, error);
    if (!data)
      return NULL;
    if (g_bytes_get_size (data) != want) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                   _("The file changed while it was being sent."));
      return NULL;
    }
  }
  out->offset += want;
  last = out->offset == out->total;
  if (last) {
    g_queue_delete_link (&self->send_queue, out->queue_link);
    out->queue_link = NULL;
    out->chunked = TRUE;
  }
  return confab_msrp_message_new_chunk (out->send, data, start, out->total,
                                        last ? CONFAB_MSRP_CONTINUATION_COMPLETE
                                             : CONFAB_MSRP_CONTINUATION_MORE);
}

/* The next chunk of a message held whole. */
static ConfabMsrpMessage *
next_chunk (ConfabMsrpSession  *self,
            ConfabMsrpOutgoing *out)
{
  ConfabMsrpMessage *chunk;

  if (!out->chunker) {
    g_ptr_array_unref (out->send->to_path);
    out->send->to_path = confab_msrp_path_copy (self->to_path);
    g_ptr_array_unref (out->send->from_path);
    out->send->from_path = confab_msrp_path_copy (self->from_path);
    out->chunker = confab_msrp_chunker_new (out->send, session_chunk_size (self));
  }
  chunk = confab_msrp_chunker_next (out->chunker);
  out->unsent -= confab_msrp_message_get_body_length (chunk);
  if (confab_msrp_chunker_is_done (out->chunker)) {
    g_queue_delete_link (&self->send_queue, out->queue_link);
    out->queue_link = NULL;
    out->chunked = TRUE;
  }
  return chunk;
}

void
_confab_msrp_session_pump (ConfabMsrpSession *self)
{
  ConfabMsrpConnection *connection = self->connection;
  gsize queued = self->queued_bytes;

  if (self->state != CONFAB_MSRP_SESSION_STATE_CONNECTED || !connection ||
      confab_msrp_connection_get_state (connection) != CONFAB_MSRP_CONNECTION_OPEN)
    return;
  while (self->send_queue.head &&
         confab_msrp_connection_get_queued_bytes (connection) < CONFAB_MSRP_CONNECTION_LOW_WATER) {
    ConfabMsrpOutgoing *out = self->send_queue.head->data;
    g_autoptr (ConfabMsrpMessage) chunk = NULL;
    g_autoptr (GError) error = NULL;
    gboolean queued_ok;

    if (out->streamed && out->wants_responses && out->outstanding >= MAX_CHUNKS_IN_FLIGHT)
      break;
    if (out->relayed && !out->no_reports &&
        out->offset - out->reported >= MAX_UNREPORTED_VIA_RELAY) {
      await_reports (self, out);
      break;
    }
    if (out->streamed) {
      chunk = next_streamed_chunk (self, out, &error);
      if (!chunk) {
        set_queued_bytes (self, queued);
        message_failed (self, out, 400, error->message);
        return;
      }
    } else {
      chunk = next_chunk (self, out);
      queued -= confab_msrp_message_get_body_length (chunk);
    }
    if (out->wants_responses) {
      out->outstanding++;
      queued_ok = confab_msrp_connection_send_request (connection, chunk,
                                                       self->transaction_timeout_ms, self,
                                                       on_chunk_written, on_chunk_response, &error);
    } else {
      queued_ok = confab_msrp_connection_send (connection, chunk, self, on_chunk_written, &error);
    }
    if (!queued_ok) {
      set_queued_bytes (self, queued);
      message_failed (self, out, 400, error->message);
      return;
    }
  }
  set_queued_bytes (self, queued);
}

void
_confab_msrp_session_fail_all (ConfabMsrpSession *self,
                               const char        *reason)
{
  g_autoptr (ConfabMsrpSession) hold = g_object_ref (self);
  GList *tasks = g_steal_pointer (&self->request_tasks);

  while (self->unfinished.head) {
    ConfabMsrpOutgoing *out = self->unfinished.head->data;
    g_autofree char *id = g_strdup (out->message_id);

    forget_outgoing (self, out);
    g_signal_emit (self, signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_FAILED], 0, id, 408, reason);
  }
  for (GList *l = tasks; l; l = l->next)
    g_task_return_new_error (l->data, G_IO_ERROR, G_IO_ERROR_CLOSED, "%s", reason);
  g_list_free_full (tasks, g_object_unref);
}

/* Books @out (its send filled in) as unfinished and queued. */
static void
enqueue (ConfabMsrpSession  *self,
         ConfabMsrpOutgoing *out)
{
  ConfabMsrpReport success_report = out->send->success_report;
  ConfabMsrpReport failure_report = out->send->failure_report;

  out->message_id = g_strdup (out->send->message_id);
  out->wants_responses = failure_report == CONFAB_MSRP_REPORT_UNSET ||
                         failure_report == CONFAB_MSRP_REPORT_YES;
  g_hash_table_insert (self->outgoing, out->message_id, out);
  g_queue_push_tail (&self->unfinished, out);
  out->unfinished_link = self->unfinished.tail;
  g_queue_push_tail (&self->send_queue, out);
  out->queue_link = self->send_queue.tail;
  if (success_report == CONFAB_MSRP_REPORT_YES || failure_report != CONFAB_MSRP_REPORT_NO)
    remember_reportable (self, out->message_id);
  if (success_report == CONFAB_MSRP_REPORT_YES &&
      g_hash_table_size (self->awaiting_report) < MAX_REPORTABLE)
    g_hash_table_add (self->awaiting_report, g_strdup (out->message_id));
}

char *
confab_msrp_session_send (ConfabMsrpSession  *self,
                          const char         *content_type,
                          GBytes             *body,
                          ConfabMsrpReport    success_report,
                          ConfabMsrpReport    failure_report,
                          const char *const  *extra_headers,
                          GError            **error)
{
  ConfabMsrpOutgoing *out;
  char *id;
  gsize size;

  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), NULL);
  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  size = g_bytes_get_size (body);
  if (self->state == CONFAB_MSRP_SESSION_STATE_CLOSED ||
      self->state == CONFAB_MSRP_SESSION_STATE_FAILED) {
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The session has ended."));
    return NULL;
  }
  if (size == 0 || !content_type || !*content_type) {
    g_set_error_literal (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID,
                         _("A chat message needs content and a content type."));
    return NULL;
  }
  if (size
      > CONFAB_MSRP_MAX_QUEUED_BYTES - MIN (self->queued_bytes, CONFAB_MSRP_MAX_QUEUED_BYTES)) {
    g_set_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_TOO_LARGE,
                 _("Too much is waiting to be sent (%lu bytes); try again when "
                   "it has gone out."),
                 (unsigned long) self->queued_bytes);
    return NULL;
  }

  out = g_new0 (ConfabMsrpOutgoing, 1);
  out->send = confab_msrp_message_new_send (NULL, NULL, content_type, body);
  out->send->success_report = success_report;
  out->send->failure_report = failure_report;
  for (guint i = 0; extra_headers && extra_headers[i]; i++) {
    const char *colon = strchr (extra_headers[i], ':');
    g_autofree char *name = NULL;
    g_autofree char *value = NULL;

    if (!colon || colon == extra_headers[i]) {
      g_set_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID,
                   _("“%s” is not a header."), extra_headers[i]);
      outgoing_free (out);
      return NULL;
    }
    name = g_strstrip (g_strndup (extra_headers[i], colon - extra_headers[i]));
    value = g_strstrip (g_strdup (colon + 1));
    confab_msrp_message_add_header (out->send, name, value);
  }
  out->unsent = size;
  enqueue (self, out);
  set_queued_bytes (self, self->queued_bytes + size);
  /* The pump may fail and free it: the id first. */
  id = g_strdup (out->message_id);
  _confab_msrp_session_pump (self);
  return id;
}

char *
confab_msrp_session_send_streamed (ConfabMsrpSession      *self,
                                   const char             *content_type,
                                   guint64                 total,
                                   guint64                 start,
                                   ConfabMsrpBodyReadFunc  read,
                                   gpointer                user_data,
                                   GDestroyNotify          destroy,
                                   ConfabMsrpReport        success_report,
                                   ConfabMsrpReport        failure_report,
                                   GError                **error)
{
  ConfabMsrpOutgoing *out;
  char *id;

  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), NULL);
  g_return_val_if_fail (read != NULL, NULL);
  g_return_val_if_fail (start <= total, NULL);

  if (self->state == CONFAB_MSRP_SESSION_STATE_CLOSED ||
      self->state == CONFAB_MSRP_SESSION_STATE_FAILED) {
    if (destroy)
      destroy (user_data);
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The session has ended."));
    return NULL;
  }
  out = g_new0 (ConfabMsrpOutgoing, 1);
  out->send = confab_msrp_message_new_send (NULL, NULL, NULL, NULL);
  g_free (out->send->content_type);
  out->send->content_type = g_strdup (content_type && *content_type ? content_type
                                                                    : "application/octet-stream");
  out->send->success_report = success_report;
  out->send->failure_report = failure_report;
  out->streamed = TRUE;
  out->read = read;
  out->read_data = user_data;
  out->read_destroy = destroy;
  out->total = total;
  out->offset = start;
  enqueue (self, out);
  id = g_strdup (out->message_id);
  _confab_msrp_session_pump (self);
  return id;
}

gsize
confab_msrp_session_get_queued_bytes (ConfabMsrpSession *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_SESSION (self), 0);

  return self->queued_bytes;
}

/* Adds a success REPORT's range to what the receiver has of @out; FALSE
 * when the range says nothing usable (no end, or past the total). */
static gboolean
note_reported (ConfabMsrpOutgoing        *out,
               const ConfabMsrpByteRange *range)
{
  if (range->start == 0 || range->end == CONFAB_MSRP_UNKNOWN || range->end < range->start ||
      range->end > out->total)
    return FALSE;
  out->peer_reports = TRUE;
  /* In order on one connection; a REPORT of the whole message covers all. */
  if (range->start <= out->reported + 1 && range->end > out->reported) {
    out->reported = range->end;
    stop_report_timer (out); /* progress: the wait, if any, starts again */
  }
  return TRUE;
}

void
_confab_msrp_session_handle_report (ConfabMsrpSession *self,
                                    ConfabMsrpMessage *report)
{
  ConfabMsrpOutgoing *out;
  guint status = report->has_report_status ? report->report_status : 0;

  if (!report->message_id || !g_hash_table_contains (self->reportable, report->message_id)) {
    g_debug ("MSRP session %s: a REPORT for a message not ours", self->session_id);
    return;
  }
  out = g_hash_table_lookup (self->outgoing, report->message_id);
  if (out && out->relayed && status == 200 && note_reported (out, &report->byte_range)) {
    /* A chunk's REPORT: the message is done when all are in. */
    if (out->chunked && out->outstanding == 0)
      all_chunks_answered (self, out);
    else
      _confab_msrp_session_pump (self);
    /* Until every byte is REPORTed; a REPORT of the rest that beats the
     * relay's last 200 is the delivery report all the same. */
    out = g_hash_table_lookup (self->outgoing, report->message_id);
    if (out && out->reported < out->total)
      return;
  }
  g_hash_table_remove (self->awaiting_report, report->message_id);
  g_signal_emit (self, signals[CONFAB_MSRP_SESSION_SIGNAL_MESSAGE_REPORT], 0, report->message_id,
                 status, report->report_comment);
  out = g_hash_table_lookup (self->outgoing, report->message_id);
  if (out && status != 200)
    message_failed (self, out, status, report->report_comment);
  _confab_msrp_session_check_linger (self);
}
