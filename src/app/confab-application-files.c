/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application-private.h"
#include "confab-transfer-files.h"
#include "confab-transfers-window.h"

#include <glib/gi18n.h>

/* The application's side of file transfer: it keeps the download folder
 * of the preferences in the session manager, answers a peer's request for
 * a file we sent or received (a pull, as a resume does) from the history,
 * asks before accepting a file offered (a dialog, and a notification
 * while Confab is not focused), keeps every transfer of this run for the
 * Transfers window, and sends files from the main window. */

#define WATCHED_KEY      "confab-application-files-watched"
#define OFFER_SESSION_KEY "confab-application-files-offer"
#define HASH_PREFIX      "sha-1:"

static char *
dup_notification_id (const char *session_id)
{
  return g_strconcat ("file-", session_id, NULL);
}

static ConfabSession *
find_session (ConfabApplication *self,
              const char        *id)
{
  return self->sessions && id ? confab_session_manager_find (self->sessions, id) : NULL;
}

static char *
dup_peer_name (ConfabSession *session)
{
  const char *display = confab_session_get_remote_display (session);
  const char *uri = confab_session_get_remote_uri (session);

  if (display && *display)
    return g_strdup (display);
  if (uri && (g_str_has_prefix (uri, "sip:") || g_str_has_prefix (uri, "tel:")))
    return g_strdup (uri + 4);
  if (uri && g_str_has_prefix (uri, "sips:"))
    return g_strdup (uri + 5);
  return g_strdup (uri ? uri : _("Someone"));
}

/* The download folder */

static void
apply_download_folder (ConfabApplication *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "download-folder");
  g_autoptr (GFile) folder = NULL;

  if (path && *path)
    folder = g_file_new_for_commandline_arg (path);
  confab_session_manager_set_download_directory (self->sessions, folder);
}

static void
on_download_folder_changed (GSettings         *settings,
                            const char        *key,
                            ConfabApplication *self)
{
  apply_download_folder (self);
}

/* Pulls: the history knows which files we sent or received, by hash. */
static GFile *
provide_file (const ConfabFileSelector *wanted,
              gpointer                  user_data)
{
  ConfabApplication *self = user_data;
  ConfabHistory *history = confab_application_get_history (self);
  g_autoptr (ConfabHistoryTransfer) found = NULL;
  g_autofree char *prefixed = NULL;
  g_autoptr (GError) error = NULL;

  if (!history || !wanted->hash)
    return NULL;
  prefixed = g_strconcat (HASH_PREFIX, wanted->hash, NULL);
  found = confab_history_find_transfer_by_hash (history, prefixed, &error);
  if (!found && !error)
    found = confab_history_find_transfer_by_hash (history, wanted->hash, &error);
  if (error)
    g_warning ("A file asked for could not be looked up: %s", error->message);
  if (!found || !found->path)
    return NULL;
  g_info ("Serving %s (%s) to a pull", found->path, wanted->hash);
  return g_file_new_for_path (found->path);
}

/* The transfers of this run */

static void
track_transfer (ConfabApplication        *self,
                ConfabSession            *session,
                ConfabFileTransferStream *stream)
{
  if (g_object_get_data (G_OBJECT (stream), WATCHED_KEY))
    return;
  g_object_set_data (G_OBJECT (stream), WATCHED_KEY, GINT_TO_POINTER (TRUE));
  /* Retry and Resume need the session's peer and account after it ended. */
  confab_transfer_list_add (self->transfers, session, stream);
}

static void
on_streams_changed (GListModel        *streams,
                    guint              position,
                    guint              removed,
                    guint              added,
                    ConfabApplication *self)
{
  ConfabSession *session = g_object_get_data (G_OBJECT (streams), OFFER_SESSION_KEY);

  for (guint i = 0; session && i < added; i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, position + i);

    if (CONFAB_IS_FILE_TRANSFER_STREAM (stream))
      track_transfer (self, session, CONFAB_FILE_TRANSFER_STREAM (stream));
  }
}

static void
on_session_added (ConfabSessionManager *manager,
                  ConfabSession        *session,
                  ConfabApplication    *self)
{
  GListModel *streams = confab_session_get_streams (session);

  /* The streams model lives as long as its session. */
  g_object_set_data (G_OBJECT (streams), OFFER_SESSION_KEY, session);
  g_signal_connect_object (streams, "items-changed", G_CALLBACK (on_streams_changed), self, 0);
  on_streams_changed (streams, 0, 0, g_list_model_get_n_items (streams), self);
}

