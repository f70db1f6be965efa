/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-participants-pane-private.h"
#include "confab-application.h"
#include "transfer/confab-file-selector.h"
#include "confab-uri.h"

#include <glib/gi18n.h>

#include <string.h>

/* The participants pane's room files: one row per file the room keeps
 * (name, size, who put it there), whose button fetches it (a pull by
 * its hash). */

static ConfabSessionManager *
get_session_manager (ConfabParticipantsPane *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root))
                                             : NULL;

  return CONFAB_IS_APPLICATION (app)
           ? confab_application_get_session_manager (CONFAB_APPLICATION (app))
           : NULL;
}

/* "carol <sip:carol@example.org>" as "carol"; "<sip:carol@x>" as "carol@x". */
static char *
dup_sender_name (const char *sender)
{
  g_autofree char *display = NULL;
  g_autofree char *uri = NULL;
  const char *angle;

  if (!sender || !*sender)
    return NULL;
  angle = strchr (sender, '<');
  if (!angle)
    return g_strdup (confab_uri_skip_scheme (sender));
  display = g_strstrip (g_strndup (sender, (gsize) (angle - sender)));
  if (display[0] == '"' && strlen (display) >= 2 && g_str_has_suffix (display, "\"")) {
    memmove (display, display + 1, strlen (display));
    display[strlen (display) - 1] = '\0';
  }
  if (*display)
    return g_steal_pointer (&display);
  uri = g_strdup (angle + 1);
  g_strdelimit (uri, ">", '\0');
  return g_strdup (confab_uri_skip_scheme (uri));
}

static void
update_file_row (ConfabRoomFile *file,
                 GParamSpec     *pspec,
                 AdwActionRow   *row)
{
  g_autofree char *size = g_format_size (confab_room_file_get_size (file));
  g_autofree char *sender = dup_sender_name (confab_room_file_get_sender (file));
  g_autofree char *subtitle = NULL;

  if (sender)
    /* Translators: a room file's size, then who put it there, like
     * "68 bytes · carol" */
    subtitle = g_strdup_printf (_("%s · from %s"), size, sender);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), confab_room_file_get_name (file));
  adw_action_row_set_subtitle (row, subtitle ? subtitle : size);
}

static void
on_fetch_clicked (GtkButton              *button,
                  ConfabParticipantsPane *self)
{
  ConfabRoomFile *file = g_object_get_data (G_OBJECT (button), "room-file");
  ConfabSessionManager *manager = get_session_manager (self);
  ConfabFileSelector wanted = { 0 };
  const char *hash = confab_room_file_get_hash (file);
  g_autofree char *upper = NULL;
  g_autoptr (GError) error = NULL;

  if (!manager || !self->session || !self->conference) {
    _confab_participants_pane_add_toast (
      self, _("Confab’s SIP engine is not running. Restart Confab to fetch files."));
    return;
  }
  /* The room writes "sha-1:14:F9:…"; a file-selector has the bytes only. */
  if (hash && g_ascii_strncasecmp (hash, "sha-1:", 6) == 0)
    hash += 6;
  else if (hash && g_ascii_strncasecmp (hash, "sha1:", 5) == 0)
    hash += 5;
  upper = hash && *hash ? g_ascii_strup (hash, -1) : NULL;
  wanted.name = (char *) confab_room_file_get_name (file);
  wanted.hash = upper;
  wanted.has_size = TRUE;
  wanted.size = confab_room_file_get_size (file);
  if (!confab_session_manager_fetch_file (manager, confab_session_get_account (self->session),
                                          confab_conference_get_uri (self->conference), &wanted,
                                          &error)) {
    /* Translators: a file name, then why it cannot be fetched */
    g_autofree char *message = g_strdup_printf (_("“%s” cannot be fetched: %s"),
                                                confab_room_file_get_name (file), error->message);

    _confab_participants_pane_add_toast (self, message);
  }
}

GtkWidget *
_confab_participants_pane_create_file_row (gpointer item,
                                           gpointer user_data)
{
  ConfabParticipantsPane *self = user_data;
  ConfabRoomFile *file = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("folder-download-symbolic");
  g_autofree char *label = g_strdup_printf (_("Fetch “%s”"), confab_room_file_get_name (file));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Fetch"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "room-file", g_object_ref (file), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_fetch_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("text-x-generic-symbolic"));
  g_signal_connect_object (file, "notify", G_CALLBACK (update_file_row), row, 0);
  update_file_row (file, NULL, ADW_ACTION_ROW (row));
  return row;
}

void
_confab_participants_pane_on_files_changed (GListModel             *files,
                                            guint                   position,
                                            guint                   removed,
                                            guint                   added,
                                            ConfabParticipantsPane *self)
{
  gtk_widget_set_visible (self->files_box, g_list_model_get_n_items (files) > 0);
}
