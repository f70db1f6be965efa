/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-chat-pane-private.h"

#include <glib/gi18n.h>

/* The chat pane's composer: a multi-line entry where Enter sends and
 * Shift+Enter starts a new line, each keystroke telling the peer we type
 * (is-composing), a Send button, and images picked from a file. In a chat
 * room it can write to one participant alone (RFC 7701 private messages):
 * a line above the entry says to whom until it is closed or Escape is
 * pressed; the room learns nothing of our typing meanwhile, as its
 * is-composing would go to everyone. */

static char *
dup_draft (ConfabChatPane *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

void
_confab_chat_pane_update_sendable (ConfabChatPane *self)
{
  g_autofree char *draft = dup_draft (self);
  gboolean writable = _confab_chat_pane_can_write (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.send", writable && *draft);
  /* A room's private messages are text. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.send-image",
                                 writable && !self->private_uri);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.cancel-private",
                                 self->private_uri != NULL);
}

static void
on_buffer_changed (GtkTextBuffer  *buffer,
                   ConfabChatPane *self)
{
  gboolean empty = gtk_text_buffer_get_char_count (buffer) == 0;

  gtk_widget_set_visible (self->placeholder, empty);
  _confab_chat_pane_update_sendable (self);
  /* Every keystroke keeps "active" alive; an emptied entry is "idle". */
  if (self->stream && _confab_chat_pane_can_write (self))
    confab_chat_stream_set_composing (self->stream, !empty && !self->private_uri);
}

static void
send_draft (ConfabChatPane *self)
{
  g_autofree char *draft = dup_draft (self);
  g_autoptr (GError) error = NULL;

  if (!*draft || !_confab_chat_pane_can_write (self))
    return;
  if (self->private_uri
        ? !confab_chat_stream_send_private_text (self->stream, self->private_uri, draft, &error)
        : !confab_chat_stream_send_text (self->stream, draft, &error)) {
    g_autofree char *message = g_strdup_printf (_("The message was not sent: %s"), error->message);

    _confab_chat_pane_add_toast (self, message);
    return;
  }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
  _confab_chat_pane_scroll_to_bottom (self);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ConfabChatPane        *self)
{
  if (keyval == GDK_KEY_Escape && self->private_uri &&
      !(state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK))) {
    _confab_chat_pane_set_private (self, NULL, NULL);
    return GDK_EVENT_STOP;
  }
  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter)
    return GDK_EVENT_PROPAGATE;
  if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK | GDK_ALT_MASK))
    return GDK_EVENT_PROPAGATE;
  send_draft (self);
  return GDK_EVENT_STOP;
}

static void
on_send_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  send_draft (CONFAB_CHAT_PANE (widget));
}

/* Private messages */

void
_confab_chat_pane_set_private (ConfabChatPane *self,
                               const char     *uri,
                               const char     *name)
{
  g_autofree char *text = NULL;

  if (!uri && !self->private_uri)
    return;
  g_free (self->private_uri);
  g_free (self->private_name);
  self->private_uri = g_strdup (uri);
  self->private_name = uri ? g_strdup (name && *name ? name : uri) : NULL;
  if (uri) {
    /* Translators: above the chat entry in a room while writing to one
     * participant alone; %s is their name */
    text = g_strdup_printf (_("Private to %s"), self->private_name);
    gtk_label_set_label (self->private_label, text);
    /* Typing to one person is nobody else's business. */
    if (self->stream && _confab_chat_pane_can_write (self))
      confab_chat_stream_set_composing (self->stream, FALSE);
  }
  gtk_revealer_set_reveal_child (self->private_revealer, uri != NULL);
  gtk_label_set_label (GTK_LABEL (self->placeholder),
                       uri ? _("Write a private message…") : _("Write a message…"));
  _confab_chat_pane_update_sendable (self);
}

static void
on_cancel_private_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  ConfabChatPane *self = CONFAB_CHAT_PANE (widget);

  _confab_chat_pane_set_private (self, NULL, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/* Whom an outgoing private message went to, as the room names them now;
 * NULL when it does not know them (the row shows the address). */
char *
_confab_chat_pane_dup_recipient_name (ConfabChatPane    *self,
                                      ConfabChatMessage *message)
{
  const char *uri = confab_chat_message_get_recipient_uri (message);
  ConfabParticipant *participant;
  const char *name;

  if (!uri || confab_chat_message_get_direction (message) != CONFAB_CHAT_DIRECTION_OUTGOING)
    return NULL;
  if (self->private_uri && self->private_name && g_str_equal (uri, self->private_uri))
    return g_strdup (self->private_name);
  participant = self->room ? confab_conference_find_participant (self->room, uri) : NULL;
  name = participant ? confab_participant_get_display_name (participant) : NULL;
  return name && *name ? g_strdup (name) : NULL;
}

/**
 * confab_chat_pane_write_privately:
 * @uri: (nullable): the room participant to write to alone; %NULL to
 *   write to everyone again
 * @name: (nullable): how to name them ("Private to @name")
 *
 * Puts the composer into private mode (a chat room's RFC 7701 private
 * messages), with the focus in the entry. Nothing happens when the chat
 * cannot take private messages.
 */
void
confab_chat_pane_write_privately (ConfabChatPane *self,
                                  const char     *uri,
                                  const char     *name)
{
  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));

  if (uri && (!_confab_chat_pane_can_write (self) ||
              !confab_chat_stream_has_chatroom_feature (self->stream, "private-messages")))
    return;
  _confab_chat_pane_set_private (self, uri, name);
  if (uri)
    gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/**
 * confab_chat_pane_get_private_recipient:
 *
 * Returns: (nullable): whom the composer writes to alone, %NULL when it
 *   writes to everyone
 */
