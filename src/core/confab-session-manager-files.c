/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSessionManager"

#include "config.h"

#include "confab-session-manager-private.h"
#include "confab-error.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>

/* The session manager's file transfers (RFC 5547): one session per file
 * sent or fetched, files added to a running session, the download folder
 * and the provider answering pulls. A session that only carried files
 * ends once they are all done. */

static gboolean
is_file_stream_over (ConfabStream *stream)
{
  ConfabStreamState state = confab_stream_get_state (stream);

  if (state == CONFAB_STREAM_STATE_ENDED || state == CONFAB_STREAM_STATE_FAILED)
    return TRUE;
  return CONFAB_IS_FILE_TRANSFER_STREAM (stream) &&
         confab_file_transfer_stream_get_transfer_state (CONFAB_FILE_TRANSFER_STREAM (stream)) >=
           CONFAB_FILE_TRANSFER_STATE_COMPLETED;
}

/**
 * confab_session_is_file_transfer:
 *
 * Returns: whether every live stream of @session is a file transfer
 */
gboolean
confab_session_is_file_transfer (ConfabSession *session)
{
  GListModel *streams;
  guint n, files = 0;

  g_return_val_if_fail (CONFAB_IS_SESSION (session), FALSE);

  streams = confab_session_get_streams (session);
  n = g_list_model_get_n_items (streams);
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);
    ConfabStreamState state = confab_stream_get_state (stream);

    if (CONFAB_IS_FILE_TRANSFER_STREAM (stream))
      files++;
    else if (state != CONFAB_STREAM_STATE_ENDED && state != CONFAB_STREAM_STATE_FAILED)
      return FALSE;
  }
  return files > 0;
}

static gboolean
all_files_over (ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);
  guint n = g_list_model_get_n_items (streams);

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);

    if (!is_file_stream_over (stream))
      return FALSE;
  }
  return TRUE;
}

/* After the last response went out (not from inside the handler that
 * answers the last chunk). */
static gboolean
hang_up_when_over (gpointer user_data)
{
  ConfabSession *session = user_data;

  if (confab_session_get_state (session) < CONFAB_SESSION_STATE_TERMINATING &&
      confab_session_is_file_transfer (session) && all_files_over (session))
    confab_session_hangup (session);
  return G_SOURCE_REMOVE;
}

/* The history keeps each transfer, saved on every change of state (not
 * of progress: one write each). */
static void
record_transfer (ConfabFileTransferStream *stream,
                 ConfabSession            *session)
{
  ConfabSessionManager *self = g_object_get_data (G_OBJECT (session), "confab-session-manager");
  ConfabHistoryTransfer *record = g_object_get_data (G_OBJECT (stream), "confab-history-record");
  const ConfabFileSelector *selector = confab_file_transfer_stream_get_selector (stream);
  ConfabFileTransferState state = confab_file_transfer_stream_get_transfer_state (stream);
  GFile *file = confab_file_transfer_stream_get_file (stream);
  g_autoptr (GError) error = NULL;

  if (!self || !self->history || !selector)
    return;
  if (!record) {
    ConfabAccount *account = confab_session_get_account (session);

    record = g_new0 (ConfabHistoryTransfer, 1);
    record->transfer_id = g_strdup (confab_file_transfer_stream_get_transfer_id (stream));
    record->session_id = g_strdup (confab_session_get_id (session));
    record->local_uri = g_strdup (confab_account_get_address (account));
    record->remote_uri = g_strdup (confab_session_get_remote_uri (session));
    record->remote_display = g_strdup (confab_session_get_remote_display (session));
    record->incoming = confab_file_transfer_stream_get_direction (stream) ==
                       CONFAB_FILE_TRANSFER_INCOMING;
    record->pull = confab_file_transfer_stream_is_pull (stream);
    record->started = g_get_real_time ();
    g_object_set_data_full (G_OBJECT (stream), "confab-history-record", record,
                            (GDestroyNotify) confab_history_transfer_free);
  }
  g_free (record->name);
  record->name = g_strdup (selector->name);
  g_free (record->content_type);
  record->content_type = g_strdup (selector->type);
  record->size = confab_file_transfer_stream_get_size (stream);
  g_free (record->hash);
  record->hash = selector->hash ? g_strconcat ("sha-1:", selector->hash, NULL) : NULL;
  g_free (record->path);
  record->path = file ? g_file_get_path (file) : NULL;
  record->bytes = confab_file_transfer_stream_get_bytes (stream);
  g_free (record->state);
  record->state = g_strdup (state == CONFAB_FILE_TRANSFER_STATE_NEW
                              ? "waiting"
                              : confab_file_transfer_state_to_string (state));
  g_free (record->error);
  record->error = g_strdup (confab_file_transfer_stream_get_error_message (stream));
  record->finished = state >= CONFAB_FILE_TRANSFER_STATE_COMPLETED ? g_get_real_time () : 0;
  if (!confab_history_save_transfer (self->history, record, &error))
    g_warning ("Transfer history: %s", error->message);
}

