/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-participants-pane.h"

G_BEGIN_DECLS

/* Shared by confab-participants-pane.c (the participants, invitations,
 * removals, private messages), confab-participants-pane-files.c (the
 * room's files) and confab-participants-pane-drop.c (what is dropped). */
struct _ConfabParticipantsPane
{
  GtkWidget         parent_instance;

  ConfabSession    *session;
  ConfabConference *conference;
  GtkWindow        *remove_dialog;   /* weak */
  gboolean          private_messages; /* the room's chat takes them */

  GtkWidget        *scrolled_window;
  GtkEntry         *invite_entry;
  GtkWidget        *invite_button;
  GtkLabel         *refer_label;
  GtkLabel         *state_label;
  GtkListBox       *participant_list;
  GtkWidget        *files_box;
  GtkListBox       *file_list;
};

void       _confab_participants_pane_add_toast        (ConfabParticipantsPane *self,
                                                       const char             *message);
gboolean   _confab_participants_pane_in_room          (ConfabParticipantsPane *self);
void       _confab_participants_pane_show_refer_text  (ConfabParticipantsPane *self,
                                                       const char             *text,
                                                       const char             *style);

/* confab-participants-pane-drop.c */
void       _confab_participants_pane_add_drop_target  (ConfabParticipantsPane *self);

/* confab-participants-pane-files.c */
GtkWidget *_confab_participants_pane_create_file_row  (gpointer                item,
                                                       gpointer                user_data);
void       _confab_participants_pane_on_files_changed (GListModel             *files,
                                                       guint                   position,
                                                       guint                   removed,
                                                       guint                   added,
                                                       ConfabParticipantsPane *self);

G_END_DECLS
