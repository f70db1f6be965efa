/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-transfers-window.h"
#include "confab-application-private.h"
#include "confab-chat-text.h"
#include "confab-transfer-files.h"
#include "confab-transfer-row.h"

#include <glib/gi18n.h>

/* The Transfers window: every transfer of this run, newest first, with
 * the live ConfabTransferRow (progress, Cancel, Retry…), above the earlier
 * ones the history keeps, in simpler rows (name, peer, size, how it ended,
 * when; Open and Show in Folder while the file is there, Resume while a
 * download's .part is, Retry while a file sent is). Clear Finished takes what is over for good off
 * both lists (confab_transfer_is_done()): a download that can still be
 * resumed stays, and so does a send the other side may pull the rest of.
 * No file is ever deleted, received or partial. */

/* The history is read again at most this often while transfers save. */
#define PAST_REFRESH_MS 500

struct _ConfabTransfersWindow
{
  AdwWindow      parent_instance;

  GListModel    *transfers;
  ConfabHistory *history;
  GPtrArray     *past;         /* ConfabHistoryTransfer, shown in past_list */
  guint          refresh_id;

  GtkButton       *clear_button;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkWidget     *live_heading;
  GtkListBox    *live_list;
  GtkWidget     *past_heading;
  GtkListBox    *past_list;
};

G_DEFINE_FINAL_TYPE (ConfabTransfersWindow, confab_transfers_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_TRANSFERS,
  PROP_HISTORY,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* The history has this run's transfers too, and those they continue;
 * they show live above. */
static gboolean
is_live (ConfabTransfersWindow       *self,
         const ConfabHistoryTransfer *transfer)
{
  guint n = g_list_model_get_n_items (self->transfers);

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabFileTransferStream) stream = g_list_model_get_item (self->transfers, i);

    if (confab_transfer_is_recorded_as (stream, transfer))
      return TRUE;
  }
  return FALSE;
}

static char *
dup_peer (const ConfabHistoryTransfer *transfer)
{
  const char *uri = transfer->remote_uri;

  if (transfer->remote_display && *transfer->remote_display)
    return g_strdup (transfer->remote_display);
  if (uri && (g_str_has_prefix (uri, "sip:") || g_str_has_prefix (uri, "tel:")))
    return g_strdup (uri + 4);
  if (uri && g_str_has_prefix (uri, "sips:"))
    return g_strdup (uri + 5);
  return g_strdup (uri ? uri : _("Unknown"));
}

/* "Received · 1.2 MB", "Failed at 24.0 MB of 48.0 MB". */
static char *
dup_state_text (const ConfabHistoryTransfer *transfer)
{
  const char *state = transfer->state;
  g_autofree char *size = g_format_size (transfer->size);
  g_autofree char *done = g_format_size (transfer->bytes);
  gboolean partial = transfer->bytes > 0 && transfer->bytes < transfer->size;

  if (g_strcmp0 (state, "completed") == 0)
    /* Translators: %s is the file's size */
    return g_strdup_printf (transfer->incoming ? _("Received · %s") : _("Sent · %s"), size);
  if (g_strcmp0 (state, "failed") == 0 && partial)
    /* Translators: how far a transfer got before it failed, like "Failed
     * at 12.3 MB of 29.0 MB" */
    return g_strdup_printf (_("Failed at %s of %s"), done, size);
  if (g_strcmp0 (state, "cancelled") == 0 && partial)
    /* Translators: how far a cancelled transfer got, like
     * "Cancelled at 12.3 MB of 29.0 MB" */
    return g_strdup_printf (_("Cancelled at %s of %s"), done, size);
  if (g_strcmp0 (state, "failed") == 0)
    return g_strdup_printf (_("%s · %s"), _("Failed"), size);
  if (g_strcmp0 (state, "cancelled") == 0)
    return g_strdup_printf (_("%s · %s"), _("Cancelled"), size);
  /* Still running: in another Confab using the same history. */
  return g_strdup_printf (_("%s · %s"), _("In progress elsewhere"), size);
}

static char *
dup_when (gint64 usec)
{
  g_autoptr (GDateTime) when = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = NULL;
  g_autofree char *time = NULL;

  if (usec <= 0)
    return NULL;
  when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  if (!when)
    return NULL;
  day = confab_chat_text_format_day (when, now);
  time = g_date_time_format (when, "%H:%M");
  /* Translators: a day ("Today", "Monday", "March 3") and a time */
  return g_strdup_printf (_("%s at %s"), day, time);
}

static GtkWidget *
add_suffix_button (GtkWidget  *row,
                   GtkWidget  *button,
                   const char *action,
                   GVariant   *target)
{
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return button;
}

