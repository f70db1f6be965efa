/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-transfer-row.h"
#include "confab-application.h"
#include "confab-transfer-files.h"

#include <glib/gi18n.h>

/* One ConfabFileTransferStream: the file's type icon and name, a progress
 * bar, how far it got ("12.3 MB of 29.0 MB — 10.1 MB/s, 2 s left") or how
 * it ended, and the buttons that make sense now: Cancel while it runs, Open
 * and Show in Folder once a file arrived, Retry for a send that failed and
 * Resume for a download that stopped halfway (until a new transfer goes on
 * where it stopped: that one's row takes over). Progress arrives as notify
 * signals many times a second; the row redraws at most every
 * CONFAB_TRANSFER_ROW_REDRAW_MS, a change of state at once. */

struct _ConfabTransferRow
{
  GtkListBoxRow             parent_instance;

  ConfabFileTransferStream *stream;
  ConfabSession            *session;     /* the one the stream came in, if known */
  ConfabAccount            *account;     /* for Retry and Resume */
  GListModel               *app_transfers; /* the application's, followed */
  char                     *peer_uri;
  char                     *peer_name;
  char                     *peer_from;   /* "from Alice" */
  char                     *peer_to;     /* "to Alice" */
  gboolean                  show_peer;
  gint64                    last_update; /* monotonic µs */
  guint                     update_id;

  GtkImage                 *icon;
  GtkLabel                 *name_label;
  GtkProgressBar           *progress_bar;
  GtkLabel                 *status_label;
  GtkWidget                *open_button;
  GtkWidget                *show_button;
  GtkWidget                *retry_button;
  GtkWidget                *resume_button;
  GtkWidget                *cancel_button;
};

G_DEFINE_FINAL_TYPE (ConfabTransferRow, confab_transfer_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_STREAM,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
add_toast_to (GtkWidget  *widget,
              const char *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (!overlay) {
    g_message ("%s", message);
    return;
  }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
add_toast (ConfabTransferRow *self,
           const char        *message)
{
  add_toast_to (GTK_WIDGET (self), message);
}

static ConfabApplication *
get_application (ConfabTransferRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root))
                                             : NULL;

  return CONFAB_IS_APPLICATION (app) ? CONFAB_APPLICATION (app) : NULL;
}

static gboolean
is_incoming (ConfabTransferRow *self)
{
  return confab_file_transfer_stream_get_direction (self->stream) ==
         CONFAB_FILE_TRANSFER_INCOMING;
}

static gboolean
is_running (ConfabFileTransferState state)
{
  return state < CONFAB_FILE_TRANSFER_STATE_COMPLETED;
}

static gboolean
is_stopped (ConfabFileTransferState state)
{
  return state == CONFAB_FILE_TRANSFER_STATE_FAILED ||
         state == CONFAB_FILE_TRANSFER_STATE_CANCELLED;
}

/* The session ended before the transfer did (a call hung up before the
 * file went), or never got going (an offer declined): the stream may not
 * say so, or says it in its own words. */
static gboolean
is_abandoned (ConfabTransferRow       *self,
              ConfabFileTransferState  state)
{
  if (!self->session || confab_session_get_state (self->session) != CONFAB_SESSION_STATE_TERMINATED)
    return FALSE;
  return is_running (state) || (state != CONFAB_FILE_TRANSFER_STATE_COMPLETED &&
                                confab_session_get_established_time (self->session) == 0);
}

/* The file received, once it is there under its final name. */
static GFile *
get_received_file (ConfabTransferRow *self)
{
  if (!is_incoming (self) || confab_file_transfer_stream_get_transfer_state (self->stream) !=
                               CONFAB_FILE_TRANSFER_STATE_COMPLETED)
    return NULL;
  return confab_file_transfer_stream_get_file (self->stream);
}

static char *
dup_file_name (ConfabTransferRow *self)
{
  const ConfabFileSelector *selector = confab_file_transfer_stream_get_selector (self->stream);
  GFile *received = get_received_file (self);

  /* A name already taken in the folder got a number: show the one saved. */
  if (received)
    return g_file_get_basename (received);
  if (selector && selector->name && *selector->name)
    return g_strdup (selector->name);
  if (confab_file_transfer_stream_get_file (self->stream) && !is_incoming (self))
    return g_file_get_basename (confab_file_transfer_stream_get_file (self->stream));
  return g_strdup (_("File"));
}

