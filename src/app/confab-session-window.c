/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-session-window-private.h"
#include "confab-application.h"

#include <glib/gi18n.h>

/* One window per session: who is on the other end, the call's state and
 * duration, and an audio bar (mute, hold, keypad, transfer, hang up) above
 * a stack of panes. Audio-only calls show the other party there; chat,
 * files, screen sharing and participants become further pages. */

#define CLOSE_AFTER_END_S  3
#define QUALITY_INTERVAL_S 2

G_DEFINE_FINAL_TYPE (ConfabSessionWindow, confab_session_window, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void update_state (ConfabSessionWindow *self);

static char *
format_duration (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%02d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

/* The name to show: the display name, else the address without "sip:". */
char *
_confab_session_window_dup_remote_name (ConfabSession *session)
{
  const char *display = confab_session_get_remote_display (session);
  const char *uri = confab_session_get_remote_uri (session);

  if (display && *display)
    return g_strdup (display);
  if (!uri)
    return g_strdup (_("Unknown caller"));
  if (g_str_has_prefix (uri, "sip:") || g_str_has_prefix (uri, "tel:"))
    return g_strdup (uri + 4);
  if (g_str_has_prefix (uri, "sips:"))
    return g_strdup (uri + 5);
  return g_strdup (uri);
}

/* A chat-only session neither rings nor ticks. */
static char *
dup_chat_status_text (ConfabSessionWindow *self)
{
  const char *reason;

  switch (confab_session_get_state (self->session)) {
  case CONFAB_SESSION_STATE_INCOMING:
    return g_strdup (_("Incoming chat"));
  case CONFAB_SESSION_STATE_CALLING:
  case CONFAB_SESSION_STATE_RINGING:
  case CONFAB_SESSION_STATE_EARLY_MEDIA:
  case CONFAB_SESSION_STATE_CONNECTING:
    return g_strdup (_("Connecting…"));
  case CONFAB_SESSION_STATE_ESTABLISHED:
    return g_strdup (_("Chat"));
  case CONFAB_SESSION_STATE_TERMINATING:
    return g_strdup (_("Ending the chat…"));
  case CONFAB_SESSION_STATE_TERMINATED:
  default:
    reason = confab_session_get_end_reason (self->session);
    if (reason && *reason)
      /* Translators: %s says why, like "declined (603 Decline)" */
      return g_strdup_printf (_("Chat ended: %s"), reason);
    return g_strdup (_("Chat ended"));
  }
}

/* Neither does a session of files only. */
static char *
dup_files_status_text (ConfabSessionWindow *self)
{
  const char *reason;

  switch (confab_session_get_state (self->session)) {
  case CONFAB_SESSION_STATE_INCOMING:
    return g_strdup (_("Incoming file"));
  case CONFAB_SESSION_STATE_CALLING:
  case CONFAB_SESSION_STATE_RINGING:
  case CONFAB_SESSION_STATE_EARLY_MEDIA:
  case CONFAB_SESSION_STATE_CONNECTING:
    return g_strdup (_("Connecting…"));
  case CONFAB_SESSION_STATE_ESTABLISHED:
    return g_strdup (_("File transfer"));
  case CONFAB_SESSION_STATE_TERMINATING:
    return g_strdup (_("Ending the file transfer…"));
  case CONFAB_SESSION_STATE_TERMINATED:
  default:
    reason = confab_session_get_end_reason (self->session);
    if (reason && *reason)
      /* Translators: %s says why, like "declined (603 Decline)" */
      return g_strdup_printf (_("File transfer ended: %s"), reason);
    return g_strdup (_("File transfer ended"));
  }
}

static char *
dup_status_text (ConfabSessionWindow *self)
{
  ConfabSession *session = self->session;
  g_autofree char *duration = NULL;
  const char *reason;

  if (_confab_session_window_is_chat_only (self))
    return dup_chat_status_text (self);
  if (_confab_session_window_is_files_only (self))
    return dup_files_status_text (self);
  switch (confab_session_get_state (session)) {
  case CONFAB_SESSION_STATE_INCOMING:
    return g_strdup (_("Incoming call"));
  case CONFAB_SESSION_STATE_CALLING:
    return g_strdup (_("Calling…"));
  case CONFAB_SESSION_STATE_RINGING:
  case CONFAB_SESSION_STATE_EARLY_MEDIA:
    return g_strdup (_("Ringing…"));
  case CONFAB_SESSION_STATE_CONNECTING:
    return g_strdup (_("Connecting…"));
  case CONFAB_SESSION_STATE_ESTABLISHED:
    duration = format_duration ((g_get_monotonic_time () -
                                 confab_session_get_established_time (session)) / G_USEC_PER_SEC);
    if (confab_session_get_local_hold (session))
      /* Translators: %s is the call's duration, like 01:42 */
      return g_strdup_printf (_("On hold · %s"), duration);
    if (confab_session_get_remote_hold (session))
      /* Translators: %s is the call's duration, like 01:42 */
      return g_strdup_printf (_("Held by the other side · %s"), duration);
    return g_steal_pointer (&duration);
  case CONFAB_SESSION_STATE_TERMINATING:
    return g_strdup (_("Hanging up…"));
  case CONFAB_SESSION_STATE_TERMINATED:
  default:
    reason = confab_session_get_end_reason (session);
    if (reason && *reason)
      /* Translators: %s says why, like "busy (486 Busy Here)" */
      return g_strdup_printf (_("Call ended: %s"), reason);
    return g_strdup (_("Call ended"));
  }
}

static void
update_status_text (ConfabSessionWindow *self)
{
  g_autofree char *text = dup_status_text (self);
  g_autofree char *room = _confab_session_window_dup_room_status (self, text);
  ConfabSessionState state = confab_session_get_state (self->session);
  gboolean established = state == CONFAB_SESSION_STATE_ESTABLISHED;

  adw_window_title_set_subtitle (self->window_title, room ? room : text);
  /* The page repeats only what asks for attention, not the ticking clock. */
  if (state == CONFAB_SESSION_STATE_INCOMING && confab_session_is_focus (self->session)) {
    g_autofree char *invitation = confab_application_dup_invitation_text (self->session);

    gtk_label_set_label (self->status_label, invitation);
  } else if (state == CONFAB_SESSION_STATE_TERMINATED) {
    gtk_label_set_label (self->status_label, text);
  } else if (established && confab_session_get_local_hold (self->session)) {
    gtk_label_set_label (self->status_label, _("On hold"));
  } else if (established && confab_session_get_remote_hold (self->session)) {
    gtk_label_set_label (self->status_label, _("The other side put the call on hold"));
  } else {
    gtk_label_set_label (self->status_label, "");
  }
  gtk_widget_set_visible (GTK_WIDGET (self->status_label),
                          *gtk_label_get_label (self->status_label) != '\0');
}

void
_confab_session_window_update_status (ConfabSessionWindow *self)
{
  if (self->session)
    update_status_text (self);
}

static void
update_quality (ConfabSessionWindow *self)
{
  g_autofree char *summary = self->audio ? confab_audio_stream_dup_summary (self->audio) : NULL;

  gtk_label_set_label (self->quality_label, summary ? summary : "");
}

static gboolean
on_tick (gpointer user_data)
{
  update_status_text (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_quality_tick (gpointer user_data)
{
  update_quality (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_close_timeout (gpointer user_data)
{
  ConfabSessionWindow *self = user_data;

  self->close_id = 0;
  gtk_window_close (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

void
_confab_session_window_update_identity (ConfabSessionWindow *self)
{
  g_autofree char *room = _confab_session_window_dup_room_name (self);
  g_autofree char *name = room ? g_strdup (room)
                               : _confab_session_window_dup_remote_name (self->session);
  const char *display = confab_session_get_remote_display (self->session);
  const char *uri = confab_session_get_remote_uri (self->session);
  guint unread = confab_chat_pane_get_unread_count (self->chat_pane);
  /* Translators: the window title with unread chat messages: their
   * number, then the other party */
  g_autofree char *title = unread ? g_strdup_printf (_("(%u) %s"), unread, name) : NULL;

  gtk_window_set_title (GTK_WINDOW (self), title ? title : name);
  adw_window_title_set_title (self->window_title, title ? title : name);
  confab_chat_pane_set_peer_name (self->chat_pane, name);
  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_label (self->name_label, name);
  /* The address only says more when there is a display name. */
  if (room)
    display = room;
  gtk_label_set_label (self->address_label, display && *display && uri ? uri : "");
  gtk_widget_set_visible (GTK_WIDGET (self->address_label), display && *display && uri);
}

static void
update_state (ConfabSessionWindow *self)
{
  ConfabSessionState state = confab_session_get_state (self->session);
  gboolean established = state == CONFAB_SESSION_STATE_ESTABLISHED;
  gboolean incoming = state == CONFAB_SESSION_STATE_INCOMING;
  gboolean ended = state == CONFAB_SESSION_STATE_TERMINATED;

  gtk_widget_set_visible (self->incoming_box, incoming);
  gtk_widget_set_visible (self->audio_bar, !incoming && !_confab_session_window_is_chat_only (self) &&
                                           !_confab_session_window_is_files_only (self));

  if (established && !self->tick_id) {
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
    self->quality_id = g_timeout_add_seconds (QUALITY_INTERVAL_S, on_quality_tick, self);
    update_quality (self);
  } else if (!established) {
    g_clear_handle_id (&self->tick_id, g_source_remove);
    g_clear_handle_id (&self->quality_id, g_source_remove);
  }

  if (!established) {
    gtk_popover_popdown (self->keypad_popover);
    gtk_popover_popdown (self->transfer_popover);
  }
  if (ended) {
    gtk_label_set_label (self->quality_label, "");
    /* A chat stays open to be read, transfers to open what came; the
     * user closes them. */
    if (!self->close_id && !self->chat && !_confab_session_window_has_transfers (self))
      self->close_id = g_timeout_add_seconds (CLOSE_AFTER_END_S, on_close_timeout, self);
  }

  _confab_session_window_update_chat (self);
  _confab_session_window_update_files (self);
  _confab_session_window_update_conference (self);
  _confab_session_window_update_actions (self);
  update_status_text (self);
}

static void
on_session_state (ConfabSession       *session,
                  GParamSpec          *pspec,
                  ConfabSessionWindow *self)
{
  update_state (self);
}

static void
on_audio_state (ConfabStream        *stream,
                GParamSpec          *pspec,
                ConfabSessionWindow *self)
{
  /* Mute set before the media ran still holds once it does. */
  _confab_session_window_apply_mute (self);
  update_quality (self);
}

static void
on_audio_recording (ConfabAudioStream   *audio,
                    GParamSpec          *pspec,
                    ConfabSessionWindow *self)
{
  _confab_session_window_update_recording (self);
}

static void
on_keypad_closed (ConfabSessionWindow *self)
{
  gtk_label_set_label (self->keypad_digits, "");
}

static void
on_transfer_closed (ConfabSessionWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->transfer_entry), "error");
}

static void
on_transfer_entry_activate (ConfabSessionWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "session.transfer", NULL);
}

/* Digits typed while the keypad is open go out as DTMF. */
static gboolean
on_keypad_key_pressed (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       ConfabSessionWindow   *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  char digit[2] = { (char) c, '\0' };

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) || !c || c > 0x7f ||
      !(g_ascii_isdigit ((char) c) || c == '*' || c == '#'))
    return GDK_EVENT_PROPAGATE;
  gtk_widget_activate_action (GTK_WIDGET (self), "session.dtmf", "s", digit);
  return GDK_EVENT_STOP;
}

static void
disconnect_session (ConfabSessionWindow *self)
{
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (self->audio)
    g_signal_handlers_disconnect_by_data (self->audio, self);
  _confab_session_window_unwatch_conference (self);
  _confab_session_window_unwatch_chat (self);
  _confab_session_window_unwatch_files (self);
  g_clear_object (&self->audio);
  g_clear_object (&self->session);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->quality_id, g_source_remove);
  g_clear_handle_id (&self->close_id, g_source_remove);
}

static gboolean
confab_session_window_close_request (GtkWindow *window)
{
  ConfabSessionWindow *self = CONFAB_SESSION_WINDOW (window);

  /* Closing the window ends the call; no confirmation, as in a phone app. */
  if (self->session && confab_session_get_state (self->session) < CONFAB_SESSION_STATE_TERMINATING)
    confab_session_hangup (self->session);
  return GTK_WINDOW_CLASS (confab_session_window_parent_class)->close_request (window);
}

static void
confab_session_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  ConfabSessionWindow *self = CONFAB_SESSION_WINDOW (object);

  switch (prop_id) {
  case PROP_SESSION:
    g_value_set_object (value, self->session);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_session_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  ConfabSessionWindow *self = CONFAB_SESSION_WINDOW (object);

  switch (prop_id) {
  case PROP_SESSION:
    confab_session_window_set_session (self, g_value_get_object (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_session_window_dispose (GObject *object)
{
  ConfabSessionWindow *self = CONFAB_SESSION_WINDOW (object);

  disconnect_session (self);
  _confab_session_window_dispose_files (self);
  _confab_session_window_dispose_conference (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_SESSION_WINDOW);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (confab_session_window_parent_class)->dispose (object);
}

static void
confab_session_window_finalize (GObject *object)
{
  ConfabSessionWindow *self = CONFAB_SESSION_WINDOW (object);

  g_free (self->recording_path);

  G_OBJECT_CLASS (confab_session_window_parent_class)->finalize (object);
}

static void
confab_session_window_class_init (ConfabSessionWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->get_property = confab_session_window_get_property;
  object_class->set_property = confab_session_window_set_property;
  object_class->dispose = confab_session_window_dispose;
  object_class->finalize = confab_session_window_finalize;
  window_class->close_request = confab_session_window_close_request;

  /**
   * ConfabSessionWindow:session:
   *
   * The session shown; a window can take a new session with the same
   * party once the old one ended.
   */
  props[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, CONFAB_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  g_type_ensure (CONFAB_TYPE_CHAT_PANE);
  g_type_ensure (CONFAB_TYPE_PARTICIPANTS_PANE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-session-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, audio_bar);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, mute_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, hold_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, keypad_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, record_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, recording_indicator);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, keypad_popover);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, keypad_digits);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, transfer_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, transfer_popover);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, transfer_entry);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, quality_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, hangup_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, avatar);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, address_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, incoming_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, answer_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, decline_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, chat_pane);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, session_menu_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, add_chat_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, chat_toggle_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, chat_badge);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, transfer_list);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, files_toggle);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, drop_area);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, drop_highlight);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, drop_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, participants_flap);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, participants_pane);
  gtk_widget_class_bind_template_child (widget_class, ConfabSessionWindow, participants_toggle);
  gtk_widget_class_bind_template_callback (widget_class, on_keypad_closed);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_closed);
  gtk_widget_class_bind_template_callback (widget_class, on_transfer_entry_activate);
}

