/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-connection-private.h"
#include "confab-msrp-parser.h"
#include "confab-msrp-serializer.h"
#include "confab-msrp-session.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Back-pressure: one read buffer; no new read while more than
 * READ_PAUSE_BYTES of our own output (responses, mostly) wait to be
 * written, so a peer that sends without reading cannot make us queue
 * without bound. */
#define READ_BUFFER_SIZE (256 * 1024)
#define READ_PAUSE_BYTES (1024 * 1024)
/* After a read completes, what else is there is read at once (without
 * going back to the main loop: a TLS read returns one 16 KiB record), up
 * to this many reads, so that other sources still get their turn. */
#define MAX_READS_PER_WAKEUP 64
/* Queued messages go out together, in one writev of at most this many
 * vectors and (unless one message is bigger) bytes. Over TLS they are
 * copied into one buffer first: GIO's TLS stream makes a record (and a
 * send) of each vector, so a response would be two records and a chunk
 * six, each costing both sides system calls; copied, they fill whole
 * 16 KiB records (measured: cheaper than the copy it takes). */
#define MAX_WRITE_VECTORS 48
#define MAX_WRITE_BYTES   (1024 * 1024)
/* A peer that stops reading blocks our writes; one write taking this long
 * means the connection is dead even though TCP has not noticed. */
#define WRITE_STALL_SECONDS CONFAB_MSRP_TRANSACTION_TIMEOUT

typedef struct
{
  ConfabMsrpMessage    *message;
  GBytes               *head;
  GBytes               *tail;
  GOutputVector         vectors[3];
  guint                 n_vectors;
  gsize                 size;
  gpointer              owner;
  ConfabMsrpWrittenFunc written;
} WriteItem;

typedef struct
{
  ConfabMsrpConnection  *connection;
  ConfabMsrpMessage     *request;
  gpointer               owner;
  ConfabMsrpResponseFunc response_func;
  guint                  timeout_ms;
  GSource               *timer;
} Transaction;

G_DEFINE_FINAL_TYPE (ConfabMsrpConnection, confab_msrp_connection, G_TYPE_OBJECT)

enum
{
  SIGNAL_REQUEST_RECEIVED,
  SIGNAL_WRITABLE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_reading (ConfabMsrpConnection *self);
static void write_next    (ConfabMsrpConnection *self);

static void
write_item_free (WriteItem *item)
{
  confab_msrp_message_unref (item->message);
  g_bytes_unref (item->head);
  g_bytes_unref (item->tail);
  g_free (item);
}

static void
clear_source (GSource **source)
{
  if (*source) {
    g_source_destroy (*source);
    g_clear_pointer (source, g_source_unref);
  }
}

static void
transaction_free (Transaction *transaction)
{
  clear_source (&transaction->timer);
  confab_msrp_message_unref (transaction->request);
  g_free (transaction);
}

GError *
_confab_msrp_connection_new_closed_error (ConfabMsrpConnection *self)
{
  if (self->open_error)
    return g_error_copy (self->open_error);
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection was closed."));
}

static void
finish_open (ConfabMsrpConnection *self)
{
  GList *waiters = g_steal_pointer (&self->open_waiters);

  for (GList *l = waiters; l; l = l->next) {
    GTask *task = l->data;

    if (self->state == CONFAB_MSRP_CONNECTION_OPEN)
      g_task_return_boolean (task, TRUE);
    else
      g_task_return_error (task, _confab_msrp_connection_new_closed_error (self));
  }
  g_list_free_full (waiters, g_object_unref);
}

void
confab_msrp_connection_close (ConfabMsrpConnection *self,
                              const GError         *error)
{
  g_autoptr (ConfabMsrpConnection) hold = NULL;
  GHashTable *transactions;

  g_return_if_fail (CONFAB_IS_MSRP_CONNECTION (self));

  if (self->state == CONFAB_MSRP_CONNECTION_CLOSED)
    return;
  hold = g_object_ref (self);
  g_debug ("Closing MSRP connection %s%s%s", self->description, error ? ": " : "",
           error ? error->message : "");
  if (self->state == CONFAB_MSRP_CONNECTION_OPENING && !self->open_error)
    self->open_error = error ? g_error_copy (error)
                             : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    _("The connection was closed."));
  self->state = CONFAB_MSRP_CONNECTION_CLOSED;
  clear_source (&self->write_timer);
  clear_source (&self->flush_timer);
  g_cancellable_cancel (self->cancellable);
  if (self->stream)
    g_io_stream_close_async (self->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  /* The sessions fail their own messages on "closed": no callbacks now. */
  transactions = g_steal_pointer (&self->transactions);
  self->transactions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) transaction_free);
  g_hash_table_unref (transactions);
  for (GList *l = self->writes.head; l; l = l->next)
    ((WriteItem *) l->data)->written = NULL;
  finish_open (self);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

