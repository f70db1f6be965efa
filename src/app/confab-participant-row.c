/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-participant-row.h"
#include "confab-uri.h"

#include <glib/gi18n.h>

/* One person in a conference room, bound to a ConfabParticipant that the
 * room updates in place: the row follows its notifications and changes
 * only what changed. The Remove button activates "participants.remove"
 * with the participant's address; the pane asks before it removes. The
 * private message button ("participants.message-privately", the same
 * target) shows where the room allows private messages, for others who
 * are in its chat. */

struct _ConfabParticipantRow
{
  AdwActionRow       parent_instance;

  ConfabParticipant *participant;

  AdwAvatar         *avatar;
  GtkWidget         *media_box;
  GtkWidget         *muted_icon;
  GtkWidget         *hold_icon;
  GtkWidget         *audio_icon;
  GtkWidget         *chat_icon;
  GtkWidget         *private_button;
  GtkWidget         *remove_button;
  gboolean           private_messages;  /* the room allows them */
};

G_DEFINE_FINAL_TYPE (ConfabParticipantRow, confab_participant_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PARTICIPANT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* Endpoint states (RFC 4575) worth saying; "connected" goes without
 * saying. */
static const char *
status_words (const char *status)
{
  if (!status || g_str_equal (status, "connected"))
    return NULL;
  if (g_str_equal (status, "pending") || g_str_equal (status, "dialing-out") ||
      g_str_equal (status, "dialing-in"))
    return _("Joining…");
  if (g_str_equal (status, "alerting"))
    return _("Ringing…");
  if (g_str_equal (status, "disconnecting") || g_str_equal (status, "disconnected"))
    return _("Leaving…");
  return NULL;
}

/* Someone we can write to privately: not us, and in the room's chat (a
 * room that does not list media is taken at its word that they are). */
static void
update_private_button (ConfabParticipantRow *self)
{
  const char * const *media = confab_participant_get_media (self->participant);
  gboolean in_chat = !media || !media[0] ||
                     confab_participant_has_media (self->participant, "message");

  gtk_widget_set_visible (self->private_button,
                          self->private_messages && in_chat &&
                          !confab_participant_is_self (self->participant));
}

static void
update_labels (ConfabParticipantRow *self)
{
  const char *name = confab_participant_get_display_name (self->participant);
  const char *entity = confab_participant_get_entity (self->participant);
  const char *status = status_words (confab_participant_get_status (self->participant));
  gboolean is_self = confab_participant_is_self (self->participant);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (!name || !*name)
    name = confab_uri_skip_scheme (entity);
  /* Translators: our own row among a room's participants; %s is our name */
  title = is_self ? g_strdup_printf (_("%s (you)"), name) : g_strdup (name);
  if (status)
    /* Translators: a participant's address, then how far they are in
     * joining or leaving, like "bob@example.org · Ringing…" */
    subtitle = g_strdup_printf (_("%s · %s"), confab_uri_skip_scheme (entity), status);
  else
    subtitle = g_strdup (confab_uri_skip_scheme (entity));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  adw_avatar_set_text (self->avatar, name);
  gtk_widget_set_visible (self->remove_button, !is_self);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->remove_button),
                                          g_variant_new_string (entity ? entity : ""));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->private_button),
                                          g_variant_new_string (entity ? entity : ""));
  if (!is_self) {
    /* Translators: the Remove button's tooltip; %s is a participant */
    g_autofree char *tooltip = g_strdup_printf (_("Remove %s"), name);
    /* Translators: a participant's button that starts writing to them
     * alone; %s is the participant */
    g_autofree char *private_tooltip = g_strdup_printf (_("Send Private Message to %s"), name);

    gtk_widget_set_tooltip_text (self->remove_button, tooltip);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
    gtk_widget_set_tooltip_text (self->private_button, private_tooltip);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->private_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, private_tooltip, -1);
  }
  update_private_button (self);
}

static void
update_media (ConfabParticipantRow *self)
{
  gboolean audio = confab_participant_has_media (self->participant, "audio");

  gtk_widget_set_visible (self->audio_icon, audio);
  gtk_widget_set_visible (self->chat_icon,
                          confab_participant_has_media (self->participant, "message"));
  gtk_widget_set_visible (self->hold_icon, confab_participant_get_on_hold (self->participant));
  gtk_widget_set_visible (self->muted_icon,
                          audio && confab_participant_get_muted (self->participant) &&
                          !confab_participant_get_on_hold (self->participant));
  update_private_button (self);
}

static void
on_labels_changed (ConfabParticipant    *participant,
                   GParamSpec           *pspec,
                   ConfabParticipantRow *self)
{
  update_labels (self);
}

static void
on_media_changed (ConfabParticipant    *participant,
                  GParamSpec           *pspec,
                  ConfabParticipantRow *self)
{
  update_media (self);
}