static void
confab_session_window_init (ConfabSessionWindow *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  _confab_session_window_init_actions (self);
  _confab_session_window_init_chat (self);
  _confab_session_window_init_files (self);
  _confab_session_window_init_conference (self);

  keys = gtk_event_controller_key_new ();
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_keypad_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->keypad_popover), keys);
}

ConfabSessionWindow *
confab_session_window_new (GtkApplication *application,
                           ConfabSession  *session)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (CONFAB_IS_SESSION (session), NULL);

  return g_object_new (CONFAB_TYPE_SESSION_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

/**
 * confab_session_window_get_session:
 *
 * Returns: (transfer none) (nullable): the session shown
 */
ConfabSession *
confab_session_window_get_session (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return self->session;
}

/**
 * confab_session_window_set_session:
 *
 * Shows @session, for instance a new call with the party whose last call
 * this window still shows.
 */
void
confab_session_window_set_session (ConfabSessionWindow *self,
                                   ConfabSession       *session)
{
  ConfabStream *audio;

  g_return_if_fail (CONFAB_IS_SESSION_WINDOW (self));
  g_return_if_fail (!session || CONFAB_IS_SESSION (session));

  if (self->session == session)
    return;
  disconnect_session (self);
  self->muted = FALSE;
  self->recording = FALSE;
  gtk_label_set_label (self->quality_label, "");
  gtk_label_set_label (self->keypad_digits, "");
  gtk_editable_set_text (GTK_EDITABLE (self->transfer_entry), "");

  if (session) {
    self->session = g_object_ref (session);
    audio = confab_session_find_stream (session, CONFAB_TYPE_AUDIO_STREAM);
    if (audio) {
      self->audio = g_object_ref (CONFAB_AUDIO_STREAM (audio));
      g_signal_connect_object (audio, "notify::state", G_CALLBACK (on_audio_state), self, 0);
      g_signal_connect_object (audio, "notify::recording", G_CALLBACK (on_audio_recording), self,
                               0);
    }
    g_signal_connect_object (session, "notify::state", G_CALLBACK (on_session_state), self, 0);
    g_signal_connect_object (session, "notify::local-hold", G_CALLBACK (on_session_state), self, 0);
    g_signal_connect_object (session, "notify::remote-hold", G_CALLBACK (on_session_state), self,
                             0);
    g_signal_connect_object (session, "notify::end-reason", G_CALLBACK (on_session_state), self, 0);
    _confab_session_window_watch_chat (self);
    _confab_session_window_watch_files (self);
    _confab_session_window_watch_conference (self);
    _confab_session_window_update_identity (self);
    update_state (self);
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SESSION]);
}