static gboolean
on_flush_timeout (gpointer user_data)
{
  ConfabMsrpConnection *self = user_data;

  g_clear_pointer (&self->flush_timer, g_source_unref);
  confab_msrp_connection_close (self, NULL);
  return G_SOURCE_REMOVE;
}

void
confab_msrp_connection_close_when_flushed (ConfabMsrpConnection *self)
{
  g_return_if_fail (CONFAB_IS_MSRP_CONNECTION (self));

  if (self->state != CONFAB_MSRP_CONNECTION_OPEN || g_queue_is_empty (&self->writes)) {
    confab_msrp_connection_close (self, NULL);
    return;
  }
  if (self->flush_timer)
    return;
  self->flush_timer = g_timeout_source_new (CONFAB_MSRP_CONNECTION_FLUSH_MS);
  g_source_set_callback (self->flush_timer, on_flush_timeout, g_object_ref (self), g_object_unref);
  g_source_set_static_name (self->flush_timer, "[confab] MSRP flush before close");
  g_source_attach (self->flush_timer, g_main_context_get_thread_default ());
}

void
_confab_msrp_connection_close_with_error (ConfabMsrpConnection *self,
                                          GError               *error)
{
  confab_msrp_connection_close (self, error);
  g_error_free (error);
}

static gboolean
on_transaction_timeout (gpointer user_data)
{
  Transaction *transaction = user_data;
  g_autoptr (ConfabMsrpConnection) self = g_object_ref (transaction->connection);
  g_autoptr (ConfabMsrpMessage) request = confab_msrp_message_ref (transaction->request);
  ConfabMsrpResponseFunc response_func = transaction->response_func;
  gpointer owner = transaction->owner;

  g_debug ("No response to MSRP transaction %s on %s", request->transaction_id,
           self->description);
  g_hash_table_remove (self->transactions, request->transaction_id);
  if (response_func)
    response_func (self, request, NULL, owner);
  return G_SOURCE_REMOVE;
}

static void
start_transaction_timer (ConfabMsrpConnection *self,
                         ConfabMsrpMessage    *message)
{
  Transaction *transaction;

  if (message->is_response || !message->transaction_id)
    return;
  transaction = g_hash_table_lookup (self->transactions, message->transaction_id);
  if (!transaction || transaction->request != message || transaction->timer)
    return;
  transaction->timer = g_timeout_source_new (transaction->timeout_ms);
  g_source_set_callback (transaction->timer, on_transaction_timeout, transaction, NULL);
  g_source_set_static_name (transaction->timer, "[confab] MSRP transaction timeout");
  g_source_attach (transaction->timer, g_main_context_get_thread_default ());
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr (ConfabMsrpConnection) self = user_data;
  g_autoptr (GError) error = NULL;
  guint n_items = self->writing_items;

  self->writing = FALSE;
  self->writing_items = 0;
  clear_source (&self->write_timer);
  if (!g_output_stream_writev_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error)) {
    if (self->state != CONFAB_MSRP_CONNECTION_CLOSED) {
      g_prefix_error (&error, _("Could not send to %s: "), self->description);
      _confab_msrp_connection_close_with_error (self, g_steal_pointer (&error));
    }
    return;
  }
  for (guint i = 0; i < n_items && self->state != CONFAB_MSRP_CONNECTION_CLOSED; i++) {
    WriteItem *item = g_queue_pop_head (&self->writes);

    self->queued_bytes -= item->size;
    start_transaction_timer (self, item->message);
    if (item->written)
      item->written (self, item->message, item->owner);
    write_item_free (item);
  }
  if (self->state == CONFAB_MSRP_CONNECTION_CLOSED)
    return;
  /* A file's stream of chunks is over: give back its copy buffer. */
  if (g_queue_is_empty (&self->writes) && self->write_buffer->len > READ_BUFFER_SIZE) {
    g_byte_array_unref (self->write_buffer);
    self->write_buffer = g_byte_array_new ();
  }

  if (self->flush_timer && g_queue_is_empty (&self->writes)) {
    confab_msrp_connection_close (self, NULL);
    return;
  }
  write_next (self);
  if (self->read_paused && self->queued_bytes < READ_PAUSE_BYTES) {
    self->read_paused = FALSE;
    start_reading (self);
  }
  if (self->queued_bytes < CONFAB_MSRP_CONNECTION_LOW_WATER)
    g_signal_emit (self, signals[SIGNAL_WRITABLE], 0);
}

