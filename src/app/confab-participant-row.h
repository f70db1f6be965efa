/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "conference/confab-participant.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_PARTICIPANT_ROW (confab_participant_row_get_type ())
G_DECLARE_FINAL_TYPE (ConfabParticipantRow, confab_participant_row, CONFAB, PARTICIPANT_ROW,
                      AdwActionRow)

GtkWidget         *confab_participant_row_new             (ConfabParticipant    *participant);
ConfabParticipant *confab_participant_row_get_participant (ConfabParticipantRow *self);
void               confab_participant_row_set_private_messages (ConfabParticipantRow *self,
                                                                gboolean              allowed);

/* For tests: what the row shows. */
const char        *confab_participant_row_get_name        (ConfabParticipantRow *self);
gboolean           confab_participant_row_shows_media     (ConfabParticipantRow *self,
                                                           const char           *type);
gboolean           confab_participant_row_shows_on_hold   (ConfabParticipantRow *self);
GtkWidget         *confab_participant_row_get_remove_button (ConfabParticipantRow *self);
GtkWidget         *confab_participant_row_get_private_button (ConfabParticipantRow *self);

G_END_DECLS
