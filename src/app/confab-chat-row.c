/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-chat-row.h"
#include "confab-chat-text.h"
#include "im/confab-chat-stream.h"

#include <glib/gi18n.h>

/* One row of the chat list, bound to a ConfabChatMessage by the pane's
 * list factory and rebound as rows are recycled: sender, time, delivery
 * ticks (updated in place as the message's state changes), the text with
 * links, or an inline image. */

struct _ConfabChatRow
{
  GtkWidget          parent_instance;

  ConfabChatMessage *message;

  GtkLabel          *day_label;
  GtkLabel          *status_label;
  GtkWidget         *bubble;
  GtkLabel          *sender_label;
  GtkLabel          *private_label;
  GtkLabel          *time_label;
  GtkImage          *state_image;
  GtkLabel          *state_label;
  GtkLabel          *text_label;
  GtkWidget         *image_clamp;
  GtkPicture        *picture;
  char              *state_text;
  char              *recipient_name;  /* of an outgoing private message, or NULL */
};

G_DEFINE_FINAL_TYPE (ConfabChatRow, confab_chat_row, GTK_TYPE_WIDGET)

/* Decoded images and why one cannot be shown, kept on the message so that
 * a recycled row does not decode it again. */
#define TEXTURE_KEY "confab-chat-row-texture"
#define IMAGE_ERROR_KEY "confab-chat-row-image-error"

static char *
dup_sender_name (ConfabChatMessage *message)
{
  const char *display = confab_chat_message_get_sender_display (message);
  const char *uri = confab_chat_message_get_sender_uri (message);

  if (confab_chat_message_get_direction (message) == CONFAB_CHAT_DIRECTION_OUTGOING)
    return g_strdup (_("You"));
  if (display && *display)
    return g_strdup (display);
  if (!uri)
    return g_strdup (_("Unknown sender"));
  if (g_str_has_prefix (uri, "sip:"))
    return g_strdup (uri + 4);
  if (g_str_has_prefix (uri, "sips:"))
    return g_strdup (uri + 5);
  return g_strdup (uri);
}

static GdkTexture *
load_texture (ConfabChatMessage  *message,
              const char        **why_not)
{
  GObject *object = G_OBJECT (message);
  GBytes *body = confab_chat_message_get_body (message);
  g_autoptr (GError) error = NULL;
  GdkTexture *texture = g_object_get_data (object, TEXTURE_KEY);
  char *reason = g_object_get_data (object, IMAGE_ERROR_KEY);

  if (texture || reason) {
    *why_not = reason;
    return texture;
  }
  if (!body || g_bytes_get_size (body) == 0) {
    reason = g_strdup (_("The image is empty"));
  } else if (g_bytes_get_size (body) > CONFAB_CHAT_MAX_IMAGE_SIZE) {
    g_autofree char *size = g_format_size (g_bytes_get_size (body));

    /* Translators: %s is a size, like 6.2 MB */
    reason = g_strdup_printf (_("The image is too large to show (%s)"), size);
  } else {
    texture = gdk_texture_new_from_bytes (body, &error);
    if (!texture) {
      g_debug ("Cannot decode an image: %s", error->message);
      reason = g_strdup (_("The image cannot be shown: its format is unknown or it is damaged"));
    }
  }
  if (texture)
    g_object_set_data_full (object, TEXTURE_KEY, texture, g_object_unref);
  else
    g_object_set_data_full (object, IMAGE_ERROR_KEY, reason, g_free);
  *why_not = reason;
  return texture;
}