static GtkWidget *
create_past_row (ConfabTransfersWindow       *self,
                 const ConfabHistoryTransfer *transfer)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *peer = dup_peer (transfer);
  g_autofree char *state = dup_state_text (transfer);
  g_autofree char *when = dup_when (transfer->started);
  g_autofree char *guessed = NULL;
  g_autofree char *who = NULL;
  g_autofree char *subtitle = NULL;
  g_autoptr (GIcon) icon = NULL;
  const char *type = transfer->content_type;
  const char *name = transfer->name ? transfer->name : _("File");
  GtkWidget *image;
  gboolean there = transfer->path && g_strcmp0 (transfer->state, "completed") == 0 &&
                   g_file_test (transfer->path, G_FILE_TEST_IS_REGULAR);

  if (!type || g_str_equal (type, "application/octet-stream"))
    type = guessed = g_content_type_guess (name, NULL, 0, NULL);
  icon = confab_transfer_dup_type_icon (type);
  image = gtk_image_new_from_gicon (icon);
  gtk_image_set_pixel_size (GTK_IMAGE (image), 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), image);

  /* As the rows of this run say it: "Received · 1.2 MB · from Bob". */
  who = g_strdup_printf (transfer->incoming ? _("from %s") : _("to %s"), peer);
  /* Translators: how a past transfer ended and its size, whom it went to
   * or came from, and when, like "Received · 1.2 MB · from Bob · Today at
   * 10:05" */
  subtitle = when ? g_strdup_printf (_("%s · %s · %s"), state, who, when)
                  : g_strdup_printf (_("%s · %s"), state, who);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  if (transfer->error && *transfer->error)
    gtk_widget_set_tooltip_text (row, transfer->error);

  if (there) {
    GtkWidget *show = gtk_button_new_from_icon_name ("folder-open-symbolic");

    add_suffix_button (row, gtk_button_new_with_mnemonic (_("_Open")), "transfers.open",
                       g_variant_new_string (transfer->path));
    gtk_widget_add_css_class (show, "flat");
    gtk_widget_set_tooltip_text (show, _("Show in Folder"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (show), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    _("Show in Folder"), -1);
    add_suffix_button (row, show, "transfers.show-in-folder",
                       g_variant_new_string (transfer->path));
  } else if (confab_transfer_history_can_resume (transfer)) {
    GtkWidget *resume = gtk_button_new_with_mnemonic (_("Res_ume"));

    gtk_widget_set_tooltip_text (resume, _("Ask the sender for the rest of the file"));
    add_suffix_button (row, resume, "transfers.resume", g_variant_new_int64 (transfer->row_id));
  } else if (confab_transfer_history_can_retry (transfer)) {
    GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

    gtk_widget_set_tooltip_text (retry, _("Send the file again"));
    add_suffix_button (row, retry, "transfers.retry", g_variant_new_int64 (transfer->row_id));
  }
  return row;
}

static gboolean
has_finished (ConfabTransfersWindow *self)
{
  guint n = g_list_model_get_n_items (self->transfers);

  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabFileTransferStream) stream = g_list_model_get_item (self->transfers, i);

    if (confab_transfer_is_done (stream, _confab_application_get_transfer_session (stream)))
      return TRUE;
  }
  for (guint i = 0; self->past && i < self->past->len; i++) {
    if (confab_transfer_history_is_done (g_ptr_array_index (self->past, i)))
      return TRUE;
  }
  return FALSE;
}

static void
update_view (ConfabTransfersWindow *self)
{
  guint live = g_list_model_get_n_items (self->transfers);
  guint past = self->past ? self->past->len : 0;

  gtk_widget_set_visible (self->live_heading, live > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->live_list), live > 0);
  gtk_widget_set_visible (self->past_heading, past > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->past_list), past > 0);
  /* With nothing of this run, the earlier ones need no heading. */
  gtk_widget_set_margin_top (self->past_heading, live > 0 ? 12 : 0);
  gtk_stack_set_visible_child_name (self->stack, live + past > 0 ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfers.clear-finished",
                                 has_finished (self));
}

static void
load_past (ConfabTransfersWindow *self)
{
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->past_list))))
    gtk_list_box_remove (self->past_list, child);
  g_clear_pointer (&self->past, g_ptr_array_unref);
  self->past = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_history_transfer_free);
  if (self->history)
    all = confab_history_list_transfers (self->history, CONFAB_TRANSFERS_WINDOW_PAST_LIMIT,
                                         &error);
  if (error)
    g_warning ("The earlier transfers cannot be read: %s", error->message);
  for (guint i = 0; all && i < all->len; i++) {
    ConfabHistoryTransfer *transfer = g_ptr_array_index (all, i);

    if (is_live (self, transfer))
      continue;
    g_ptr_array_add (self->past, confab_history_transfer_copy (transfer));
    gtk_list_box_append (self->past_list, create_past_row (self, transfer));
  }
  update_view (self);
}

