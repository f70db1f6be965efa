/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-join-dialog.h"
#include "confab-application.h"

#include <glib/gi18n.h>

/* Join Conference…: a room's address (or a new ad-hoc room at the
 * account's conference server), audio and/or chat, and a nickname. Join
 * goes through confab_application_join_conference(), the same path as
 * every other way into a room; the dialog closes once the INVITE is on its
 * way and the room's window opens, or says why it could not start. */

struct _ConfabJoinDialog
{
  AdwWindow    parent_instance;

  AdwEntryRow *room_row;
  GtkWidget   *new_room_button;
  GtkSwitch   *audio_switch;
  GtkSwitch   *chat_switch;
  AdwEntryRow *nickname_row;
  GtkLabel    *error_label;
  GtkWidget   *join_button;
};

G_DEFINE_FINAL_TYPE (ConfabJoinDialog, confab_join_dialog, ADW_TYPE_WINDOW)

static ConfabApplication *
get_application (ConfabJoinDialog *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return CONFAB_IS_APPLICATION (app) ? CONFAB_APPLICATION (app) : NULL;
}

static void
show_error (ConfabJoinDialog *self,
            const char       *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
on_changed (ConfabJoinDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->room_row));
  g_autofree char *room = g_strstrip (g_strdup (text));
  gboolean chat = gtk_switch_get_active (self->chat_switch);
  gboolean media = chat || gtk_switch_get_active (self->audio_switch);

  gtk_widget_remove_css_class (GTK_WIDGET (self->room_row), "error");
  /* Nicknames are a chat room's. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->nickname_row), chat);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "join.join", *room && media);
  show_error (self, NULL);
}

static void
on_join_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ConfabJoinDialog *self = CONFAB_JOIN_DIALOG (widget);
  ConfabApplication *app = get_application (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->room_row));
  g_autofree char *room = g_strstrip (g_strdup (text));
  g_autofree char *nickname =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->nickname_row))));
  ConfabConferenceMedia media = 0;
  g_autoptr (GError) error = NULL;

  if (!app || !*room)
    return;
  if (gtk_switch_get_active (self->audio_switch))
    media |= CONFAB_CONFERENCE_MEDIA_AUDIO;
  if (gtk_switch_get_active (self->chat_switch))
    media |= CONFAB_CONFERENCE_MEDIA_CHAT;
  if (!media)
    return;
  if (!confab_application_join_conference (app, room, media,
                                           (media & CONFAB_CONFERENCE_MEDIA_CHAT) && *nickname
                                             ? nickname
                                             : NULL,
                                           &error)) {
    if (g_error_matches (error, CONFAB_ERROR, CONFAB_ERROR_INVALID))
      gtk_widget_add_css_class (GTK_WIDGET (self->room_row), "error");
    show_error (self, error->message);
    return;
  }
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_new_room_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ConfabJoinDialog *self = CONFAB_JOIN_DIALOG (widget);
  ConfabApplication *app = get_application (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *room = app ? confab_application_new_room_uri (app, &error) : NULL;

  if (!room) {
    show_error (self, error ? error->message : NULL);
    return;
  }
  confab_join_dialog_set_room_address (self, room);
  gtk_widget_grab_focus (GTK_WIDGET (self->nickname_row));
}

static void
confab_join_dialog_class_init (ConfabJoinDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/confab/Confab/confab-join-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabJoinDialog, room_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabJoinDialog, new_room_button);
  gtk_widget_class_bind_template_child (widget_class, ConfabJoinDialog, audio_switch);
  gtk_widget_class_bind_template_child (widget_class, ConfabJoinDialog, chat_switch);
  gtk_widget_class_bind_template_child (widget_class, ConfabJoinDialog, nickname_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabJoinDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabJoinDialog, join_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_install_action (widget_class, "join.join", NULL, on_join_activated);
  gtk_widget_class_install_action (widget_class, "join.new-room", NULL, on_new_room_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
confab_join_dialog_init (ConfabJoinDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  on_changed (self);
}

/**
 * confab_join_dialog_new:
 * @parent: (nullable): the window it is for
 */
GtkWidget *
confab_join_dialog_new (GtkApplication *application,
                        GtkWindow      *parent)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (CONFAB_TYPE_JOIN_DIALOG,
                       "application", application,
                       "transient-for", parent,
                       NULL);
}

void
confab_join_dialog_set_room_address (ConfabJoinDialog *self,
                                     const char       *address)
{
  g_return_if_fail (CONFAB_IS_JOIN_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->room_row), address ? address : "");
  gtk_editable_set_position (GTK_EDITABLE (self->room_row), -1);
}

const char *
confab_join_dialog_get_room_address (ConfabJoinDialog *self)
{
  g_return_val_if_fail (CONFAB_IS_JOIN_DIALOG (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->room_row));
}

void
confab_join_dialog_set_nickname (ConfabJoinDialog *self,
                                 const char       *nickname)
{
  g_return_if_fail (CONFAB_IS_JOIN_DIALOG (self));
  gtk_editable_set_text (GTK_EDITABLE (self->nickname_row), nickname ? nickname : "");
}

void
confab_join_dialog_set_media (ConfabJoinDialog *self,
                              gboolean          audio,
                              gboolean          chat)
{
  g_return_if_fail (CONFAB_IS_JOIN_DIALOG (self));

  gtk_switch_set_active (self->audio_switch, audio);
  gtk_switch_set_active (self->chat_switch, chat);
}

/**
 * confab_join_dialog_get_error_text:
 *
 * Returns: (nullable): why the room could not be joined, as the dialog
 *   says it
 */
const char *
confab_join_dialog_get_error_text (ConfabJoinDialog *self)
{
  g_return_val_if_fail (CONFAB_IS_JOIN_DIALOG (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_label (self->error_label);
}