static void
show_body (ConfabChatRow *self)
{
  ConfabChatMessage *message = self->message;
  const char *type = confab_chat_message_get_content_type (message);
  const char *text = confab_chat_message_get_text (message);
  g_autofree char *plain = NULL;
  g_autofree char *markup = NULL;
  GdkTexture *texture = NULL;
  const char *why_not = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (self->text_label), "dim-label");
  if (confab_chat_message_is_image (message)) {
    texture = load_texture (message, &why_not);
    if (texture) {
      int width = gdk_texture_get_width (texture);
      int height = gdk_texture_get_height (texture);
      int shown_width = MIN (width, CONFAB_CHAT_ROW_IMAGE_WIDTH);

      /* Scaled down to the row's width, never enlarged. GtkListView gives
       * rows their minimum height, so the size is asked for outright. */
      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
      gtk_widget_set_size_request (GTK_WIDGET (self->picture), shown_width,
                                   MAX (1, (int) ((gint64) height * shown_width / MAX (width, 1))));
      adw_clamp_set_maximum_size (ADW_CLAMP (self->image_clamp), shown_width);
      gtk_widget_set_visible (self->image_clamp, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->text_label), FALSE);
      return;
    }
    plain = g_strdup (why_not);
    gtk_widget_add_css_class (GTK_WIDGET (self->text_label), "dim-label");
  } else if (text && type && g_ascii_strncasecmp (type, "text/html", 9) == 0) {
    plain = confab_chat_text_from_html (text);
  } else if (text) {
    plain = g_strdup (text);
  } else {
    /* Translators: %s is a MIME type, like application/pdf */
    plain = g_strdup_printf (_("A message of type %s, which Confab cannot show"),
                             type ? type : "?");
    gtk_widget_add_css_class (GTK_WIDGET (self->text_label), "dim-label");
  }
  gtk_picture_set_paintable (self->picture, NULL);
  gtk_widget_set_size_request (GTK_WIDGET (self->picture), -1, -1);
  gtk_widget_set_visible (self->image_clamp, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->text_label), TRUE);
  markup = confab_chat_text_to_markup (plain);
  gtk_label_set_markup (self->text_label, markup);
}

/* A room's private message says so, and ours whom it went to. */
static void
show_private (ConfabChatRow *self,
              gboolean       outgoing)
{
  const char *recipient = confab_chat_message_get_recipient_uri (self->message);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->private_label),
                          confab_chat_message_is_private (self->message));
  if (!confab_chat_message_is_private (self->message)) {
    gtk_widget_remove_css_class (self->bubble, "private");
    return;
  }
  gtk_widget_add_css_class (self->bubble, "private");
  if (outgoing && recipient) {
    const char *name = self->recipient_name ? self->recipient_name : recipient;

    if (g_str_has_prefix (name, "sip:"))
      name += 4;
    else if (g_str_has_prefix (name, "sips:"))
      name += 5;
    /* Translators: on a private message we sent in a chat room; %s is
     * whom it went to */
    text = g_strdup_printf (_("Private to %s"), name);
  } else {
    /* Translators: on a private message in a chat room */
    text = g_strdup (_("Private"));
  }
  gtk_label_set_label (self->private_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->private_label),
                               _("Only you and the other person see this message"));
}

static void
update_state (ConfabChatRow *self)
{
  ConfabChatState state = confab_chat_message_get_state (self->message);
  const char *error = confab_chat_message_get_error (self->message);
  const char *icon = NULL;
  const char *ticks = NULL;
  char *text = NULL;

  switch (state) {
  case CONFAB_CHAT_STATE_SENDING:
    icon = "document-open-recent-symbolic";
    text = g_strdup (_("Sending…"));
    break;
  case CONFAB_CHAT_STATE_SENT:
    ticks = "✓";
    text = g_strdup (_("Sent"));
    break;
  case CONFAB_CHAT_STATE_DELIVERED:
    ticks = "✓✓";
    text = g_strdup (_("Delivered"));
    break;
  case CONFAB_CHAT_STATE_DISPLAYED:
    ticks = "✓✓";
    text = g_strdup (_("Read"));
    break;
  case CONFAB_CHAT_STATE_FAILED:
    icon = "dialog-error-symbolic";
    text = error && *error ? g_strdup_printf (_("Not sent: %s"), error) : g_strdup (_("Not sent"));
    break;
  case CONFAB_CHAT_STATE_RECEIVED:
  default:
    break;
  }

  g_free (self->state_text);
  self->state_text = text;
  gtk_widget_set_visible (GTK_WIDGET (self->state_image), icon != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), ticks != NULL);
  if (icon) {
    gtk_image_set_from_icon_name (self->state_image, icon);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_image), text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_image),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  }
  if (ticks) {
    gtk_label_set_label (self->state_label, ticks);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->state_label), text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->state_label),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  }
  if (state == CONFAB_CHAT_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_image), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "error");
  if (state == CONFAB_CHAT_STATE_DISPLAYED)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_label), "accent");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), "accent");
  if (state == CONFAB_CHAT_STATE_FAILED)
    gtk_widget_add_css_class (self->bubble, "failed");
  else
    gtk_widget_remove_css_class (self->bubble, "failed");
}