static GIcon *
dup_type_icon (ConfabTransferRow *self,
               const char        *name)
{
  const ConfabFileSelector *selector = confab_file_transfer_stream_get_selector (self->stream);
  g_autofree char *guessed = NULL;
  const char *type = selector ? selector->type : NULL;

  /* Peers often say application/octet-stream; the name knows better. */
  if (!type || g_str_equal (type, "application/octet-stream"))
    type = guessed = g_content_type_guess (name, NULL, 0, NULL);
  return confab_transfer_dup_type_icon (type);
}

static char *
format_time_left (gint64 seconds)
{
  if (seconds < 60)
    /* Translators: time left, in seconds */
    return g_strdup_printf (_("%d s"), (int) seconds);
  if (seconds < 3600)
    /* Translators: time left, in minutes */
    return g_strdup_printf (_("%d min"), (int) ((seconds + 30) / 60));
  /* Translators: time left, in hours and minutes */
  return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600), (int) (seconds / 60 % 60));
}

/* "12.3 MB of 29.0 MB — 10.1 MB/s, 2 s left", less what is not known. */
static char *
dup_progress_text (ConfabTransferRow *self)
{
  guint64 bytes = confab_file_transfer_stream_get_bytes (self->stream);
  guint64 size = confab_file_transfer_stream_get_size (self->stream);
  double rate = confab_file_transfer_stream_get_rate (self->stream);
  gint64 eta = confab_file_transfer_stream_get_eta (self->stream);
  g_autofree char *done = g_format_size (bytes);
  g_autofree char *total = size ? g_format_size (size) : NULL;
  g_autofree char *speed = NULL;
  g_autofree char *left = NULL;

  if (!total)
    return g_steal_pointer (&done);
  if (rate < 1)
    /* Translators: bytes done of the file's size, like "12.3 MB of 29.0 MB" */
    return g_strdup_printf (_("%s of %s"), done, total);
  speed = g_format_size ((guint64) rate);
  if (eta < 0)
    /* Translators: bytes done of the size, then the speed, like
     * "12.3 MB of 29.0 MB — 10.1 MB/s" */
    return g_strdup_printf (_("%s of %s — %s/s"), done, total, speed);
  left = format_time_left (eta);
  /* Translators: bytes done of the size, the speed and the time left, like
   * "12.3 MB of 29.0 MB — 10.1 MB/s, 2 s left" */
  return g_strdup_printf (_("%s of %s — %s/s, %s left"), done, total, speed, left);
}