static gboolean
on_write_stalled (gpointer user_data)
{
  ConfabMsrpConnection *self = user_data;

  g_clear_pointer (&self->write_timer, g_source_unref);
  _confab_msrp_connection_close_with_error (self, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                       _("%s stopped reading what we send."), self->description));
  return G_SOURCE_REMOVE;
}

static void
write_next (ConfabMsrpConnection *self)
{
  gsize bytes = 0;

  if (self->writing || self->state != CONFAB_MSRP_CONNECTION_OPEN || !self->writes.head)
    return;
  /* As many queued messages as fit in one writev: fewer system calls and
   * main loop turns for a stream of chunks, or of responses and REPORTs. */
  g_array_set_size (self->write_vectors, 0);
  g_byte_array_set_size (self->write_buffer, 0);
  for (GList *l = self->writes.head; l; l = l->next) {
    WriteItem *item = l->data;

    if (self->writing_items > 0 &&
        ((!self->tls && self->write_vectors->len + item->n_vectors > MAX_WRITE_VECTORS) ||
         bytes + item->size > MAX_WRITE_BYTES))
      break;
    if (self->tls) {
      for (guint i = 0; i < item->n_vectors; i++)
        g_byte_array_append (self->write_buffer, item->vectors[i].buffer, item->vectors[i].size);
    } else {
      g_array_append_vals (self->write_vectors, item->vectors, item->n_vectors);
    }
    bytes += item->size;
    self->writing_items++;
  }
  if (self->tls) {
    GOutputVector whole = { self->write_buffer->data, self->write_buffer->len };

    g_array_append_val (self->write_vectors, whole);
  }
  self->writing = TRUE;
  self->write_timer = g_timeout_source_new_seconds (WRITE_STALL_SECONDS);
  g_source_set_callback (self->write_timer, on_write_stalled, self, NULL);
  g_source_set_static_name (self->write_timer, "[confab] MSRP write stall");
  g_source_attach (self->write_timer, g_main_context_get_thread_default ());
  g_output_stream_writev_all_async (g_io_stream_get_output_stream (self->stream),
                                    (GOutputVector *) self->write_vectors->data,
                                    self->write_vectors->len, G_PRIORITY_DEFAULT,
                                    self->cancellable, on_written, g_object_ref (self));
}

static void
set_vector (WriteItem *item,
            GBytes    *bytes)
{
  gsize size = 0;
  gconstpointer data = g_bytes_get_data (bytes, &size);

  if (size == 0)
    return;
  item->vectors[item->n_vectors].buffer = data;
  item->vectors[item->n_vectors].size = size;
  item->n_vectors++;
  item->size += size;
}

static gboolean
queue_message (ConfabMsrpConnection *self,
               ConfabMsrpMessage    *message,
               gpointer              owner,
               ConfabMsrpWrittenFunc written,
               GError              **error)
{
  WriteItem *item;
  g_autoptr (GBytes) head = NULL;
  g_autoptr (GBytes) tail = NULL;

  if (self->state == CONFAB_MSRP_CONNECTION_CLOSED) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("The connection to %s is closed."),
                 self->description);
    return FALSE;
  }
  if (!confab_msrp_message_serialize (message, &head, &tail, error))
    return FALSE;

  item = g_new0 (WriteItem, 1);
  item->message = confab_msrp_message_ref (message);
  item->head = g_steal_pointer (&head);
  item->tail = g_steal_pointer (&tail);
  item->owner = owner;
  item->written = written;
  set_vector (item, item->head);
  if (message->body)
    set_vector (item, message->body);
  set_vector (item, item->tail);
  g_queue_push_tail (&self->writes, item);
  self->queued_bytes += item->size;
  write_next (self);
  return TRUE;
}

gboolean
confab_msrp_connection_send (ConfabMsrpConnection *self,
                             ConfabMsrpMessage    *message,
                             gpointer              owner,
                             ConfabMsrpWrittenFunc written,
                             GError              **error)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  return queue_message (self, message, owner, written, error);
}

