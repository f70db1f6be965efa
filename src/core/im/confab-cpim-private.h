/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-cpim.h"

G_BEGIN_DECLS

/* Shared by the CPIM reader, printer and addresses; not public API. */

gboolean _confab_cpim_is_token_char  (char                     c);
gboolean _confab_cpim_is_token       (const char              *text,
                                      gsize                    length);
gboolean _confab_cpim_is_printable   (const char              *text);
gboolean _confab_cpim_is_uri_text    (const char              *text);
gboolean _confab_cpim_append_address (GString                 *out,
                                      const ConfabCpimAddress *address,
                                      GError                 **error);

G_END_DECLS