static char *
dup_status_text (ConfabTransferRow       *self,
                 ConfabFileTransferState  state)
{
  const char *reason = confab_file_transfer_stream_get_error_message (self->stream);
  double hashed = confab_file_transfer_stream_get_hash_progress (self->stream);
  guint64 bytes = confab_file_transfer_stream_get_bytes (self->stream);
  guint64 size = confab_file_transfer_stream_get_size (self->stream);
  g_autofree char *total = g_format_size (size ? size : bytes);
  const char *ended;
  gboolean by_us;

  if (is_abandoned (self, state)) {
    ended = confab_session_get_end_reason (self->session);
    if (confab_session_get_end_status (self->session) == 603)
      return g_strdup (is_incoming (self) ? _("Declined")
                                          : _("Declined by the other side"));
    if (ended && *ended)
      /* Translators: %s says why the session ended, like "declined (603
       * Decline)" */
      return g_strdup_printf (_("Not transferred: %s"), ended);
    return g_strdup (_("Not transferred"));
  }
  switch (state) {
  case CONFAB_FILE_TRANSFER_STATE_NEW:
    return g_strdup (_("Preparing…"));
  case CONFAB_FILE_TRANSFER_STATE_HASHING:
    /* Translators: the checksum of a file to send is computed first; %d is
     * how far, in percent */
    return g_strdup_printf (_("Computing hash %d%%"), (int) (CLAMP (hashed, 0, 1) * 100));
  case CONFAB_FILE_TRANSFER_STATE_WAITING:
    if (is_incoming (self) && confab_file_transfer_stream_is_pull (self->stream))
      return g_strdup (_("Asking the other side for the file…"));
    return g_strdup (is_incoming (self) ? _("Connecting…")
                                        : _("Waiting for the other side to accept…"));
  case CONFAB_FILE_TRANSFER_STATE_TRANSFERRING:
    return dup_progress_text (self);
  case CONFAB_FILE_TRANSFER_STATE_VERIFYING:
    /* Translators: the receiver checks the file's hash; %d is how far, in
     * percent */
    return g_strdup_printf (_("Verifying %d%%"), (int) (CLAMP (hashed, 0, 1) * 100));
  case CONFAB_FILE_TRANSFER_STATE_COMPLETED:
    /* Translators: %s is the file's size */
    return g_strdup_printf (is_incoming (self) ? _("Received · %s") : _("Sent · %s"), total);
  case CONFAB_FILE_TRANSFER_STATE_FAILED:
    if (reason && *reason && bytes > 0 && size > 0 && bytes < size) {
      g_autofree char *done = g_format_size (bytes);

      /* Translators: how far a transfer got before it failed, then why,
       * like "Failed at 12.3 MB of 29.0 MB: the connection was lost" */
      return g_strdup_printf (_("Failed at %s of %s: %s"), done, total, reason);
    }
    if (reason && *reason)
      /* Translators: %s says why, like "the checksum does not match" */
      return g_strdup_printf (_("Failed: %s"), reason);
    return g_strdup (_("Failed"));
  case CONFAB_FILE_TRANSFER_STATE_CANCELLED:
  default:
    /* We cancel with the core's own word for it. */
    by_us = !reason || g_strcmp0 (reason, _("Cancelled")) == 0;
    if (bytes > 0 && size > 0 && bytes < size) {
      g_autofree char *done = g_format_size (bytes);

      if (!by_us)
        /* Translators: how far a transfer got before the other side
         * stopped it, like "Stopped by the other side at 12.3 MB of 29.0 MB" */
        return g_strdup_printf (_("Stopped by the other side at %s of %s"), done, total);
      /* Translators: how far a cancelled transfer got, like
       * "Cancelled at 12.3 MB of 29.0 MB" */
      return g_strdup_printf (_("Cancelled at %s of %s"), done, total);
    }
    return g_strdup (by_us ? _("Cancelled") : _("Stopped by the other side"));
  }
}

static void
update (ConfabTransferRow *self)
{
  ConfabFileTransferState state = confab_file_transfer_stream_get_transfer_state (self->stream);
  guint64 bytes = confab_file_transfer_stream_get_bytes (self->stream);
  guint64 size = confab_file_transfer_stream_get_size (self->stream);
  const ConfabFileSelector *selector = confab_file_transfer_stream_get_selector (self->stream);
  g_autofree char *name = dup_file_name (self);
  g_autofree char *status = dup_status_text (self, state);
  g_autofree char *shown = NULL;
  g_autoptr (GIcon) icon = dup_type_icon (self, name);
  GFile *received = get_received_file (self);
  GFile *sent = is_incoming (self) ? NULL : confab_file_transfer_stream_get_file (self->stream);
  gboolean hashing = state == CONFAB_FILE_TRANSFER_STATE_HASHING ||
                     state == CONFAB_FILE_TRANSFER_STATE_VERIFYING;
  g_autoptr (ConfabFileTransferStream) continuation =
    confab_transfer_get_continuation (self->stream);
  gboolean has_peer = self->account && self->peer_uri;
  gboolean abandoned = is_abandoned (self, state);
  gboolean running = is_running (state) && !abandoned;
  /* Retried or resumed: the new transfer's row offers what comes next,
   * unless it failed too. */
  gboolean stopped = (is_stopped (state) || abandoned) &&
                     (!continuation || confab_file_transfer_stream_get_transfer_state (
                                         continuation) > CONFAB_FILE_TRANSFER_STATE_COMPLETED);

  self->last_update = g_get_monotonic_time ();
  gtk_label_set_label (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);
  gtk_image_set_from_gicon (self->icon, icon);
  if (self->show_peer && self->peer_name)
    /* Translators: how a transfer stands, then whom it goes to or comes
     * from, like "Received · 3.1 MB · from Alice" */
    shown = g_strdup_printf (_("%s · %s"), status,
                             is_incoming (self) ? self->peer_from : self->peer_to);
  gtk_label_set_label (self->status_label, shown ? shown : status);
  /* Declining is a choice, not an error. */
  if (state == CONFAB_FILE_TRANSFER_STATE_FAILED ||
      (abandoned && !(is_incoming (self) && confab_session_get_end_status (self->session) == 603)))
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  if (hashing)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   CLAMP (confab_file_transfer_stream_get_hash_progress (self->stream),
                                          0, 1));
  else
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   size ? CLAMP ((double) bytes / (double) size, 0, 1) : 0);

  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->open_button, received != NULL);
  gtk_widget_set_visible (self->show_button, received != NULL);
  gtk_widget_set_visible (self->retry_button, stopped && !is_incoming (self) && sent);
  /* A pull names the file by its hash; without one there is nothing to
   * ask for, and an offer never taken has nothing to resume. A pull of
   * ours that did not get through can be asked again. */
  gtk_widget_set_visible (self->resume_button,
                          stopped && is_incoming (self) && selector && selector->hash &&
                            (bytes > 0 || !abandoned ||
                             confab_file_transfer_stream_is_pull (self->stream)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.open", received != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.show-in-folder", received != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.retry",
                                 gtk_widget_get_visible (self->retry_button) && has_peer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.resume",
                                 gtk_widget_get_visible (self->resume_button) && has_peer);
}

