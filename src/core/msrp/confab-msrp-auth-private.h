/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-auth.h"

G_BEGIN_DECLS

/* confab_msrp_auth_build_authorization() with the method and the client
 * nonce given (%NULL: a random one), for known-answer tests. */
char *_confab_msrp_auth_build_authorization_full (const char  *www_authenticate,
                                                  const char  *method,
                                                  const char  *uri,
                                                  const char  *username,
                                                  const char  *password,
                                                  const char  *cnonce,
                                                  GError     **error);

G_END_DECLS