/**
 * _confab_application_get_transfer_session:
 *
 * Returns: (transfer none) (nullable): the session @stream came in
 */
ConfabSession *
_confab_application_get_transfer_session (ConfabFileTransferStream *stream)
{
  return confab_transfer_get_session (stream);
}

/* File offers */

static gboolean
app_is_focused (ConfabApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next) {
    if (gtk_window_is_active (l->data))
      return TRUE;
  }
  return FALSE;
}

/* "Alice wants to send you “report.pdf” (1.2 MB)", or the number of files
 * and their total size. */
static char *
dup_offer_text (ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);
  g_autofree char *peer = dup_peer_name (session);
  g_autofree char *total = NULL;
  const char *name = NULL;
  guint64 size = 0;
  guint n_files = 0;

  for (guint i = 0; i < g_list_model_get_n_items (streams); i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);
    const ConfabFileSelector *selector;

    if (!CONFAB_IS_FILE_TRANSFER_STREAM (stream))
      continue;
    selector = confab_file_transfer_stream_get_selector (CONFAB_FILE_TRANSFER_STREAM (stream));
    n_files++;
    size += confab_file_transfer_stream_get_size (CONFAB_FILE_TRANSFER_STREAM (stream));
    if (selector && selector->name)
      name = selector->name;
  }
  total = g_format_size (size);
  if (n_files == 1 && name && size)
    /* Translators: the sender, the file's name and its size */
    return g_strdup_printf (_("%s wants to send you “%s” (%s)."), peer, name, total);
  if (n_files == 1 && name)
    /* Translators: the sender and the file's name */
    return g_strdup_printf (_("%s wants to send you “%s”."), peer, name);
  return g_strdup_printf (ngettext ("%s wants to send you %u file (%s).",
                                       "%s wants to send you %u files (%s).", n_files),
                          peer, n_files, total);
}

static void
on_offer_state (ConfabSession     *session,
                GParamSpec        *pspec,
                ConfabApplication *self)
{
  g_autofree char *id = NULL;
  GtkWindow *dialog;

  if (confab_session_get_state (session) == CONFAB_SESSION_STATE_INCOMING)
    return;
  g_signal_handlers_disconnect_by_func (session, on_offer_state, self);
  id = dup_notification_id (confab_session_get_id (session));
  g_application_withdraw_notification (G_APPLICATION (self), id);
  /* Decided elsewhere (the notification), or the peer gave up. */
  dialog = self->file_offers ? g_hash_table_lookup (self->file_offers,
                                                    confab_session_get_id (session))
                             : NULL;
  if (dialog)
    gtk_window_destroy (dialog);
}

static void
decline_offer (ConfabApplication *self,
               ConfabSession     *session)
{
  if (confab_session_get_state (session) == CONFAB_SESSION_STATE_INCOMING)
    confab_session_reject (session, 603);
}

static void
accept_offer (ConfabApplication *self,
              ConfabSession     *session)
{
  if (confab_session_get_state (session) != CONFAB_SESSION_STATE_INCOMING)
    return;
  confab_session_accept (session);
  confab_application_present_session (self, session);
}

static void
on_offer_response (AdwMessageDialog  *dialog,
                   const char        *response,
                   ConfabApplication *self)
{
  ConfabSession *session = g_object_get_data (G_OBJECT (dialog), OFFER_SESSION_KEY);

  if (!session || confab_session_get_state (session) != CONFAB_SESSION_STATE_INCOMING)
    return;
  if (g_str_equal (response, "save"))
    accept_offer (self, session);
  else
    decline_offer (self, session);
}

static void
on_offer_dialog_destroy (GtkWidget         *dialog,
                         ConfabApplication *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "session-id");

  if (id && self->file_offers && g_hash_table_lookup (self->file_offers, id) == dialog)
    g_hash_table_remove (self->file_offers, id);
}

static GtkWindow *
pick_parent (ConfabApplication *self)
{
  GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (active && gtk_widget_get_visible (GTK_WIDGET (active)) && !ADW_IS_MESSAGE_DIALOG (active))
    return active;
  return GTK_WINDOW (confab_application_get_main_window (self));
}