static gboolean
on_update_timeout (gpointer user_data)
{
  ConfabTransferRow *self = user_data;

  self->update_id = 0;
  update (self);
  return G_SOURCE_REMOVE;
}

static void
on_stream_notify (ConfabFileTransferStream *stream,
                  GParamSpec               *pspec,
                  ConfabTransferRow        *self)
{
  gint64 since = (g_get_monotonic_time () - self->last_update) / 1000;
  const char *name = g_param_spec_get_name (pspec);

  /* A new state (and what comes with it) shows at once; progress waits
   * for the next redraw. */
  if (g_str_equal (name, "transfer-state") || g_str_equal (name, "file") ||
      g_str_equal (name, "error-message") || since >= CONFAB_TRANSFER_ROW_REDRAW_MS) {
    g_clear_handle_id (&self->update_id, g_source_remove);
    update (self);
    return;
  }
  if (!self->update_id)
    self->update_id = g_timeout_add ((guint) (CONFAB_TRANSFER_ROW_REDRAW_MS - since),
                                     on_update_timeout, self);
}

static void
on_session_state (ConfabTransferRow *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
  update (self);
}

/* A transfer taken off the list for a Retry or Resume no longer offers
 * them, in this row too. */
static void
on_transfers_changed (ConfabTransferRow *self)
{
  g_clear_handle_id (&self->update_id, g_source_remove);
  update (self);
}

static void
on_cancel (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  ConfabTransferRow *self = CONFAB_TRANSFER_ROW (widget);
  ConfabSession *session = self->session;
  g_autoptr (GError) error = NULL;

  confab_file_transfer_stream_cancel (self->stream);
  /* The session manager ends a session of files once they are all over;
   * a call or a chat goes on without the stream. */
  if (!session || confab_session_get_state (session) != CONFAB_SESSION_STATE_ESTABLISHED ||
      confab_session_is_file_transfer (session))
    return;
  if (!confab_session_remove_stream (session, CONFAB_STREAM (self->stream), &error)) {
    /* Translators: %s says why */
    g_autofree char *message = g_strdup_printf (_("The transfer was cancelled but could not be "
                                                  "taken out of the session: %s"), error->message);

    add_toast (self, message);
  }
}

static void
on_open (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  GFile *file = get_received_file (CONFAB_TRANSFER_ROW (widget));

  if (file)
    confab_transfer_open_file (widget, file);
}

static void
on_show_in_folder (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GFile *file = get_received_file (CONFAB_TRANSFER_ROW (widget));

  if (file)
    confab_transfer_show_in_folder (widget, file);
}

/* The new transfer takes this one's place in the Transfers window, which
 * takes this row away: it is held until done. */
static void
on_retry (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  g_autoptr (ConfabTransferRow) self = g_object_ref (CONFAB_TRANSFER_ROW (widget));
  ConfabApplication *app = get_application (self);
  g_autoptr (GError) error = NULL;

  if (!app || !self->account || !self->peer_uri)
    return;
  if (!confab_transfer_retry (app, self->stream, self->account, self->peer_uri, &error)) {
    /* Translators: %s says why */
    g_autofree char *message = g_strdup_printf (_("The file cannot be sent again: %s"),
                                                error->message);

    add_toast (self, message);
  }
  update (self);
}

