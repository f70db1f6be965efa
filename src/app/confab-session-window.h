/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab-session.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_SESSION_WINDOW (confab_session_window_get_type ())
G_DECLARE_FINAL_TYPE (ConfabSessionWindow, confab_session_window, CONFAB, SESSION_WINDOW, AdwWindow)

ConfabSessionWindow *confab_session_window_new              (GtkApplication      *application,
                                                             ConfabSession       *session);
ConfabSession       *confab_session_window_get_session      (ConfabSessionWindow *self);
void                 confab_session_window_set_session      (ConfabSessionWindow *self,
                                                             ConfabSession       *session);
const char          *confab_session_window_get_status_text  (ConfabSessionWindow *self);
const char          *confab_session_window_get_quality_text (ConfabSessionWindow *self);
GtkWidget           *confab_session_window_get_answer_button  (ConfabSessionWindow *self);
GtkWidget           *confab_session_window_get_decline_button (ConfabSessionWindow *self);
GtkStack            *confab_session_window_get_content      (ConfabSessionWindow *self);
const char          *confab_session_window_get_recording_path (ConfabSessionWindow *self);
GtkWidget           *confab_session_window_get_recording_indicator (ConfabSessionWindow *self);
void                 confab_session_window_show_chat        (ConfabSessionWindow *self);
GtkWidget           *confab_session_window_get_chat_pane    (ConfabSessionWindow *self);
GtkListBox          *confab_session_window_get_transfer_list (ConfabSessionWindow *self);
void                 confab_session_window_send_files       (ConfabSessionWindow *self,
                                                             GSList              *files);
/* Conference rooms (confab-session-window-conference.c). */
void                 confab_session_window_set_nickname     (ConfabSessionWindow *self,
                                                             const char          *nickname);
const char          *confab_session_window_get_nickname_error (ConfabSessionWindow *self);
GtkWidget           *confab_session_window_get_participants_pane (ConfabSessionWindow *self);
gboolean             confab_session_window_get_participants_shown (ConfabSessionWindow *self);

G_END_DECLS