static gboolean
on_refresh_timeout (gpointer user_data)
{
  ConfabTransfersWindow *self = user_data;

  self->refresh_id = 0;
  load_past (self);
  return G_SOURCE_REMOVE;
}

static void
queue_refresh (ConfabTransfersWindow *self)
{
  if (!self->refresh_id)
    self->refresh_id = g_timeout_add (PAST_REFRESH_MS, on_refresh_timeout, self);
}

/* Progress saves many times; only a transfer the list does not show yet,
 * or one that ended, changes it. */
static void
on_transfer_saved (ConfabHistory         *history,
                   ConfabHistoryTransfer *transfer,
                   ConfabTransfersWindow *self)
{
  if (is_live (self, transfer))
    return;
  queue_refresh (self);
}

static void
on_live_state (GObject               *stream_or_session,
               GParamSpec            *pspec,
               ConfabTransfersWindow *self)
{
  update_view (self);
}

static GtkWidget *
create_live_row (gpointer item,
                 gpointer user_data)
{
  ConfabTransfersWindow *self = user_data;
  ConfabFileTransferStream *stream = item;
  ConfabSession *session = _confab_application_get_transfer_session (stream);
  GtkWidget *row = confab_transfer_row_new (stream, session);

  confab_transfer_row_set_show_peer (CONFAB_TRANSFER_ROW (row), TRUE);
  /* Whether it is over for good follows both; the handlers go when the
   * window does. */
  g_signal_connect_object (stream, "notify::transfer-state", G_CALLBACK (on_live_state), self, 0);
  if (session)
    g_signal_connect_object (session, "notify::state", G_CALLBACK (on_live_state), self, 0);
  return row;
}

static void
on_transfers_changed (GListModel            *model,
                      guint                  position,
                      guint                  removed,
                      guint                  added,
                      ConfabTransfersWindow *self)
{
  /* A transfer that just started may already be in the list below. */
  queue_refresh (self);
  update_view (self);
}

static void
on_clear_finished (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  confab_transfers_window_clear_finished (CONFAB_TRANSFERS_WINDOW (widget));
}

static void
on_open (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  confab_transfer_open_file (widget, file);
}

