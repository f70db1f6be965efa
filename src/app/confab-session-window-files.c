/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-application.h"
#include "confab-session-window-private.h"
#include "confab-transfer-row.h"

#include <glib/gi18n.h>

/* The session window's files: the "files" page of the content stack lists
 * every file transfer stream of the session, one ConfabTransferRow each.
 * Files go out with Send File… (a file chooser), by dropping them on the
 * window, or by pasting them (Ctrl+V with files on the clipboard): into
 * the running session by re-INVITE, or, once it ended, in a new session
 * with the same party. A session of files only shows just this page in a
 * small window; a call or a chat shows a Transfers toggle in the header
 * once it has a transfer. */

#define FILES_ONLY_WIDTH  480
#define FILES_ONLY_HEIGHT 360

static GSimpleAction *
lookup (ConfabSessionWindow *self,
        const char          *name)
{
  return G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), name));
}

static ConfabSessionManager *
get_session_manager (ConfabSessionWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return CONFAB_IS_APPLICATION (app)
           ? confab_application_get_session_manager (CONFAB_APPLICATION (app))
           : NULL;
}

static gboolean
is_transfer (gpointer item,
             gpointer user_data)
{
  return CONFAB_IS_FILE_TRANSFER_STREAM (item);
}

static guint
count_transfers (ConfabSessionWindow *self)
{
  return self->transfers ? g_list_model_get_n_items (G_LIST_MODEL (self->transfers)) : 0;
}

gboolean
_confab_session_window_has_transfers (ConfabSessionWindow *self)
{
  return count_transfers (self) > 0;
}

/**
 * _confab_session_window_is_files_only:
 *
 * Returns: whether the session carries file transfers and neither audio
 *   nor a chat
 */
gboolean
_confab_session_window_is_files_only (ConfabSessionWindow *self)
{
  return self->session && !self->audio && !self->chat && count_transfers (self) > 0;
}

/**
 * _confab_session_window_shows_files:
 *
 * Returns: whether the content stack should show the "files" page
 */
gboolean
_confab_session_window_shows_files (ConfabSessionWindow *self)
{
  gboolean incoming = self->session &&
                      confab_session_get_state (self->session) == CONFAB_SESSION_STATE_INCOMING;

  if (_confab_session_window_is_files_only (self))
    return TRUE;
  return self->files_shown && !incoming && count_transfers (self) > 0;
}

/* Files go into the running session; after it ended, into a new one with
 * the same party (which takes over this window). */
static gboolean
can_send (ConfabSessionWindow *self)
{
  ConfabSessionState state;

  if (!self->session || !get_session_manager (self))
    return FALSE;
  state = confab_session_get_state (self->session);
  return state == CONFAB_SESSION_STATE_ESTABLISHED ||
         (state == CONFAB_SESSION_STATE_TERMINATED &&
          confab_session_get_callback_uri (self->session) &&
          confab_session_get_account (self->session));
}

/* A dialog of its own per file would be much; one toast says it. */
static void
report_error (ConfabSessionWindow *self,
              GFile               *file,
              const char          *reason)
{
  g_autofree char *name = g_file_get_basename (file);
  /* Translators: a file name, then why it cannot be sent */
  g_autofree char *message = g_strdup_printf (_("“%s” cannot be sent: %s"), name, reason);

  _confab_session_window_add_toast (self, message);
}

/**
 * _confab_session_window_send_files:
 * @files: (element-type GFile): what to send
 *
 * Sends @files to the other party, one transfer each.
 */
void
_confab_session_window_send_files (ConfabSessionWindow *self,
                                   GSList              *files)
{
  ConfabSessionManager *manager = get_session_manager (self);
  gboolean ended;

  if (!files)
    return;
  if (!manager) {
    _confab_session_window_add_toast (
      self, _("Confab’s SIP engine is not running. Restart Confab to send files."));
    return;
  }
  if (!can_send (self)) {
    _confab_session_window_add_toast (self, _("Files can be sent once the session is connected"));
    return;
  }
  ended = confab_session_get_state (self->session) == CONFAB_SESSION_STATE_TERMINATED;
  for (GSList *l = files; l; l = l->next) {
    GFile *file = l->data;
    g_autoptr (GError) error = NULL;
    gboolean ok;

    if (!g_file_is_native (file)) {
      report_error (self, file, _("only files on this computer can be sent"));
      continue;
    }
    if (ended)
      ok = confab_session_manager_send_file (manager, confab_session_get_account (self->session),
                                             confab_session_get_callback_uri (self->session), file,
                                             &error) != NULL;
    else
      ok = confab_session_manager_add_file (manager, self->session, file, &error);
    if (!ok)
      report_error (self, file, error->message);
  }
  /* The new streams show up through "items-changed". */
  if (!ended)
    self->files_shown = TRUE;
  _confab_session_window_update_files (self);
}

