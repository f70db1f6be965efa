/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-account.h"
#include "confab-engine.h"

G_BEGIN_DECLS

/* Internal: the live side of an account (its nua and REGISTER handle). */
#define CONFAB_TYPE_REGISTRATION (confab_registration_get_type ())
G_DECLARE_FINAL_TYPE (ConfabRegistration, confab_registration, CONFAB, REGISTRATION, GObject)

ConfabRegistration *_confab_registration_new       (ConfabAccount      *account,
                                                    ConfabEngine       *engine);
gboolean            _confab_registration_start     (ConfabRegistration *self,
                                                    GError            **error);
void                _confab_registration_stop      (ConfabRegistration *self);
gboolean            _confab_registration_is_active (ConfabRegistration *self);
struct nua_s       *_confab_registration_get_nua   (ConfabRegistration *self);

/* Exposed for tests: the reason shown for a SIP failure response. */
char               *_confab_registration_describe_failure (int          status,
                                                           const char  *phrase,
                                                           gboolean     local,
                                                           GError     **kind);

G_END_DECLS