static void
show_offer_dialog (ConfabApplication *self,
                   ConfabSession     *session)
{
  const char *id = confab_session_get_id (session);
  GtkWindow *dialog = g_hash_table_lookup (self->file_offers, id);
  g_autofree char *body = NULL;
  guint n_files = 0;
  GListModel *streams;

  if (dialog) {
    gtk_window_present (dialog);
    return;
  }
  streams = confab_session_get_streams (session);
  for (guint i = 0; i < g_list_model_get_n_items (streams); i++) {
    g_autoptr (GObject) stream = g_list_model_get_item (streams, i);

    n_files += CONFAB_IS_FILE_TRANSFER_STREAM (stream);
  }
  body = dup_offer_text (session);
  dialog = GTK_WINDOW (adw_message_dialog_new (pick_parent (self),
                                               ngettext ("Receive the File?",
                                                            "Receive the Files?", n_files),
                                               body));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "decline", _("_Decline"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "decline",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "decline");
  g_object_set_data_full (G_OBJECT (dialog), OFFER_SESSION_KEY, g_object_ref (session),
                          g_object_unref);
  g_object_set_data_full (G_OBJECT (dialog), "session-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_offer_response), self, 0);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (on_offer_dialog_destroy), self, 0);
  g_hash_table_insert (self->file_offers, g_strdup (id), dialog);
  gtk_window_set_application (dialog, GTK_APPLICATION (self));
  gtk_window_present (dialog);
}

static void
notify_offer (ConfabApplication *self,
              ConfabSession     *session)
{
  g_autoptr (GNotification) notification = g_notification_new (_("Incoming file"));
  g_autoptr (GIcon) icon = g_themed_icon_new ("document-send-symbolic");
  g_autofree char *body = dup_offer_text (session);
  g_autofree char *id = dup_notification_id (confab_session_get_id (session));
  const char *session_id = confab_session_get_id (session);

  g_notification_set_body (notification, body);
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target (notification, "app.show-file-offer", "s",
                                                session_id);
  g_notification_add_button_with_target (notification, _("Decline"), "app.decline-file", "s",
                                         session_id);
  g_notification_add_button_with_target (notification, _("Save"), "app.accept-file", "s",
                                         session_id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* A peer asking for a file of ours: the provider already found it, or the
 * session would not exist. */
static gboolean
is_pull_request (ConfabSession *session)
{
  GListModel *streams = confab_session_get_streams (session);
  guint pulls = 0;

  for (guint i = 0; i < g_list_model_get_n_items (streams); i++) {
    g_autoptr (ConfabStream) stream = g_list_model_get_item (streams, i);
    ConfabFileTransferStream *transfer;

    if (!CONFAB_IS_FILE_TRANSFER_STREAM (stream))
      continue;
    transfer = CONFAB_FILE_TRANSFER_STREAM (stream);
    if (confab_file_transfer_stream_get_direction (transfer) != CONFAB_FILE_TRANSFER_OUTGOING ||
        !confab_file_transfer_stream_is_pull (transfer))
      return FALSE;
    pulls++;
  }
  return pulls > 0;
}

/**
 * _confab_application_offer_file:
 *
 * Handles @session when it is an incoming session of files only: a pull
 * of a file we have is served at once, files offered are shown in a
 * dialog (and a notification while Confab is not focused) to save or
 * decline. Their window opens once accepted.
 *
 * Returns: whether @session was such an offer
 */
gboolean
_confab_application_offer_file (ConfabApplication *self,
                                ConfabSession     *session)
{
  if (!confab_session_is_incoming (session) ||
      confab_session_get_state (session) != CONFAB_SESSION_STATE_INCOMING ||
      !confab_session_is_file_transfer (session))
    return FALSE;
  if (is_pull_request (session)) {
    g_info ("%s: serving a file the peer asked for", confab_session_get_id (session));
    confab_session_accept (session);
    return TRUE;
  }
  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_offer_state), self, 0);
  if (!app_is_focused (self))
    notify_offer (self, session);
  show_offer_dialog (self, session);
  return TRUE;
}

static void
on_accept_file_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  ConfabApplication *self = user_data;
  ConfabSession *session = find_session (self, g_variant_get_string (parameter, NULL));

  if (session)
    accept_offer (self, session);
}

static void
on_decline_file_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  ConfabApplication *self = user_data;
  ConfabSession *session = find_session (self, g_variant_get_string (parameter, NULL));

  if (session)
    decline_offer (self, session);
}

static void
on_show_file_offer_activated (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  ConfabApplication *self = user_data;
  ConfabSession *session = find_session (self, g_variant_get_string (parameter, NULL));

  if (!session) {
    confab_application_show_transfers (self);
  } else if (confab_session_get_state (session) == CONFAB_SESSION_STATE_INCOMING) {
    gtk_window_present (pick_parent (self));
    show_offer_dialog (self, session);
  } else {
    confab_application_present_session (self, session);
  }
}

