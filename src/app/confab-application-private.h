/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-application.h"

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
};

void _confab_application_startup_calls  (ConfabApplication *self);
void _confab_application_shutdown_calls (ConfabApplication *self);
void _confab_application_startup_audio  (ConfabApplication *self,
                                         gboolean           headless);
void _confab_application_shutdown_audio (ConfabApplication *self);

G_END_DECLS
