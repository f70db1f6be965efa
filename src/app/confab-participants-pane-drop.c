/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-participants-pane-private.h"
#include "confab-uri.h"
#include "confab-vcard.h"

#include <glib/gi18n.h>

/* What is dropped on the participants pane is someone to invite: an
 * address (sip:…, user@host, "Name <sip:…>", a URI list's first), a
 * contact card as text (what contacts apps drag), or a contact card file
 * (.vcf) from the file manager. Anything else is refused, saying why
 * under the Invite box. */

#define DROP_QUOTE_LENGTH 40 /* characters of a refused drop echoed back */

/* The address in one line of dropped text: a URI or user@host, or the
 * <…> of "Frank <sip:frank@example.org>", as mail and contacts apps
 * write people. */
static char *
dup_dropped_address (const char *line)
{
  const char *open = strrchr (line, '<');
  const char *close = open ? strchr (open, '>') : NULL;
  g_autofree char *inner = NULL;

  if (!open || !close)
    return confab_uri_normalize (line, NULL);
  inner = g_strndup (open + 1, close - open - 1);
  return confab_uri_normalize (inner, NULL);
}

static void
refuse (ConfabParticipantsPane *self,
        const char             *message)
{
  _confab_participants_pane_show_refer_text (self, message, "error");
}

/* Says why nothing happened, quoting (the start of) what was dropped. */
static void
refuse_text (ConfabParticipantsPane *self,
             const char             *line)
{
  g_autofree char *quote = NULL;
  g_autofree char *message = NULL;

  if (!line || !*line) {
    refuse (self, _("The dropped text holds no address. Drop an address like "
                    "sip:alice@example.org to invite someone."));
    return;
  }
  if (g_utf8_strlen (line, -1) > DROP_QUOTE_LENGTH) {
    g_autofree char *start = g_utf8_substring (line, 0, DROP_QUOTE_LENGTH - 1);

    quote = g_strconcat (start, "…", NULL);
  } else {
    quote = g_strdup (line);
  }
  /* Translators: %s is the text dropped on the participants pane */
  message = g_strdup_printf (_("“%s” is not a SIP address. Drop an address like "
                               "sip:alice@example.org to invite someone."),
                             quote);
  refuse (self, message);
}

/* A contact card: its SIP address is invited. */
static gboolean
invite_card (ConfabParticipantsPane *self,
             const char             *card,
             gssize                  length)
{
  g_autofree char *name = NULL;
  g_autofree char *uri = confab_vcard_find_sip_address (card, length, &name);

  if (!uri) {
    refuse (self, _("The contact card has no SIP address to invite."));
    return FALSE;
  }
  g_debug ("Inviting %s from the contact card of %s", uri, name ? name : "someone");
  confab_participants_pane_invite (self, uri);
  return TRUE;
}

static gboolean
drop_text (ConfabParticipantsPane *self,
           const char             *text)
{
  g_auto (GStrv) lines = NULL;

  if (confab_vcard_looks_like (text, -1))
    return invite_card (self, text, -1);

  /* Plain text or the lines of a text/uri-list: the first line that is
   * not a comment counts; guessing at later ones could invite the wrong
   * person. */
  lines = g_strsplit (text, "\n", 0);
  for (guint i = 0; lines[i]; i++) {
    g_autofree char *uri = NULL;

    g_strstrip (lines[i]);
    if (!*lines[i] || lines[i][0] == '#')
      continue;
    uri = dup_dropped_address (lines[i]);
    if (!uri) {
      refuse_text (self, lines[i]);
      return FALSE;
    }
    confab_participants_pane_invite (self, uri);
    return TRUE;
  }
  refuse_text (self, NULL);
  return FALSE;
}

/* Reading a dropped .vcf: at most CONFAB_VCARD_MAX_LENGTH and a byte, so
 * that a larger one is refused, not read whole. */
typedef struct
{
  ConfabParticipantsPane *pane;
  char                   *name;
  char                   *buffer;
} CardRead;

static void
card_read_free (CardRead *read)
{
  g_object_unref (read->pane);
  g_free (read->name);
  g_free (read->buffer);
  g_free (read);
}

static void
refuse_card_file (CardRead     *read,
                  const GError *error)
{
  /* Translators: a file name, then why it could not be read */
  g_autofree char *message = g_strdup_printf (_("Could not read the contact card “%s”: %s"),
                                              read->name, error->message);

  refuse (read->pane, message);
}

static void
on_card_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  CardRead *read = user_data;
  g_autoptr (GError) error = NULL;
  gsize length = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &length, &error)) {
    refuse_card_file (read, error);
  } else if (!_confab_participants_pane_in_room (read->pane)) {
    /* Left the room meanwhile: nothing to invite to. */
  } else if (length > CONFAB_VCARD_MAX_LENGTH || !confab_vcard_looks_like (read->buffer, length)) {
    /* Translators: a file name */
    g_autofree char *message = g_strdup_printf (_("“%s” is not a contact card."), read->name);

    refuse (read->pane, message);
  } else {
    invite_card (read->pane, read->buffer, length);
  }
  g_input_stream_close (G_INPUT_STREAM (source), NULL, NULL);
  card_read_free (read);
}

static void
on_card_opened (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CardRead *read = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInputStream) stream = g_file_read_finish (G_FILE (source), result, &error);

  if (!stream) {
    refuse_card_file (read, error);
    card_read_free (read);
    return;
  }
  read->buffer = g_malloc (CONFAB_VCARD_MAX_LENGTH + 1);
  g_input_stream_read_all_async (G_INPUT_STREAM (stream), read->buffer,
                                 CONFAB_VCARD_MAX_LENGTH + 1, G_PRIORITY_DEFAULT, NULL,
                                 on_card_read, read);
}

static gboolean
is_card_name (const char *name)
{
  g_autofree char *folded = g_ascii_strdown (name, -1);

  return g_str_has_suffix (folded, ".vcf") || g_str_has_suffix (folded, ".vcard");
}

/* Files from the file manager: the first one counts, and only a contact
 * card invites anyone. */
static gboolean
drop_files (ConfabParticipantsPane *self,
            GdkFileList            *list)
{
  g_autoptr (GSList) files = gdk_file_list_get_files (list);
  GFile *file = files ? files->data : NULL;
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;
  CardRead *read;

  if (!file || !name || !is_card_name (name)) {
    refuse (self, _("Only addresses and contact cards (.vcf) can be dropped here to invite "
                    "someone."));
    return FALSE;
  }
  read = g_new0 (CardRead, 1);
  read->pane = g_object_ref (self);
  read->name = g_steal_pointer (&name);
  g_file_read_async (file, G_PRIORITY_DEFAULT, NULL, on_card_opened, read);
  return TRUE;
}

static gboolean
on_drop (GtkDropTarget          *target,
         const GValue           *value,
         double                  x,
         double                  y,
         ConfabParticipantsPane *self)
{
  if (!_confab_participants_pane_in_room (self))
    return FALSE;
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return drop_files (self, g_value_get_boxed (value));
  if (G_VALUE_HOLDS_STRING (value))
    return drop_text (self, g_value_get_string (value) ? g_value_get_string (value) : "");
  return FALSE;
}

/* Files first: a file manager offers a dragged file as text too (its
 * path), which would be refused as no address. */
void
_confab_participants_pane_add_drop_target (ConfabParticipantsPane *self)
{
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_STRING };
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  gtk_event_controller_set_name (GTK_EVENT_CONTROLLER (target), "confab-participants-drop");
  g_signal_connect_object (target, "drop", G_CALLBACK (on_drop), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