static void
on_show_in_folder (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_autoptr (GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  confab_transfer_show_in_folder (widget, file);
}

static void
add_toast (ConfabTransfersWindow *self,
           const char            *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static ConfabHistoryTransfer *
find_past (ConfabTransfersWindow *self,
           gint64                 row_id)
{
  for (guint i = 0; self->past && i < self->past->len; i++) {
    ConfabHistoryTransfer *transfer = g_ptr_array_index (self->past, i);

    if (transfer->row_id == row_id)
      return transfer;
  }
  return NULL;
}

/* Retry and Resume of an earlier transfer: the new one shows above, this
 * one no longer below. */
static void
on_retry_or_resume (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ConfabTransfersWindow *self = CONFAB_TRANSFERS_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  ConfabHistoryTransfer *transfer = find_past (self, g_variant_get_int64 (parameter));
  gboolean resume = g_str_equal (action_name, "transfers.resume");
  g_autoptr (GError) error = NULL;
  ConfabSession *session;

  if (!CONFAB_IS_APPLICATION (app) || !transfer)
    return;
  session = resume ? confab_transfer_resume_earlier (CONFAB_APPLICATION (app), transfer, &error)
                   : confab_transfer_retry_earlier (CONFAB_APPLICATION (app), transfer, &error);
  if (!session) {
    /* Translators: %s says why */
    g_autofree char *message = g_strdup_printf (resume ? _("The download cannot be resumed: %s")
                                                       : _("The file cannot be sent again: %s"),
                                                error->message);

    add_toast (self, message);
    return;
  }
  queue_refresh (self);
}

static void
confab_transfers_window_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  ConfabTransfersWindow *self = CONFAB_TRANSFERS_WINDOW (object);

  switch (prop_id) {
  case PROP_TRANSFERS:
    g_value_set_object (value, self->transfers);
    break;
  case PROP_HISTORY:
    g_value_set_object (value, self->history);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_transfers_window_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  ConfabTransfersWindow *self = CONFAB_TRANSFERS_WINDOW (object);

  switch (prop_id) {
  case PROP_TRANSFERS:
    self->transfers = g_value_dup_object (value);
    break;
  case PROP_HISTORY:
    self->history = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_transfers_window_constructed (GObject *object)
{
  ConfabTransfersWindow *self = CONFAB_TRANSFERS_WINDOW (object);

  G_OBJECT_CLASS (confab_transfers_window_parent_class)->constructed (object);

  if (!self->transfers)
    self->transfers = G_LIST_MODEL (g_list_store_new (CONFAB_TYPE_FILE_TRANSFER_STREAM));
  gtk_list_box_bind_model (self->live_list, self->transfers, create_live_row, self, NULL);
  g_signal_connect_object (self->transfers, "items-changed", G_CALLBACK (on_transfers_changed),
                           self, 0);
  if (self->history)
    g_signal_connect_object (self->history, "transfer-saved", G_CALLBACK (on_transfer_saved), self,
                             0);
  load_past (self);
}

static void
confab_transfers_window_dispose (GObject *object)
{
  ConfabTransfersWindow *self = CONFAB_TRANSFERS_WINDOW (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->live_list)
    gtk_list_box_bind_model (self->live_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_TRANSFERS_WINDOW);
  g_clear_object (&self->transfers);
  g_clear_object (&self->history);
  g_clear_pointer (&self->past, g_ptr_array_unref);

  G_OBJECT_CLASS (confab_transfers_window_parent_class)->dispose (object);
}

static void
confab_transfers_window_class_init (ConfabTransfersWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = confab_transfers_window_get_property;
  object_class->set_property = confab_transfers_window_set_property;
  object_class->constructed = confab_transfers_window_constructed;
  object_class->dispose = confab_transfers_window_dispose;

  props[PROP_TRANSFERS] =
    g_param_spec_object ("transfers", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  props[PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, CONFAB_TYPE_HISTORY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "transfers.clear-finished", NULL,
                                   on_clear_finished);
  gtk_widget_class_install_action (widget_class, "transfers.open", "s", on_open);
  gtk_widget_class_install_action (widget_class, "transfers.show-in-folder", "s",
                                   on_show_in_folder);
  gtk_widget_class_install_action (widget_class, "transfers.retry", "x", on_retry_or_resume);
  gtk_widget_class_install_action (widget_class, "transfers.resume", "x", on_retry_or_resume);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                      NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-transfers-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabTransfersWindow, clear_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransfersWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransfersWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransfersWindow, live_heading);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransfersWindow, live_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransfersWindow, past_heading);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransfersWindow, past_list);
}

static void
confab_transfers_window_init (ConfabTransfersWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * confab_transfers_window_new:
 * @transfers: this run's #ConfabFileTransferStream objects, newest first
 * @history: (nullable): where the earlier ones are kept
 */
ConfabTransfersWindow *
confab_transfers_window_new (GtkApplication *application,
                             GListModel     *transfers,
                             ConfabHistory  *history)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (transfers), NULL);
  g_return_val_if_fail (!history || CONFAB_IS_HISTORY (history), NULL);

  return g_object_new (CONFAB_TYPE_TRANSFERS_WINDOW,
                       "application", application,
                       "transfers", transfers,
                       "history", history,
                       NULL);
}

GtkListBox *
confab_transfers_window_get_live_list (ConfabTransfersWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_TRANSFERS_WINDOW (self), NULL);
  return self->live_list;
}

GtkListBox *
confab_transfers_window_get_past_list (ConfabTransfersWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_TRANSFERS_WINDOW (self), NULL);
  return self->past_list;
}

/**
 * confab_transfers_window_clear_finished:
 *
 * Takes every transfer that is over for good (confab_transfer_is_done())
 * off both lists: this run's from the application's list, earlier ones
 * from the history. Downloads that can be resumed stay, and so do sends
 * the other side may pull the rest of; no file is deleted.
 */
void
confab_transfers_window_clear_finished (ConfabTransfersWindow *self)
{
  g_autoptr (GPtrArray) cleared = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (CONFAB_IS_TRANSFERS_WINDOW (self));

  if (G_IS_LIST_STORE (self->transfers)) {
    for (guint i = g_list_model_get_n_items (self->transfers); i > 0; i--) {
      g_autoptr (ConfabFileTransferStream) stream = g_list_model_get_item (self->transfers, i - 1);

      if (!confab_transfer_is_done (stream, _confab_application_get_transfer_session (stream)))
        continue;
      confab_transfer_list_remove (G_LIST_STORE (self->transfers), stream);
      g_ptr_array_add (cleared, g_steal_pointer (&stream));
    }
  }
  /* Those just taken off the upper list too, with what they continued (a
   * send retried, a download resumed), or they would show below. */
  if (self->history) {
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) all = confab_history_list_transfers (self->history, 0, &error);

    for (guint i = 0; all && i < all->len; i++) {
      ConfabHistoryTransfer *transfer = g_ptr_array_index (all, i);
      gboolean done = confab_transfer_history_is_done (transfer) && !is_live (self, transfer);

      for (guint j = 0; !done && j < cleared->len; j++)
        done = confab_transfer_is_recorded_as (g_ptr_array_index (cleared, j), transfer);
      if (transfer->row_id > 0 && done &&
          !confab_history_delete_transfer (self->history, transfer->row_id, &error))
        break;
    }
    if (error)
      g_warning ("Finished transfers could not be taken off the history: %s", error->message);
  }
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  load_past (self);
}