static void
on_transfer_state (ConfabFileTransferStream *stream,
                   GParamSpec               *pspec,
                   ConfabSession            *session)
{
  record_transfer (stream, session);
}

static void
on_transfer_finished (ConfabFileTransferStream *stream,
                      ConfabSession            *session)
{
  g_timeout_add_full (G_PRIORITY_DEFAULT, 100, hang_up_when_over, g_object_ref (session),
                      g_object_unref);
}

void
_confab_session_manager_watch_file_stream (ConfabSessionManager     *self,
                                           ConfabSession            *session,
                                           ConfabFileTransferStream *stream)
{
  if (g_object_get_data (G_OBJECT (stream), "confab-watched"))
    return;
  g_object_set_data (G_OBJECT (stream), "confab-watched", GINT_TO_POINTER (1));
  g_signal_connect_object (stream, "finished", G_CALLBACK (on_transfer_finished), session, 0);
  g_signal_connect_object (stream, "notify::transfer-state", G_CALLBACK (on_transfer_state),
                           session, 0);
}

static void
setup_file_stream (ConfabSessionManager     *self,
                   ConfabSession            *session,
                   ConfabFileTransferStream *stream)
{
  if (self->download_directory)
    confab_file_transfer_stream_set_directory (stream, self->download_directory);
  if (self->file_provider)
    confab_file_transfer_stream_set_provider (stream, self->file_provider,
                                              self->file_provider_data);
  if (session)
    _confab_session_manager_setup_msrp_stream (self, session, CONFAB_MSRP_STREAM (stream));
}

/* For a peer's offer of a file line. */
ConfabStream *
_confab_session_manager_create_file_stream (ConfabSessionManager *self,
                                            ConfabSession        *session)
{
  ConfabFileTransferStream *stream = confab_file_transfer_stream_new_incoming (
    _confab_session_manager_get_msrp_endpoint (self), self->msrp_tls);

  setup_file_stream (self, session, stream);
  return CONFAB_STREAM (stream);
}