gboolean
confab_msrp_connection_send_request (ConfabMsrpConnection  *self,
                                     ConfabMsrpMessage     *request,
                                     guint                  timeout_ms,
                                     gpointer               owner,
                                     ConfabMsrpWrittenFunc  written,
                                     ConfabMsrpResponseFunc response_func,
                                     GError               **error)
{
  Transaction *transaction;

  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), FALSE);
  g_return_val_if_fail (request != NULL && !request->is_response, FALSE);
  g_return_val_if_fail (request->transaction_id != NULL, FALSE);

  /* Transaction ids are random; a clash with one in flight gets a new id. */
  while (g_hash_table_contains (self->transactions, request->transaction_id))
    confab_msrp_message_new_transaction_id (request);
  if (!queue_message (self, request, owner, written, error))
    return FALSE;
  transaction = g_new0 (Transaction, 1);
  transaction->connection = self;
  transaction->request = confab_msrp_message_ref (request);
  transaction->owner = owner;
  transaction->response_func = response_func;
  transaction->timeout_ms = timeout_ms;
  g_hash_table_insert (self->transactions, g_strdup (request->transaction_id), transaction);
  return TRUE;
}

void
confab_msrp_connection_forget_owner (ConfabMsrpConnection *self,
                                     gpointer              owner)
{
  GHashTableIter iter;
  Transaction *transaction;

  g_return_if_fail (CONFAB_IS_MSRP_CONNECTION (self));

  g_hash_table_iter_init (&iter, self->transactions);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &transaction)) {
    if (transaction->owner == owner)
      g_hash_table_iter_remove (&iter);
  }
  for (GList *l = self->writes.head; l; l = l->next) {
    WriteItem *item = l->data;

    if (item->owner == owner)
      item->written = NULL;
  }
}

static void
handle_response (ConfabMsrpConnection *self,
                 ConfabMsrpMessage    *response)
{
  Transaction *transaction = g_hash_table_lookup (self->transactions, response->transaction_id);
  g_autoptr (ConfabMsrpMessage) request = NULL;
  ConfabMsrpResponseFunc response_func;
  gpointer owner;

  if (!transaction) {
    g_debug ("MSRP response %u for unknown transaction %s on %s", response->status,
             response->transaction_id, self->description);
    return;
  }
  request = confab_msrp_message_ref (transaction->request);
  response_func = transaction->response_func;
  owner = transaction->owner;
  g_hash_table_remove (self->transactions, response->transaction_id);
  if (response_func)
    response_func (self, request, response, owner);
}

/* Parses @n bytes read (0: the end, < 0: the read's @error, taken) and
 * hands on the messages; FALSE once the connection is closed. */
static gboolean
handle_read (ConfabMsrpConnection  *self,
             gssize                 n,
             GError               **error)
{
  if (n < 0) {
    g_prefix_error (error, _("Could not receive from %s: "), self->description);
    _confab_msrp_connection_close_with_error (self, g_steal_pointer (error));
    return FALSE;
  }
  if (n == 0) {
    if (!confab_msrp_parser_finish (self->parser, error))
      g_prefix_error (error, _("%s closed the connection in the middle of a message: "),
                      self->description);
    else
      *error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                            _("%s closed the connection."), self->description);
    _confab_msrp_connection_close_with_error (self, g_steal_pointer (error));
    return FALSE;
  }
  if (!confab_msrp_parser_feed (self->parser, self->read_buffer, n, error)) {
    g_warning ("Malformed MSRP from %s, closing the connection: %s", self->description,
               (*error)->message);
    g_prefix_error (error, _("%s sent a malformed message: "), self->description);
    _confab_msrp_connection_close_with_error (self, g_steal_pointer (error));
    return FALSE;
  }
  while (self->state == CONFAB_MSRP_CONNECTION_OPEN) {
    g_autoptr (ConfabMsrpMessage) message = confab_msrp_parser_pop (self->parser);

    if (!message)
      break;
    if (message->is_response)
      handle_response (self, message);
    else
      g_signal_emit (self, signals[SIGNAL_REQUEST_RECEIVED], 0, message);
  }
  return self->state == CONFAB_MSRP_CONNECTION_OPEN;
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr (ConfabMsrpConnection) self = user_data;
  g_autoptr (GError) error = NULL;
  GPollableInputStream *pollable = NULL;
  gssize n;

  if (G_IS_POLLABLE_INPUT_STREAM (source) &&
      g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (source)))
    pollable = G_POLLABLE_INPUT_STREAM (source);

  self->reading = FALSE;
  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (self->state == CONFAB_MSRP_CONNECTION_CLOSED)
    return;
  for (guint reads = 1;; reads++) {
    if (!handle_read (self, n, &error))
      return;
    if (!pollable || reads == MAX_READS_PER_WAKEUP || self->queued_bytes >= READ_PAUSE_BYTES)
      break;
    n = g_pollable_input_stream_read_nonblocking (pollable, self->read_buffer, READ_BUFFER_SIZE,
                                                  self->cancellable, &error);
    if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
      break;
  }
  start_reading (self);
}

