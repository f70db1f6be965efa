/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-application.h"
#include "im/confab-pager.h"

G_BEGIN_DECLS

/* Shared by confab-application.c (startup, accounts, windows),
 * confab-application-calls.c (sessions, their windows, notifications) and
 * confab-application-audio.c (call settings, ringtone). */
struct _ConfabApplication
{
  AdwApplication        parent_instance;

  ConfabSecretStore    *secrets;
  char                 *config_path;

  GSettings            *settings;
  ConfabEngine         *engine;
  ConfabAccountManager *manager;
  ConfabAccount        *local_account;
  ConfabSessionManager *sessions;
  ConfabRingtone       *ringtone;
  GError               *load_error;
  GError               *engine_error;
  gboolean              errors_shown;
  guint                 local_settings_id;

  GtkWindow            *preferences;     /* weak */
  ConfabHistory        *history;         /* opened with the first chat */
  ConfabPager          *pager;           /* SIP MESSAGE (page mode) */

  /* confab-application-files.c */
  GListStore           *transfers;       /* ConfabFileTransferStream of this run, newest first */
  GHashTable           *file_offers;     /* session id → its AdwMessageDialog */
  GtkWindow            *transfers_window; /* weak */

  /* confab-application-conference.c */
  GtkWindow            *join_dialog;     /* weak */
};

void _confab_application_startup_calls  (ConfabApplication *self);
void _confab_application_shutdown_calls (ConfabApplication *self);
void _confab_application_startup_audio  (ConfabApplication *self,
                                         gboolean           headless);
void _confab_application_shutdown_audio (ConfabApplication *self);
ConfabSession *_confab_application_find_live_session (ConfabApplication *self,
                                                      const char        *target);

/* confab-application-chat.c: chat sessions, history, notifications. */
void     _confab_application_startup_chat      (ConfabApplication *self);
void     _confab_application_shutdown_chat     (ConfabApplication *self);
gboolean _confab_application_is_chat_only      (ConfabSession     *session);
gboolean _confab_application_accept_chat       (ConfabApplication *self,
                                                ConfabSession     *session);

/* confab-application-files.c: file offers, the download folder, the
 * transfers of this run. */
void     _confab_application_startup_files     (ConfabApplication *self);
void     _confab_application_shutdown_files    (ConfabApplication *self);
gboolean _confab_application_offer_file        (ConfabApplication *self,
                                                ConfabSession     *session);
ConfabSession *_confab_application_get_transfer_session (ConfabFileTransferStream *stream);

/* confab-application-conference.c: joining rooms, invitations. */
void     _confab_application_startup_conference (ConfabApplication *self);

G_END_DECLS