static ConfabSession *
start_file_session (ConfabSessionManager      *self,
                    ConfabAccount             *account,
                    const char                *uri,
                    ConfabFileTransferStream  *stream,
                    GError                   **error)
{
  g_autoptr (GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (ConfabSession) session = NULL;
  g_autofree char *target = NULL;
  g_autofree char *id = NULL;
  g_autofree char *address = NULL;

  target = confab_uri_normalize (uri, NULL);
  if (!target) {
    g_object_unref (stream);
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not an address"), uri);
    return NULL;
  }
  id = _confab_session_manager_next_id (self);
  address = _confab_session_manager_media_address (self);
  g_ptr_array_add (streams, stream);
  session = _confab_session_new_outgoing (id, account, target, streams, address);
  /* The relay AUTH happens when the stream prepares, before the INVITE. */
  setup_file_stream (self, session, stream);
  _confab_session_manager_watch_streams (self, session);
  if (!_confab_session_send_invite (session, NULL, error))
    return NULL;
  _confab_session_manager_add_session (self, session);
  return session;
}

static gboolean
check_readable (GFile   *file,
                GError **error)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                                                  G_FILE_ATTRIBUTE_ACCESS_CAN_READ,
                                                  G_FILE_QUERY_INFO_NONE, NULL, error);

  if (!info)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE, _("“%s” is not a regular file"),
                 g_file_peek_path (file));
    return FALSE;
  }
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ) &&
      !g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_READ)) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, _("“%s” cannot be read"),
                 g_file_peek_path (file));
    return FALSE;
  }
  return TRUE;
}

/**
 * confab_session_manager_send_file:
 *
 * Returns: (transfer none): the session carrying @file
 */
ConfabSession *
confab_session_manager_send_file (ConfabSessionManager  *self,
                                  ConfabAccount         *account,
                                  const char            *uri,
                                  GFile                 *file,
                                  GError               **error)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (uri != NULL && G_IS_FILE (file), NULL);

  if (!check_readable (file, error))
    return NULL;
  return start_file_session (self, account, uri,
                             confab_file_transfer_stream_new_push (
                               _confab_session_manager_get_msrp_endpoint (self), self->msrp_tls,
                               file, NULL),
                             error);
}

/**
 * confab_session_manager_fetch_file:
 *
 * Returns: (transfer none): the session fetching the file
 */
ConfabSession *
confab_session_manager_fetch_file (ConfabSessionManager      *self,
                                   ConfabAccount             *account,
                                   const char                *uri,
                                   const ConfabFileSelector  *wanted,
                                   GError                   **error)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (uri != NULL && wanted != NULL, NULL);

  if (!wanted->hash && !wanted->name) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("A file to fetch needs a name or a hash"));
    return NULL;
  }
  return start_file_session (self, account, uri,
                             confab_file_transfer_stream_new_pull (
                               _confab_session_manager_get_msrp_endpoint (self), self->msrp_tls,
                               wanted, self->download_directory),
                             error);
}

gboolean
confab_session_manager_add_file (ConfabSessionManager  *self,
                                 ConfabSession         *session,
                                 GFile                 *file,
                                 GError               **error)
{
  ConfabFileTransferStream *stream;
  gboolean added;

  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_SESSION (session), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (!check_readable (file, error))
    return FALSE;
  stream = confab_file_transfer_stream_new_push (_confab_session_manager_get_msrp_endpoint (self),
                                                 self->msrp_tls, file, NULL);
  setup_file_stream (self, session, stream);
  added = _confab_session_add_stream (session, CONFAB_STREAM (stream), error);
  g_object_unref (stream);
  return added;
}

void
confab_session_manager_set_download_directory (ConfabSessionManager *self,
                                               GFile                *directory)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  g_set_object (&self->download_directory, directory);
}

/**
 * confab_session_manager_get_download_directory:
 *
 * Returns: (transfer none) (nullable): the folder set, or %NULL for the
 *   XDG download folder
 */
GFile *
confab_session_manager_get_download_directory (ConfabSessionManager *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  return self->download_directory;
}

void
confab_session_manager_set_file_provider (ConfabSessionManager *self,
                                          ConfabFileProvider    provider,
                                          gpointer              user_data,
                                          GDestroyNotify        destroy)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));

  if (self->file_provider_destroy)
    self->file_provider_destroy (self->file_provider_data);
  self->file_provider = provider;
  self->file_provider_data = user_data;
  self->file_provider_destroy = destroy;
}

void
_confab_session_manager_clear_files (ConfabSessionManager *self)
{
  g_clear_object (&self->download_directory);
  confab_session_manager_set_file_provider (self, NULL, NULL, NULL);
}