static void
on_transfers_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  confab_application_show_transfers (CONFAB_APPLICATION (user_data));
}

static const GActionEntry file_actions[] = {
  { "accept-file", on_accept_file_activated, "s", NULL, NULL, { 0 } },
  { "decline-file", on_decline_file_activated, "s", NULL, NULL, { 0 } },
  { "show-file-offer", on_show_file_offer_activated, "s", NULL, NULL, { 0 } },
  { "transfers", on_transfers_activated, NULL, NULL, NULL, { 0 } },
};

void
_confab_application_startup_files (ConfabApplication *self)
{
  static const char *send_file_accels[] = { "<Control><Shift>f", NULL };
  static const char *transfers_accels[] = { "<Control><Shift>t", NULL };

  if (!self->transfers)
    self->transfers = g_list_store_new (CONFAB_TYPE_FILE_TRANSFER_STREAM);
  self->file_offers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_action_map_add_action_entries (G_ACTION_MAP (self), file_actions, G_N_ELEMENTS (file_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "session.send-file",
                                         send_file_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.send-file",
                                         send_file_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.transfers",
                                         transfers_accels);
  if (!self->sessions)
    return;
  g_signal_connect_object (self->settings, "changed::download-folder",
                           G_CALLBACK (on_download_folder_changed), self, 0);
  apply_download_folder (self);
  confab_session_manager_set_file_provider (self->sessions, provide_file, self, NULL);
  g_signal_connect_object (self->sessions, "session-added", G_CALLBACK (on_session_added), self,
                           0);
}

void
_confab_application_shutdown_files (ConfabApplication *self)
{
  if (self->sessions)
    confab_session_manager_set_file_provider (self->sessions, NULL, NULL, NULL);
  /* Each stream holds its session, which holds the stream. */
  if (self->transfers)
    confab_transfer_list_clear (self->transfers);
  g_clear_pointer (&self->file_offers, g_hash_table_unref);
  g_clear_weak_pointer (&self->transfers_window);
}

/**
 * confab_application_send_file:
 * @address: whom to send @file to: a sip: address, a user@host
 *
 * Sends @file to @address in a session of its own, from
 * confab_application_pick_account(); the session's window shows the
 * transfer.
 *
 * Returns: (transfer none) (nullable): the session
 */
ConfabSession *
confab_application_send_file (ConfabApplication  *self,
                              const char         *address,
                              GFile              *file,
                              GError            **error)
{
  g_autofree char *target = NULL;
  ConfabAccount *account;

  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (!self->sessions) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("Confab’s SIP engine is not running. Restart Confab to send files."));
    return NULL;
  }
  target = confab_uri_normalize (address, NULL);
  if (!target) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not a SIP address"),
                 address);
    return NULL;
  }
  account = confab_application_pick_account (self, target);
  if (!account) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                 _("No account is online. Enable the local account or add a provider "
                   "account in Preferences."));
    return NULL;
  }
  /* "session-added" opens the window. */
  return confab_session_manager_send_file (self->sessions, account, target, file, error);
}

/**
 * confab_application_get_transfers:
 *
 * Returns: (transfer none): every #ConfabFileTransferStream of this run,
 *   the newest first
 */
GListModel *
confab_application_get_transfers (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);

  if (!self->transfers)
    self->transfers = g_list_store_new (CONFAB_TYPE_FILE_TRANSFER_STREAM);
  return G_LIST_MODEL (self->transfers);
}

/**
 * confab_application_show_transfers:
 *
 * Presents the Transfers window, opening it when needed.
 *
 * Returns: (transfer none): the window
 */
GtkWindow *
confab_application_show_transfers (ConfabApplication *self)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);

  if (!self->transfers_window) {
    GtkWindow *window = GTK_WINDOW (confab_transfers_window_new (
      GTK_APPLICATION (self), confab_application_get_transfers (self),
      confab_application_get_history (self)));

    g_set_weak_pointer (&self->transfers_window, window);
  }
  gtk_window_present (self->transfers_window);
  return self->transfers_window;
}

/**
 * confab_application_get_file_offer_dialog:
 *
 * Returns: (transfer none) (nullable): the dialog asking whether to save
 *   the files @session offers
 */
GtkWindow *
confab_application_get_file_offer_dialog (ConfabApplication *self,
                                          ConfabSession     *session)
{
  g_return_val_if_fail (CONFAB_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (CONFAB_IS_SESSION (session), NULL);

  return self->file_offers ? g_hash_table_lookup (self->file_offers,
                                                  confab_session_get_id (session))
                           : NULL;
}
