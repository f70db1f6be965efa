/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-account.h"

G_BEGIN_DECLS

#define CONFAB_ACCOUNT_DEFAULT_EXPIRES 600
#define CONFAB_ACCOUNT_MIN_EXPIRES     10

/* Keys of accounts.json this version does not know, kept for a round trip. */
JsonObject *_confab_account_get_extra (ConfabAccount *self);
void        _confab_account_set_extra (ConfabAccount *self,
                                       JsonObject    *extra);

/* Called by the registration machinery (confab-registration.c). */
void _confab_account_set_state           (ConfabAccount      *self,
                                          ConfabAccountState  state,
                                          const char         *reason,
                                          const GError       *failure);
void _confab_account_set_contact         (ConfabAccount      *self,
                                          const char         *contact);
void _confab_account_set_granted_expires (ConfabAccount      *self,
                                          guint               expires);
/* The local account falls back to another port when its own is taken. */
void _confab_account_set_bound_port      (ConfabAccount      *self,
                                          guint               port);
guint _confab_account_get_bound_port     (ConfabAccount      *self);

/* Shared by REGISTER and call requests (confab-sip-auth.c). */
typedef struct sip_s sip_t;
char *_confab_account_build_credentials (ConfabAccount *self,
                                         const sip_t   *sip);
/* The account's user agent while online, else NULL. */
struct nua_s *_confab_account_get_nua (ConfabAccount *self);

G_END_DECLS