static void
start_reading (ConfabMsrpConnection *self)
{
  if (self->reading || self->state != CONFAB_MSRP_CONNECTION_OPEN)
    return;
  if (self->queued_bytes >= READ_PAUSE_BYTES) {
    self->read_paused = TRUE;
    return;
  }
  self->reading = TRUE;
  g_input_stream_read_async (g_io_stream_get_input_stream (self->stream), self->read_buffer,
                             READ_BUFFER_SIZE, G_PRIORITY_DEFAULT, self->cancellable, on_read,
                             g_object_ref (self));
}

void
_confab_msrp_connection_become_open (ConfabMsrpConnection *self)
{
  g_debug ("MSRP connection %s is open", self->description);
  self->state = CONFAB_MSRP_CONNECTION_OPEN;
  finish_open (self);
  start_reading (self);
  write_next (self);
}

static void
confab_msrp_connection_dispose (GObject *object)
{
  ConfabMsrpConnection *self = CONFAB_MSRP_CONNECTION (object);

  if (self->state != CONFAB_MSRP_CONNECTION_CLOSED) {
    self->state = CONFAB_MSRP_CONNECTION_CLOSED;
    g_cancellable_cancel (self->cancellable);
    if (self->stream)
      g_io_stream_close (self->stream, NULL, NULL);
  }
  g_clear_object (&self->stream);
  g_clear_object (&self->certificate);
  g_clear_object (&self->database);
  G_OBJECT_CLASS (confab_msrp_connection_parent_class)->dispose (object);
}

static void
confab_msrp_connection_finalize (GObject *object)
{
  ConfabMsrpConnection *self = CONFAB_MSRP_CONNECTION (object);

  g_assert (self->open_waiters == NULL);
  g_queue_clear_full (&self->writes, (GDestroyNotify) write_item_free);
  g_clear_pointer (&self->write_vectors, g_array_unref);
  g_clear_pointer (&self->write_buffer, g_byte_array_unref);
  g_clear_pointer (&self->transactions, g_hash_table_unref);
  g_clear_pointer (&self->parser, confab_msrp_parser_free);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->open_error);
  g_free (self->read_buffer);
  g_free (self->host);
  g_free (self->key);
  g_free (self->description);
  G_OBJECT_CLASS (confab_msrp_connection_parent_class)->finalize (object);
}

static void
confab_msrp_connection_class_init (ConfabMsrpConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_msrp_connection_dispose;
  object_class->finalize = confab_msrp_connection_finalize;

  signals[SIGNAL_REQUEST_RECEIVED] =
    g_signal_new ("request-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1,
                  CONFAB_MSRP_TYPE_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_WRITABLE] = g_signal_new ("writable", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
confab_msrp_connection_init (ConfabMsrpConnection *self)
{
  ConfabMsrpLimits limits;

  confab_msrp_limits_init_default (&limits);
  self->parser = confab_msrp_parser_new (&limits);
  self->read_buffer = g_malloc (READ_BUFFER_SIZE);
  self->cancellable = g_cancellable_new ();
  self->transactions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) transaction_free);
  g_queue_init (&self->writes);
  self->write_vectors = g_array_new (FALSE, FALSE, sizeof (GOutputVector));
  self->write_buffer = g_byte_array_new ();
}

ConfabMsrpConnectionState
confab_msrp_connection_get_state (ConfabMsrpConnection *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), CONFAB_MSRP_CONNECTION_CLOSED);

  return self->state;
}

gboolean
confab_msrp_connection_get_incoming (ConfabMsrpConnection *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), FALSE);

  return self->incoming;
}

gboolean
confab_msrp_connection_get_tls (ConfabMsrpConnection *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), FALSE);

  return self->tls;
}

gboolean
confab_msrp_connection_get_relay (ConfabMsrpConnection *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), FALSE);

  return self->relay;
}

const char *
confab_msrp_connection_get_key (ConfabMsrpConnection *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), NULL);

  return self->key;
}

const char *
confab_msrp_connection_get_description (ConfabMsrpConnection *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), NULL);

  return self->description;
}

GTlsCertificate *
confab_msrp_connection_get_peer_certificate (ConfabMsrpConnection *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), NULL);

  if (!self->tls || !G_IS_TLS_CONNECTION (self->stream))
    return NULL;
  return g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (self->stream));
}

gsize
confab_msrp_connection_get_queued_bytes (ConfabMsrpConnection *self)
{
  g_return_val_if_fail (CONFAB_IS_MSRP_CONNECTION (self), 0);

  return self->queued_bytes;
}