static void
on_resume (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  g_autoptr (ConfabTransferRow) self = g_object_ref (CONFAB_TRANSFER_ROW (widget));
  ConfabApplication *app = get_application (self);
  g_autoptr (GError) error = NULL;

  if (!app || !self->account || !self->peer_uri)
    return;
  /* The sender serves the rest if it still has the file; the new transfer
   * continues the .part this one left. */
  if (!confab_transfer_resume (app, self->stream, self->account, self->peer_uri, &error)) {
    /* Translators: %s says why */
    g_autofree char *message = g_strdup_printf (_("The download cannot be resumed: %s"),
                                                error->message);

    add_toast (self, message);
  }
  update (self);
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
  return g_strdup (uri);
}

static void
confab_transfer_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ConfabTransferRow *self = CONFAB_TRANSFER_ROW (object);

  switch (prop_id) {
  case PROP_STREAM:
    g_value_set_object (value, self->stream);
    break;
  case PROP_SESSION:
    g_value_set_object (value, self->session);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_transfer_row_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ConfabTransferRow *self = CONFAB_TRANSFER_ROW (object);

  switch (prop_id) {
  case PROP_STREAM:
    self->stream = g_value_dup_object (value);
    break;
  case PROP_SESSION:
    self->session = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_transfer_row_constructed (GObject *object)
{
  ConfabTransferRow *self = CONFAB_TRANSFER_ROW (object);
  GApplication *app = g_application_get_default ();

  G_OBJECT_CLASS (confab_transfer_row_parent_class)->constructed (object);

  g_assert (CONFAB_IS_FILE_TRANSFER_STREAM (self->stream));
  if (self->session) {
    ConfabAccount *account = confab_session_get_account (self->session);

    self->account = account ? g_object_ref (account) : NULL;
    /* Retry and Resume start a new session to wherever this peer is. */
    self->peer_uri = g_strdup (confab_session_get_callback_uri (self->session));
    self->peer_name = dup_peer_name (self->session);
    /* Translators: whom a file comes from */
    self->peer_from = g_strdup_printf (_("from %s"), self->peer_name);
    /* Translators: whom a file goes to */
    self->peer_to = g_strdup_printf (_("to %s"), self->peer_name);
  }
  g_signal_connect_object (self->stream, "notify", G_CALLBACK (on_stream_notify), self, 0);
  if (self->session)
    g_signal_connect_object (self->session, "notify::state", G_CALLBACK (on_session_state), self,
                             G_CONNECT_SWAPPED);
  if (CONFAB_IS_APPLICATION (app)) {
    self->app_transfers = g_object_ref (confab_application_get_transfers (CONFAB_APPLICATION (app)));
    g_signal_connect_object (self->app_transfers, "items-changed",
                             G_CALLBACK (on_transfers_changed), self, G_CONNECT_SWAPPED);
  }
  update (self);
}

static void
confab_transfer_row_dispose (GObject *object)
{
  ConfabTransferRow *self = CONFAB_TRANSFER_ROW (object);

  g_clear_handle_id (&self->update_id, g_source_remove);
  if (self->stream)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->app_transfers)
    g_signal_handlers_disconnect_by_data (self->app_transfers, self);
  g_clear_object (&self->app_transfers);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_TRANSFER_ROW);
  g_clear_object (&self->stream);
  g_clear_object (&self->session);
  g_clear_object (&self->account);

  G_OBJECT_CLASS (confab_transfer_row_parent_class)->dispose (object);
}

static void
confab_transfer_row_finalize (GObject *object)
{
  ConfabTransferRow *self = CONFAB_TRANSFER_ROW (object);

  g_free (self->peer_uri);
  g_free (self->peer_name);
  g_free (self->peer_from);
  g_free (self->peer_to);

  G_OBJECT_CLASS (confab_transfer_row_parent_class)->finalize (object);
}