static void
on_message_state (ConfabChatMessage *message,
                  GParamSpec        *pspec,
                  ConfabChatRow     *self)
{
  update_state (self);
}

/* sip: links open in Confab's main window, ready to call; web links in
 * the browser (GtkLabel's default). */
static gboolean
on_activate_link (ConfabChatRow *self,
                  const char    *uri,
                  GtkLabel      *label)
{
  GApplication *app = g_application_get_default ();
  g_autoptr (GFile) file = NULL;

  if (!app || !(g_str_has_prefix (uri, "sip:") || g_str_has_prefix (uri, "sips:")))
    return FALSE;
  file = g_file_new_for_uri (uri);
  g_application_open (app, &file, 1, "");
  return TRUE;
}

static void
confab_chat_row_dispose (GObject *object)
{
  ConfabChatRow *self = CONFAB_CHAT_ROW (object);
  GtkWidget *child;

  confab_chat_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_CHAT_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (confab_chat_row_parent_class)->dispose (object);
}

static void
confab_chat_row_finalize (GObject *object)
{
  ConfabChatRow *self = CONFAB_CHAT_ROW (object);

  g_free (self->state_text);
  g_free (self->recipient_name);

  G_OBJECT_CLASS (confab_chat_row_parent_class)->finalize (object);
}

static void
confab_chat_row_class_init (ConfabChatRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_chat_row_dispose;
  object_class->finalize = confab_chat_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-chat-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, day_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, bubble);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, sender_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, private_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, state_image);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, image_clamp);
  gtk_widget_class_bind_template_child (widget_class, ConfabChatRow, picture);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_link);
  gtk_widget_class_set_css_name (widget_class, "chatrow");
}

static void
confab_chat_row_init (ConfabChatRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
confab_chat_row_new (void)
{
  return g_object_new (CONFAB_TYPE_CHAT_ROW, NULL);
}

/**
 * confab_chat_row_set_recipient_name:
 * @name: (nullable): how to name the recipient of the next bound message
 *   if it is a private one we sent; %NULL shows their address
 */
void
confab_chat_row_set_recipient_name (ConfabChatRow *self,
                                    const char    *name)
{
  g_return_if_fail (CONFAB_IS_CHAT_ROW (self));

  g_free (self->recipient_name);
  self->recipient_name = name && *name ? g_strdup (name) : NULL;
}

/**
 * confab_chat_row_bind:
 * @show_day: whether a new day starts here (the item above is of another
 *   day, or there is none)
 *
 * Shows @message; the row follows its delivery state until unbound.
 */
void
confab_chat_row_bind (ConfabChatRow     *self,
                      ConfabChatMessage *message,
                      gboolean           show_day)
{
  GDateTime *timestamp;
  gboolean status;
  gboolean outgoing;

  g_return_if_fail (CONFAB_IS_CHAT_ROW (self));
  g_return_if_fail (CONFAB_IS_CHAT_MESSAGE (message));

  confab_chat_row_unbind (self);
  self->message = g_object_ref (message);
  timestamp = confab_chat_message_get_timestamp (message);
  status = confab_chat_message_get_direction (message) == CONFAB_CHAT_DIRECTION_STATUS;
  outgoing = confab_chat_message_get_direction (message) == CONFAB_CHAT_DIRECTION_OUTGOING;

  gtk_widget_set_visible (GTK_WIDGET (self->day_label), show_day && timestamp);
  if (show_day && timestamp) {
    g_autofree char *day = confab_chat_text_format_day (timestamp, NULL);

    gtk_label_set_label (self->day_label, day);
  }

  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status);
  gtk_widget_set_visible (self->bubble, !status);
  if (status) {
    const char *text = confab_chat_message_get_text (message);

    gtk_label_set_label (self->status_label, text ? text : "");
    gtk_label_set_label (self->text_label, "");
    gtk_widget_set_visible (GTK_WIDGET (self->private_label), FALSE);
    return;
  }

  gtk_widget_set_halign (self->bubble, outgoing ? GTK_ALIGN_END : GTK_ALIGN_START);
  if (outgoing) {
    gtk_widget_add_css_class (self->bubble, "outgoing");
    gtk_widget_remove_css_class (self->bubble, "incoming");
  } else {
    gtk_widget_add_css_class (self->bubble, "incoming");
    gtk_widget_remove_css_class (self->bubble, "outgoing");
  }
  {
    g_autofree char *sender = dup_sender_name (message);

    gtk_label_set_label (self->sender_label, sender);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->sender_label),
                                 confab_chat_message_get_sender_uri (message));
  }
  show_private (self, outgoing);
  if (timestamp) {
    g_autoptr (GDateTime) local = g_date_time_to_local (timestamp);
    g_autofree char *time = g_date_time_format (local, "%H:%M");
    g_autofree char *full = g_date_time_format (local, "%c");

    gtk_label_set_label (self->time_label, time);
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), full);
  } else {
    gtk_label_set_label (self->time_label, "");
  }
  show_body (self);
  update_state (self);
  g_signal_connect_object (message, "notify::state", G_CALLBACK (on_message_state), self, 0);
  g_signal_connect_object (message, "notify::error", G_CALLBACK (on_message_state), self, 0);
}

