/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-error.h"

#include <glib.h>

G_BEGIN_DECLS

/* The Authorization header value answering a relay's Digest challenge to an
 * MSRP AUTH request (RFC 4976 §5.1, RFC 2617/7616); errors are
 * CONFAB_MSRP_ERROR_INVALID. */
char *confab_msrp_auth_build_authorization (const char  *www_authenticate,
                                            const char  *uri,
                                            const char  *username,
                                            const char  *password,
                                            GError     **error);

G_END_DECLS
