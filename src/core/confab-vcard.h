/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The longest contact card read; a photo inside can make one large. */
#define CONFAB_VCARD_MAX_LENGTH (1024 * 1024)

gboolean  confab_vcard_looks_like       (const char *text,
                                         gssize      length);
char     *confab_vcard_find_sip_address (const char *text,
                                         gssize      length,
                                         char      **display_name);

G_END_DECLS
