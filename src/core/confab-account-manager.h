/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-account.h"
#include "confab-engine.h"
#include "confab-secret-store.h"

G_BEGIN_DECLS

#define CONFAB_TYPE_ACCOUNT_MANAGER (confab_account_manager_get_type ())
G_DECLARE_FINAL_TYPE (ConfabAccountManager, confab_account_manager, CONFAB, ACCOUNT_MANAGER,
                      GObject)

ConfabAccountManager *confab_account_manager_new          (ConfabEngine         *engine,
                                                           ConfabSecretStore    *secrets,
                                                           const char           *config_path);
char                 *confab_account_manager_default_config_path (void);
const char           *confab_account_manager_get_config_path (ConfabAccountManager *self);
gboolean              confab_account_manager_load         (ConfabAccountManager *self,
                                                           GError              **error);
gboolean              confab_account_manager_load_from_data (ConfabAccountManager *self,
                                                             const char           *data,
                                                             gsize                 length,
                                                             GError              **error);
gboolean              confab_account_manager_save         (ConfabAccountManager *self,
                                                           GError              **error);
gboolean              confab_account_manager_load_passwords (ConfabAccountManager *self,
                                                             GError              **error);
gboolean              confab_account_manager_add          (ConfabAccountManager *self,
                                                           ConfabAccount        *account,
                                                           GError              **error);
gboolean              confab_account_manager_remove       (ConfabAccountManager *self,
                                                           ConfabAccount        *account,
                                                           GError              **error);
ConfabAccount        *confab_account_manager_find         (ConfabAccountManager *self,
                                                           const char           *id_or_address);
ConfabAccount        *confab_account_manager_get_local_account (ConfabAccountManager *self);
void                  confab_account_manager_set_local_account (ConfabAccountManager *self,
                                                                ConfabAccount        *account);
ConfabEngine         *confab_account_manager_get_engine   (ConfabAccountManager *self);
void                  confab_account_manager_set_online   (ConfabAccountManager *self,
                                                           gboolean              online);
gboolean              confab_account_manager_get_online   (ConfabAccountManager *self);

G_END_DECLS