/**
 * confab_session_window_get_status_text:
 *
 * Returns: what the header says under the name: "Calling…", "00:42",
 *   "Call ended: busy (486 Busy Here)"…
 */
const char *
confab_session_window_get_status_text (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return adw_window_title_get_subtitle (self->window_title);
}

/**
 * confab_session_window_get_quality_text:
 *
 * Returns: the audio bar's codec and quality line, "" before the media runs
 */
const char *
confab_session_window_get_quality_text (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return gtk_label_get_label (self->quality_label);
}

GtkWidget *
confab_session_window_get_answer_button (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return GTK_WIDGET (self->answer_button);
}

GtkWidget *
confab_session_window_get_decline_button (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return GTK_WIDGET (self->decline_button);
}

/**
 * confab_session_window_get_content:
 *
 * Returns: (transfer none): the stack of panes below the audio bar; the
 *   "audio" page shows the other party
 */
GtkStack *
confab_session_window_get_content (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return self->content_stack;
}

void
_confab_session_window_add_toast (ConfabSessionWindow *self,
                                  const char          *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/**
 * confab_session_window_get_recording_path:
 *
 * Returns: (nullable): the file the call is being recorded to, or was
 *   last
 */
const char *
confab_session_window_get_recording_path (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return self->recording_path;
}

/**
 * confab_session_window_get_recording_indicator:
 *
 * Returns: (transfer none): the audio bar's "Recording" sign, visible
 *   while the call is recorded
 */
GtkWidget *
confab_session_window_get_recording_indicator (ConfabSessionWindow *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_WINDOW (self), NULL);
  return self->recording_indicator;
}