static GtkWidget *
create_transfer_row (gpointer item,
                     gpointer user_data)
{
  ConfabSessionWindow *self = user_data;

  return confab_transfer_row_new (CONFAB_FILE_TRANSFER_STREAM (item), self->session);
}

static void
on_transfers_changed (GListModel          *model,
                      guint                position,
                      guint                removed,
                      guint                added,
                      ConfabSessionWindow *self)
{
  /* A transfer that appears is what the user wants to see, whoever
   * started it. */
  if (added > 0)
    self->files_shown = TRUE;
  _confab_session_window_update_files (self);
  /* The audio bar and the header follow what the session carries. */
  _confab_session_window_update_chat (self);
}

/**
 * _confab_session_window_update_files:
 *
 * The Transfers toggle, Send File… and the window's size follow the
 * session.
 */
void
_confab_session_window_update_files (ConfabSessionWindow *self)
{
  gboolean files_only = _confab_session_window_is_files_only (self);
  gboolean shown = _confab_session_window_shows_files (self);
  gboolean incoming = self->session &&
                      confab_session_get_state (self->session) == CONFAB_SESSION_STATE_INCOMING;

  gtk_widget_set_visible (self->files_toggle, count_transfers (self) > 0 && !files_only);
  g_simple_action_set_enabled (lookup (self, "show-files"),
                               count_transfers (self) > 0 && !files_only && !incoming);
  g_simple_action_set_state (lookup (self, "show-files"), g_variant_new_boolean (shown));
  gtk_widget_set_tooltip_text (self->files_toggle,
                               shown ? (self->chat ? _("Show Chat") : _("Show the Call"))
                                     : _("Show Transfers"));
  g_simple_action_set_enabled (lookup (self, "send-file"), can_send (self));

  /* A window for a file or two need not be as tall as a call's. */
  if (files_only && !gtk_widget_get_realized (GTK_WIDGET (self)))
    gtk_window_set_default_size (GTK_WINDOW (self), FILES_ONLY_WIDTH, FILES_ONLY_HEIGHT);
}

void
_confab_session_window_watch_files (ConfabSessionWindow *self)
{
  g_autoptr (GtkCustomFilter) filter = gtk_custom_filter_new (is_transfer, NULL, NULL);

  g_assert (self->session);

  self->files_shown = FALSE;
  self->transfers = gtk_filter_list_model_new (
    g_object_ref (confab_session_get_streams (self->session)),
    GTK_FILTER (g_steal_pointer (&filter)));
  gtk_list_box_bind_model (self->transfer_list, G_LIST_MODEL (self->transfers),
                           create_transfer_row, self, NULL);
  g_signal_connect_object (self->transfers, "items-changed", G_CALLBACK (on_transfers_changed),
                           self, 0);
  _confab_session_window_update_files (self);
}

void
_confab_session_window_unwatch_files (ConfabSessionWindow *self)
{
  if (self->transfers)
    g_signal_handlers_disconnect_by_data (self->transfers, self);
  gtk_list_box_bind_model (self->transfer_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->transfers);
  self->files_shown = FALSE;
}

/* Send File… */

static void
on_chooser_response (GtkNativeDialog     *chooser,
                     int                  response,
                     ConfabSessionWindow *self)
{
  g_autoptr (GListModel) chosen = NULL;
  GSList *files = NULL;

  if (response == GTK_RESPONSE_ACCEPT) {
    chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
    for (guint i = g_list_model_get_n_items (chosen); i > 0; i--)
      files = g_slist_prepend (files, g_list_model_get_item (chosen, i - 1));
    _confab_session_window_send_files (self, files);
    g_slist_free_full (files, g_object_unref);
  }
  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->file_chooser);
}