const char *
confab_chat_pane_get_private_recipient (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), NULL);
  return self->private_uri;
}

/**
 * confab_chat_pane_get_private_text:
 *
 * Returns: (nullable): the line above the entry in private mode ("Private
 *   to dave"), %NULL otherwise
 */
const char *
confab_chat_pane_get_private_text (ConfabChatPane *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_PANE (self), NULL);

  if (!self->private_uri)
    return NULL;
  return gtk_label_get_label (self->private_label);
}

/**
 * confab_chat_pane_set_room:
 * @room: (nullable): the conference room of the chat
 *
 * Where the names of private messages' recipients come from.
 */
void
confab_chat_pane_set_room (ConfabChatPane   *self,
                           ConfabConference *room)
{
  g_return_if_fail (CONFAB_IS_CHAT_PANE (self));
  g_return_if_fail (!room || CONFAB_IS_CONFERENCE (room));

  g_set_object (&self->room, room);
}

/* Images */

static void
on_image_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  ConfabChatPane *self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);
  g_autofree char *name = g_file_get_basename (G_FILE (source));
  g_autofree char *guessed = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *message = NULL;
  gsize size;
  const guchar *data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_object_unref (self);
    return;
  }
  if (!bytes) {
    /* Translators: %s is a file name, then why it could not be read */
    message = g_strdup_printf (_("“%s” could not be read: %s"), name, error->message);
  } else {
    data = g_bytes_get_data (bytes, &size);
    guessed = g_content_type_guess (name, data, MIN (size, 4096), NULL);
    mime = g_content_type_get_mime_type (guessed);
    if (!mime || !g_str_has_prefix (mime, "image/")) {
      message = g_strdup_printf (
        _("“%s” is not an image. Choose a PNG, JPEG, GIF or WebP file."), name);
    } else if (size > CONFAB_CHAT_MAX_IMAGE_SIZE) {
      g_autofree char *limit = g_format_size (CONFAB_CHAT_MAX_IMAGE_SIZE);

      /* Translators: %s is a file name, then a size like 4.2 MB */
      message = g_strdup_printf (
        _("“%s” is too large to send in the chat: images can be up to %s."), name, limit);
    } else if (!_confab_chat_pane_can_write (self)) {
      message = g_strdup (_("The chat has ended. Start a new chat to write again."));
    } else if (!confab_chat_stream_send_message (self->stream, mime, bytes, &error)) {
      message = g_strdup_printf (_("The image was not sent: %s"), error->message);
    } else {
      _confab_chat_pane_scroll_to_bottom (self);
    }
  }
  if (message)
    _confab_chat_pane_add_toast (self, message);
  g_object_unref (self);
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     ConfabChatPane  *self)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->chooser);
  if (!file)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_file_load_bytes_async (file, self->cancellable, on_image_loaded, g_object_ref (self));
}

static void
on_send_image_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ConfabChatPane *self = CONFAB_CHAT_PANE (widget);
  GtkFileChooserNative *chooser;
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser)
    return;
  chooser = gtk_file_chooser_native_new (_("Send an Image"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Send"), NULL);
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

void
_confab_chat_pane_class_init_composer (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "chat.send", NULL, on_send_action);
  gtk_widget_class_install_action (widget_class, "chat.send-image", NULL, on_send_image_action);
  gtk_widget_class_install_action (widget_class, "chat.cancel-private", NULL,
                                   on_cancel_private_action);
}

void
_confab_chat_pane_init_composer (ConfabChatPane *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  /* Before the text view inserts the newline. */
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (keys, "confab-chat-composer-keys");
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->text_view), keys);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (on_buffer_changed), self, 0);
}

void
_confab_chat_pane_dispose_composer (ConfabChatPane *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  g_clear_object (&self->room);
  g_clear_pointer (&self->private_uri, g_free);
  g_clear_pointer (&self->private_name, g_free);
}
