/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-session-private.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* The requests of a session other than its messages: the binding SEND
 * that ties a new connection to the session (RFC 4975 §5.4), keep-alives,
 * requests of other methods with their answer (FILE_OFFSET), and the
 * RFC 7701 NICKNAME. */

static void
on_binding_response (ConfabMsrpConnection *connection,
                     ConfabMsrpMessage    *request,
                     ConfabMsrpMessage    *response,
                     gpointer              user_data)
{
  ConfabMsrpSession *self = user_data;
  g_autofree char *message = NULL;

  if (self->state != CONFAB_MSRP_SESSION_STATE_CONNECTING)
    return;
  if (response && response->status == 200) {
    _confab_msrp_session_become_connected (self);
    return;
  }
  if (response)
    message = g_strdup_printf (_("The other side refused the connection (%u %s)."),
                               response->status, response->comment ? response->comment : "");
  else
    message = g_strdup (_("The other side did not answer on the connection."));
  _confab_msrp_session_fail (self, message);
}

/* RFC 4975 §5.4: the active side sends an empty SEND at once, which binds
 * the connection to the session at the other end. */
void
_confab_msrp_session_send_binding (ConfabMsrpSession *self)
{
  g_autoptr (ConfabMsrpMessage) send = confab_msrp_message_new_send (self->to_path, self->from_path,
                                                                     NULL, NULL);
  g_autoptr (GError) error = NULL;

  if (!confab_msrp_connection_send_request (self->connection, send, self->transaction_timeout_ms,
                                            self, NULL, on_binding_response, &error))
    _confab_msrp_session_fail (self, error->message);
}

static void
on_keepalive_response (ConfabMsrpConnection *connection,
                       ConfabMsrpMessage    *request,
                       ConfabMsrpMessage    *response,
                       gpointer              user_data)
{
  ConfabMsrpSession *self = user_data;

  if (!response)
    _confab_msrp_session_fail (self, _("The other side stopped answering."));
  else if (response->status == 481)
    /* A relay between us no longer knows the other end (RFC 4975 §7.3.1):
     * the other side is gone without a word, and no data will come. */
    _confab_msrp_session_fail (self, _("The other side is no longer connected."));
  else if (response->status != 200)
    g_debug ("MSRP session %s: keep-alive answered %u", self->session_id, response->status);
}

static gboolean
on_keepalive_tick (gpointer user_data)
{
  ConfabMsrpSession *self = user_data;
  g_autoptr (ConfabMsrpMessage) send = NULL;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_monotonic_time ();
  gint64 idle;

  if (!self->connection || self->state != CONFAB_MSRP_SESSION_STATE_CONNECTED)
    return G_SOURCE_CONTINUE;
  /* A file coming in: a silent other side is noticed sooner. Through a
   * relay its connection may be gone while ours stays up, and a relay may
   * answer our keep-alives itself: two intervals of silence end it. */
  idle = (gint64) (self->streaming ? MIN (self->keepalive_ms, CONFAB_MSRP_STALL_INTERVAL * 1000)
                                   : self->keepalive_ms) * 1000;
  if (self->streaming && now - self->last_activity >= 2 * idle) {
    _confab_msrp_session_fail (self, _("Nothing came from the other side for too long."));
    return G_SOURCE_CONTINUE;
  }
  if (now - self->last_activity < idle || now - self->last_keepalive < idle)
    return G_SOURCE_CONTINUE;
  send = confab_msrp_message_new_send (self->to_path, self->from_path, NULL, NULL);
  confab_msrp_message_add_header (send, "Keep-Alive", "yes");
  self->last_keepalive = now;
  if (!confab_msrp_connection_send_request (self->connection, send, self->transaction_timeout_ms,
                                            self, NULL, on_keepalive_response, &error))
    g_debug ("MSRP session %s: no keep-alive: %s", self->session_id, error->message);
  return G_SOURCE_CONTINUE;
}

void
_confab_msrp_session_start_keepalive (ConfabMsrpSession *self)
{
  if (self->keepalive_timer)
    return;
  /* checked four times per interval, so idle never lasts much longer */
  self->keepalive_timer = g_timeout_source_new (
      MAX (MIN (self->keepalive_ms, CONFAB_MSRP_STALL_INTERVAL * 1000) / 4, 10));
  g_source_set_callback (self->keepalive_timer, on_keepalive_tick, self, NULL);
  g_source_set_static_name (self->keepalive_timer, "[confab] MSRP keep-alive");
  g_source_attach (self->keepalive_timer, g_main_context_get_thread_default ());
}

static void
on_request_response (ConfabMsrpConnection *connection,
                     ConfabMsrpMessage    *request,
                     ConfabMsrpMessage    *response,
                     gpointer              user_data)
{
  ConfabMsrpSession *self = user_data;

  for (GList *l = self->request_tasks; l; l = l->next) {
    GTask *task = l->data;

    if (g_task_get_task_data (task) != request)
      continue;
    self->request_tasks = g_list_delete_link (self->request_tasks, l);
    g_task_return_pointer (task,
                           response ? confab_msrp_message_ref (response)
                                    : confab_msrp_message_new_response (request, 408, NULL),
                           (GDestroyNotify) confab_msrp_message_unref);
    g_object_unref (task);
    return;
  }
}