static void
on_send_file_activated (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  g_autofree char *name = _confab_session_window_dup_remote_name (self->session);
  /* Translators: the title of the file chooser; %s is the other party */
  g_autofree char *title = g_strdup_printf (_("Send Files to %s"), name);

  if (self->file_chooser) {
    gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
    return;
  }
  self->file_chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_OPEN, _("_Send"),
                                                    _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->file_chooser), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->file_chooser), TRUE);
  g_signal_connect_object (self->file_chooser, "response", G_CALLBACK (on_chooser_response), self,
                           0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
on_show_files_change_state (GSimpleAction *action,
                            GVariant      *value,
                            gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;

  self->files_shown = g_variant_get_boolean (value);
  _confab_session_window_update_files (self);
  _confab_session_window_update_chat (self);
}

/* Drag and drop */

static gboolean
on_drop_accept (GtkDropTarget       *target,
                GdkDrop             *drop,
                ConfabSessionWindow *self)
{
  return can_send (self) &&
         gdk_content_formats_contain_gtype (gdk_drop_get_formats (drop), GDK_TYPE_FILE_LIST);
}

static GdkDragAction
on_drop_enter (GtkDropTarget       *target,
               double               x,
               double               y,
               ConfabSessionWindow *self)
{
  g_autofree char *name = _confab_session_window_dup_remote_name (self->session);
  /* Translators: shown while files are dragged over a session's window;
   * %s is the other party */
  g_autofree char *text = g_strdup_printf (_("Drop to send to %s"), name);

  gtk_label_set_label (self->drop_label, text);
  gtk_widget_set_visible (self->drop_highlight, TRUE);
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget       *target,
               ConfabSessionWindow *self)
{
  gtk_widget_set_visible (self->drop_highlight, FALSE);
}

static gboolean
on_drop (GtkDropTarget       *target,
         const GValue        *value,
         double               x,
         double               y,
         ConfabSessionWindow *self)
{
  GSList *files;

  gtk_widget_set_visible (self->drop_highlight, FALSE);
  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  _confab_session_window_send_files (self, files);
  g_slist_free (files);
  return TRUE;
}

/* Paste */

static gboolean
clipboard_has_files (GdkClipboard *clipboard)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  return gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST) ||
         gdk_content_formats_contain_mime_type (formats, "text/uri-list");
}

static void
on_clipboard_files (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr (ConfabSessionWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  const GValue *value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source), result, &error);
  GSList *files;

  if (!value) {
    g_autofree char *message = g_strdup_printf (_("The files cannot be pasted: %s"),
                                                error->message);

    _confab_session_window_add_toast (self, message);
    return;
  }
  if (!self->session)
    return;
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  _confab_session_window_send_files (self, files);
  g_slist_free (files);
}

/* Ctrl+V with files on the clipboard sends them, wherever the focus is
 * (the chat entry would only paste their addresses); anything else pastes
 * as usual. */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ConfabSessionWindow   *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  if ((keyval != GDK_KEY_v && keyval != GDK_KEY_V) ||
      (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) != GDK_CONTROL_MASK ||
      !self->session || !clipboard_has_files (clipboard))
    return GDK_EVENT_PROPAGATE;
  gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                  on_clipboard_files, g_object_ref (self));
  return GDK_EVENT_STOP;
}

static void
on_paste_files_activated (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  ConfabSessionWindow *self = user_data;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  if (!clipboard_has_files (clipboard)) {
    _confab_session_window_add_toast (self, _("There are no files on the clipboard"));
    return;
  }
  gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                  on_clipboard_files, g_object_ref (self));
}

static const GActionEntry files_actions[] = {
  { "send-file", on_send_file_activated, NULL, NULL, NULL, { 0 } },
  { "show-files", NULL, NULL, "false", on_show_files_change_state, { 0 } },
  { "paste-files", on_paste_files_activated, NULL, NULL, NULL, { 0 } },
};

void
_confab_session_window_init_files (ConfabSessionWindow *self)
{
  GtkDropTarget *target;
  GtkEventController *keys;

  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), files_actions,
                                   G_N_ELEMENTS (files_actions), self);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "accept", G_CALLBACK (on_drop_accept), self, 0);
  g_signal_connect_object (target, "enter", G_CALLBACK (on_drop_enter), self, 0);
  g_signal_connect_object (target, "leave", G_CALLBACK (on_drop_leave), self, 0);
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (self->drop_area, GTK_EVENT_CONTROLLER (target));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  _confab_session_window_update_files (self);
}

void
_confab_session_window_dispose_files (ConfabSessionWindow *self)
{
  if (self->file_chooser)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);
}

/**
 * confab_session_window_get_transfer_list:
 *
 * Returns: (transfer none): the "files" page's list, one
 *   #ConfabTransferRow per file transfer of the session
 */
GtkListBox *
confab_session_window_get_transfer_list (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return self->transfer_list;
}

/**
 * confab_session_window_send_files:
 * @files: (element-type GFile): what to send
 *
 * What dropping @files on the window does: sends them to the other party.
 */
void
confab_session_window_send_files (ConfabSessionWindow *self,
                                  GSList              *files)
{
  g_return_if_fail (CONFAB_IS_SESSION_WINDOW (self));
  _confab_session_window_send_files (self, files);
}
