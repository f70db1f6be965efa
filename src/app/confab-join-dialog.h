/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CONFAB_TYPE_JOIN_DIALOG (confab_join_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ConfabJoinDialog, confab_join_dialog, CONFAB, JOIN_DIALOG, AdwWindow)

GtkWidget  *confab_join_dialog_new              (GtkApplication   *application,
                                                 GtkWindow        *parent);
void        confab_join_dialog_set_room_address (ConfabJoinDialog *self,
                                                 const char       *address);
const char *confab_join_dialog_get_room_address (ConfabJoinDialog *self);
void        confab_join_dialog_set_nickname     (ConfabJoinDialog *self,
                                                 const char       *nickname);
void        confab_join_dialog_set_media        (ConfabJoinDialog *self,
                                                 gboolean          audio,
                                                 gboolean          chat);
/* For tests: the line saying why joining failed, %NULL when hidden. */
const char *confab_join_dialog_get_error_text   (ConfabJoinDialog *self);

G_END_DECLS