void
confab_chat_row_unbind (ConfabChatRow *self)
{
  g_return_if_fail (CONFAB_IS_CHAT_ROW (self));

  if (!self->message)
    return;
  g_signal_handlers_disconnect_by_data (self->message, self);
  g_clear_object (&self->message);
  g_clear_pointer (&self->state_text, g_free);
  if (self->picture)
    gtk_picture_set_paintable (self->picture, NULL);
}

/**
 * confab_chat_row_get_message:
 *
 * Returns: (transfer none) (nullable): the message shown
 */
ConfabChatMessage *
confab_chat_row_get_message (ConfabChatRow *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_ROW (self), NULL);
  return self->message;
}

/**
 * confab_chat_row_get_text:
 *
 * Returns: the text shown (without markup): the message, the status line,
 *   or why an image cannot be shown; "" for a shown image
 */
const char *
confab_chat_row_get_text (ConfabChatRow *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_ROW (self), NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    return gtk_label_get_label (self->status_label);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->text_label)))
    return "";
  return gtk_label_get_text (self->text_label);
}

const char *
confab_chat_row_get_sender (ConfabChatRow *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_ROW (self), NULL);
  return gtk_label_get_label (self->sender_label);
}

/**
 * confab_chat_row_get_day:
 *
 * Returns: (nullable): the day label above the row ("Today"…), %NULL when
 *   the row continues the day of the one above
 */
const char *
confab_chat_row_get_day (ConfabChatRow *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->day_label)))
    return NULL;
  return gtk_label_get_label (self->day_label);
}

/**
 * confab_chat_row_get_state_text:
 *
 * Returns: (nullable): the delivery state in words ("Sent", "Not sent:
 *   …"), as the ticks' tooltip says; %NULL for incoming messages
 */
const char *
confab_chat_row_get_state_text (ConfabChatRow *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_ROW (self), NULL);
  return self->state_text;
}

/**
 * confab_chat_row_get_private_text:
 *
 * Returns: (nullable): "Private" (or "Private to bob@…") on a room's
 *   private message; %NULL on others
 */
const char *
confab_chat_row_get_private_text (ConfabChatRow *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_ROW (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->private_label)))
    return NULL;
  return gtk_label_get_label (self->private_label);
}

gboolean
confab_chat_row_shows_image (ConfabChatRow *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_ROW (self), FALSE);
  return gtk_widget_get_visible (self->image_clamp) &&
         gtk_picture_get_paintable (self->picture) != NULL;
}
