/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "confab.h"
#include "confab-main-window.h"
#include "confab-session-manager.h"
#include "confab-session-window.h"
#include "im/confab-history.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_APPLICATION (confab_application_get_type ())
G_DECLARE_FINAL_TYPE (ConfabApplication, confab_application, CONFAB, APPLICATION, AdwApplication)

ConfabApplication    *confab_application_new                 (void);
ConfabApplication    *confab_application_new_for_testing     (ConfabSecretStore *secrets,
                                                              const char        *config_path);
gboolean              confab_application_check_settings_schema (GError         **error);

ConfabAccountManager *confab_application_get_account_manager (ConfabApplication *self);
ConfabEngine         *confab_application_get_engine          (ConfabApplication *self);
GSettings            *confab_application_get_settings        (ConfabApplication *self);
const GError         *confab_application_get_load_error      (ConfabApplication *self);
ConfabMainWindow     *confab_application_get_main_window     (ConfabApplication *self);
GtkWindow            *confab_application_get_preferences_window (ConfabApplication *self);
GtkWindow            *confab_application_show_preferences    (ConfabApplication *self);

ConfabSessionManager *confab_application_get_session_manager (ConfabApplication *self);
ConfabAccount        *confab_application_pick_account        (ConfabApplication *self,
                                                              const char        *address);
ConfabSession        *confab_application_call                (ConfabApplication *self,
                                                              const char        *address,
                                                              GError           **error);
ConfabSessionWindow  *confab_application_get_session_window  (ConfabApplication *self,
                                                              ConfabSession     *session);
ConfabSessionWindow  *confab_application_present_session     (ConfabApplication *self,
                                                              ConfabSession     *session);
gboolean              confab_application_is_ringing          (ConfabApplication *self);
ConfabSession        *confab_application_chat                (ConfabApplication *self,
                                                              const char        *address,
                                                              GError           **error);
ConfabHistory        *confab_application_get_history         (ConfabApplication *self);
ConfabSession        *confab_application_send_file           (ConfabApplication *self,
                                                              const char        *address,
                                                              GFile             *file,
                                                              GError           **error);
GListModel           *confab_application_get_transfers       (ConfabApplication *self);
GtkWindow            *confab_application_show_transfers      (ConfabApplication *self);
GtkWindow            *confab_application_get_file_offer_dialog (ConfabApplication *self,
                                                              ConfabSession     *session);
/* Conference rooms (confab-application-conference.c). */
ConfabSession        *confab_application_join_conference     (ConfabApplication     *self,
                                                              const char            *room,
                                                              ConfabConferenceMedia  media,
                                                              const char            *nickname,
                                                              GError               **error);
char                 *confab_application_new_room_uri        (ConfabApplication *self,
                                                              GError           **error);
GtkWindow            *confab_application_show_join_dialog    (ConfabApplication *self);
GtkWindow            *confab_application_get_join_dialog     (ConfabApplication *self);
char                 *confab_application_dup_invitation_text (ConfabSession     *session);

G_END_DECLS