static void
confab_participant_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  ConfabParticipantRow *self = CONFAB_PARTICIPANT_ROW (object);

  switch (prop_id) {
  case PROP_PARTICIPANT:
    g_value_set_object (value, self->participant);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_participant_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  ConfabParticipantRow *self = CONFAB_PARTICIPANT_ROW (object);

  switch (prop_id) {
  case PROP_PARTICIPANT:
    self->participant = g_value_dup_object (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_participant_row_constructed (GObject *object)
{
  ConfabParticipantRow *self = CONFAB_PARTICIPANT_ROW (object);
  static const char *label_props[] = { "display-name", "entity", "is-self", "status" };
  static const char *media_props[] = { "media", "on-hold", "muted" };

  G_OBJECT_CLASS (confab_participant_row_parent_class)->constructed (object);

  g_assert (CONFAB_IS_PARTICIPANT (self->participant));
  for (guint i = 0; i < G_N_ELEMENTS (label_props); i++) {
    g_autofree char *signal = g_strconcat ("notify::", label_props[i], NULL);

    g_signal_connect_object (self->participant, signal, G_CALLBACK (on_labels_changed), self, 0);
  }
  for (guint i = 0; i < G_N_ELEMENTS (media_props); i++) {
    g_autofree char *signal = g_strconcat ("notify::", media_props[i], NULL);

    g_signal_connect_object (self->participant, signal, G_CALLBACK (on_media_changed), self, 0);
  }
  update_labels (self);
  update_media (self);
}

static void
confab_participant_row_dispose (GObject *object)
{
  ConfabParticipantRow *self = CONFAB_PARTICIPANT_ROW (object);

  if (self->participant)
    g_signal_handlers_disconnect_by_data (self->participant, self);
  g_clear_object (&self->participant);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_PARTICIPANT_ROW);

  G_OBJECT_CLASS (confab_participant_row_parent_class)->dispose (object);
}

static void
confab_participant_row_class_init (ConfabParticipantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = confab_participant_row_get_property;
  object_class->set_property = confab_participant_row_set_property;
  object_class->constructed = confab_participant_row_constructed;
  object_class->dispose = confab_participant_row_dispose;

  /**
   * ConfabParticipantRow:participant:
   *
   * The person shown, followed as the room updates it.
   */
  props[PROP_PARTICIPANT] =
    g_param_spec_object ("participant", NULL, NULL, CONFAB_TYPE_PARTICIPANT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-participant-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, media_box);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, muted_icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, hold_icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, audio_icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, chat_icon);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, private_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabParticipantRow, remove_button);
}

static void
confab_participant_row_init (ConfabParticipantRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
confab_participant_row_new (ConfabParticipant *participant)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT (participant), NULL);

  return g_object_new (CONFAB_TYPE_PARTICIPANT_ROW, "participant", participant, NULL);
}

/**
 * confab_participant_row_get_participant:
 *
 * Returns: (transfer none): the person shown
 */
ConfabParticipant *
confab_participant_row_get_participant (ConfabParticipantRow *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), NULL);
  return self->participant;
}

/**
 * confab_participant_row_get_name:
 *
 * Returns: the row's title: the display name, with "(you)" on our own row
 */
const char *
confab_participant_row_get_name (ConfabParticipantRow *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), NULL);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
}

/**
 * confab_participant_row_shows_media:
 * @type: "audio" or "message"
 *
 * Returns: whether the row shows the icon of @type
 */
gboolean
confab_participant_row_shows_media (ConfabParticipantRow *self,
                                    const char           *type)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), FALSE);
  g_return_val_if_fail (type != NULL, FALSE);

  if (g_str_equal (type, "audio"))
    return gtk_widget_get_visible (self->audio_icon);
  if (g_str_equal (type, "message"))
    return gtk_widget_get_visible (self->chat_icon);
  return FALSE;
}

gboolean
confab_participant_row_shows_on_hold (ConfabParticipantRow *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), FALSE);
  return gtk_widget_get_visible (self->hold_icon);
}

/**
 * confab_participant_row_get_remove_button:
 *
 * Returns: (transfer none): the Remove button (hidden on our own row)
 */
GtkWidget *
confab_participant_row_get_remove_button (ConfabParticipantRow *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), NULL);
  return self->remove_button;
}

/**
 * confab_participant_row_set_private_messages:
 * @allowed: whether the room takes private messages (and we are in it)
 *
 * Shows the private message button, on others' rows who are in the chat.
 */
void
confab_participant_row_set_private_messages (ConfabParticipantRow *self,
                                             gboolean              allowed)
{
  g_return_if_fail (CONFAB_IS_PARTICIPANT_ROW (self));

  self->private_messages = allowed;
  update_private_button (self);
}

/**
 * confab_participant_row_get_private_button:
 *
 * Returns: (transfer none): the private message button (hidden on our own
 *   row, for those not in the chat, and where the room does not allow
 *   private messages)
 */
GtkWidget *
confab_participant_row_get_private_button (ConfabParticipantRow *self)
{
  g_return_val_if_fail (CONFAB_IS_PARTICIPANT_ROW (self), NULL);
  return self->private_button;
}