static void
confab_transfer_row_class_init (ConfabTransferRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = confab_transfer_row_get_property;
  object_class->set_property = confab_transfer_row_set_property;
  object_class->constructed = confab_transfer_row_constructed;
  object_class->dispose = confab_transfer_row_dispose;
  object_class->finalize = confab_transfer_row_finalize;

  props[PROP_STREAM] =
    g_param_spec_object ("stream", NULL, NULL, CONFAB_TYPE_FILE_TRANSFER_STREAM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * ConfabTransferRow:session:
   *
   * The session the stream belongs to: Cancel ends it or takes the stream
   * out of it, Retry and Resume go to its peer from its account.
   */
  props[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CONFAB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_install_action (widget_class, "transfer.cancel", NULL, on_cancel);
  gtk_widget_class_install_action (widget_class, "transfer.open", NULL, on_open);
  gtk_widget_class_install_action (widget_class, "transfer.show-in-folder", NULL,
                                   on_show_in_folder);
  gtk_widget_class_install_action (widget_class, "transfer.retry", NULL, on_retry);
  gtk_widget_class_install_action (widget_class, "transfer.resume", NULL, on_resume);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-transfer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, show_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabTransferRow, cancel_button);
}

static void
confab_transfer_row_init (ConfabTransferRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * confab_transfer_row_new:
 * @session: (nullable): the session @stream belongs to
 */
GtkWidget *
confab_transfer_row_new (ConfabFileTransferStream *stream,
                         ConfabSession            *session)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (stream), NULL);
  g_return_val_if_fail (!session || CONFAB_IS_SESSION (session), NULL);

  return g_object_new (CONFAB_TYPE_TRANSFER_ROW, "stream", stream, "session", session, NULL);
}

ConfabFileTransferStream *
confab_transfer_row_get_stream (ConfabTransferRow *self)
{
  g_return_val_if_fail (CONFAB_IS_TRANSFER_ROW (self), NULL);
  return self->stream;
}

/**
 * confab_transfer_row_set_show_peer:
 *
 * Whether the row says whom the file goes to or comes from: a list of
 * every transfer needs it, a session's own does not.
 */
void
confab_transfer_row_set_show_peer (ConfabTransferRow *self,
                                   gboolean           show_peer)
{
  g_return_if_fail (CONFAB_IS_TRANSFER_ROW (self));

  self->show_peer = !!show_peer;
  update (self);
}

const char *
confab_transfer_row_get_name (ConfabTransferRow *self)
{
  g_return_val_if_fail (CONFAB_IS_TRANSFER_ROW (self), NULL);
  return gtk_label_get_label (self->name_label);
}

const char *
confab_transfer_row_get_status_text (ConfabTransferRow *self)
{
  g_return_val_if_fail (CONFAB_IS_TRANSFER_ROW (self), NULL);
  return gtk_label_get_label (self->status_label);
}

GtkProgressBar *
confab_transfer_row_get_progress_bar (ConfabTransferRow *self)
{
  g_return_val_if_fail (CONFAB_IS_TRANSFER_ROW (self), NULL);
  return self->progress_bar;
}

/**
 * confab_transfer_row_get_button:
 * @action: "cancel", "open", "show-in-folder", "retry" or "resume"
 *
 * Returns: (transfer none) (nullable): the button for @action, shown or not
 */
GtkWidget *
confab_transfer_row_get_button (ConfabTransferRow *self,
                                const char        *action)
{
  g_return_val_if_fail (CONFAB_IS_TRANSFER_ROW (self), NULL);
  g_return_val_if_fail (action != NULL, NULL);

  if (g_str_equal (action, "cancel"))
    return self->cancel_button;
  if (g_str_equal (action, "open"))
    return self->open_button;
  if (g_str_equal (action, "show-in-folder"))
    return self->show_button;
  if (g_str_equal (action, "retry"))
    return self->retry_button;
  if (g_str_equal (action, "resume"))
    return self->resume_button;
  return NULL;
}

/**
 * confab_transfer_row_can:
 * @action: "cancel", "open", "show-in-folder", "retry" or "resume"
 *
 * Returns: whether the row offers @action now
 */
gboolean
confab_transfer_row_can (ConfabTransferRow *self,
                         const char        *action)
{
  GtkWidget *button;

  g_return_val_if_fail (CONFAB_IS_TRANSFER_ROW (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  button = confab_transfer_row_get_button (self, action);
  return button && gtk_widget_get_visible (button);
}
