/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab-session.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_PARTICIPANTS_PANE (confab_participants_pane_get_type ())
G_DECLARE_FINAL_TYPE (ConfabParticipantsPane, confab_participants_pane, CONFAB, PARTICIPANTS_PANE,
                      GtkWidget)

GtkWidget        *confab_participants_pane_new              (void);
void              confab_participants_pane_set_session      (ConfabParticipantsPane *self,
                                                             ConfabSession          *session);
ConfabConference *confab_participants_pane_get_conference   (ConfabParticipantsPane *self);
/* What the Invite button and dropping an address do. */
void              confab_participants_pane_invite           (ConfabParticipantsPane *self,
                                                             const char             *address);
/* Whether rows offer private messages; a row's button then emits
 * "message-privately" (const char *entity, const char *name). */
void              confab_participants_pane_set_private_messages (ConfabParticipantsPane *self,
                                                                 gboolean                allowed);
/* What a row's Remove button does: asks first. */
void              confab_participants_pane_confirm_remove   (ConfabParticipantsPane *self,
                                                             const char             *entity);

/* For tests: what the pane shows. */
GtkListBox       *confab_participants_pane_get_participant_list (ConfabParticipantsPane *self);
GtkListBox       *confab_participants_pane_get_file_list    (ConfabParticipantsPane *self);
GtkEditable      *confab_participants_pane_get_invite_entry (ConfabParticipantsPane *self);
const char       *confab_participants_pane_get_refer_text   (ConfabParticipantsPane *self);
GtkWindow        *confab_participants_pane_get_remove_dialog (ConfabParticipantsPane *self);

G_END_DECLS