void
confab_msrp_session_send_request_async (ConfabMsrpSession  *self,
                                        ConfabMsrpMessage  *request,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  ConfabMsrpMessage *copy;

  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));
  g_return_if_fail (request != NULL && !request->is_response);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_msrp_session_send_request_async);
  if (self->state != CONFAB_MSRP_SESSION_STATE_CONNECTED || !self->connection) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                             _("The session is not connected."));
    return;
  }
  /* Paths left empty are ours to fill in. */
  copy = confab_msrp_message_copy (request);
  if (copy->to_path->len == 0) {
    g_ptr_array_unref (copy->to_path);
    copy->to_path = confab_msrp_path_copy (self->to_path);
  }
  if (copy->from_path->len == 0) {
    g_ptr_array_unref (copy->from_path);
    copy->from_path = confab_msrp_path_copy (self->from_path);
  }
  if (!copy->transaction_id)
    confab_msrp_message_new_transaction_id (copy);
  g_task_set_task_data (task, copy, (GDestroyNotify) confab_msrp_message_unref);
  if (!confab_msrp_connection_send_request (self->connection, copy, self->transaction_timeout_ms,
                                            self, NULL, on_request_response, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  _confab_msrp_session_touch (self);
  self->request_tasks = g_list_prepend (self->request_tasks, g_steal_pointer (&task));
}

ConfabMsrpMessage *
confab_msrp_session_send_request_finish (ConfabMsrpSession *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* RFC 7701 §5: Use-Nickname is a quoted-string; '"' and '\' are escaped. */
static char *
quote_nickname (const char *nickname)
{
  GString *quoted = g_string_new ("\"");

  for (const char *c = nickname; *c; c++) {
    if (*c == '"' || *c == '\\')
      g_string_append_c (quoted, '\\');
    g_string_append_c (quoted, *c);
  }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

static gboolean
is_nickname (const char *nickname)
{
  if (!*nickname || !g_utf8_validate (nickname, -1, NULL))
    return FALSE;
  for (const char *c = nickname; *c; c = g_utf8_next_char (c)) {
    if (g_unichar_iscntrl (g_utf8_get_char (c)))
      return FALSE;
  }
  return TRUE;
}

/* A NICKNAME on its way: cancelling returns at once, and the answer that
 * comes later is dropped. */
typedef struct
{
  GSource  *cancelled;
  gboolean  returned;
} NicknameRequest;

static void
nickname_request_free (NicknameRequest *request)
{
  g_clear_pointer (&request->cancelled, g_source_unref);
  g_free (request);
}

static gboolean
on_nickname_cancelled (GCancellable *cancellable,
                       gpointer      user_data)
{
  GTask *task = user_data;
  NicknameRequest *request = g_task_get_task_data (task);

  if (!request->returned)
    request->returned = g_task_return_error_if_cancelled (task);
  return G_SOURCE_REMOVE;
}

static void
on_nickname_answered (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  NicknameRequest *request = g_task_get_task_data (task);
  g_autoptr (ConfabMsrpMessage) response = NULL;
  g_autoptr (GError) error = NULL;

  response = confab_msrp_session_send_request_finish (CONFAB_MSRP_SESSION (source), result, &error);
  /* Destroying the source drops its reference on the task (ours stays). */
  if (request->cancelled)
    g_source_destroy (request->cancelled);
  if (request->returned)
    return;
  request->returned = TRUE;
  if (!response)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (response->status == 408)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s",
                             _("The other side did not answer in time."));
  else
    g_task_return_int (task, response->status);
}

void
confab_msrp_session_send_nickname_async (ConfabMsrpSession  *self,
                                         const char         *nickname,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  g_autoptr (ConfabMsrpMessage) message = NULL;
  g_autofree char *quoted = NULL;
  NicknameRequest *request;
  GTask *task;

  g_return_if_fail (CONFAB_IS_MSRP_SESSION (self));
  g_return_if_fail (nickname != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_msrp_session_send_nickname_async);
  request = g_new0 (NicknameRequest, 1);
  g_task_set_task_data (task, request, (GDestroyNotify) nickname_request_free);
  if (!is_nickname (nickname)) {
    g_task_return_new_error (task, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID, "%s",
                             _("A nickname must be text without control characters."));
    g_object_unref (task);
    return;
  }
  if (cancellable) {
    request->cancelled = g_cancellable_source_new (cancellable);
    g_source_set_callback (request->cancelled, G_SOURCE_FUNC (on_nickname_cancelled),
                           g_object_ref (task), g_object_unref);
    g_source_attach (request->cancelled, g_main_context_get_thread_default ());
  }
  /* Paths are filled in on sending; no Message-ID, Byte-Range or reports. */
  message = confab_msrp_message_new_request ("NICKNAME", NULL, NULL);
  quoted = quote_nickname (nickname);
  confab_msrp_message_add_header (message, "Use-Nickname", quoted);
  confab_msrp_session_send_request_async (self, message, NULL, on_nickname_answered, task);
}

guint
confab_msrp_session_send_nickname_finish (ConfabMsrpSession  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  gssize status;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  status = g_task_propagate_int (G_TASK (result), error);
  return status > 0 ? (guint) status : 0;
}
