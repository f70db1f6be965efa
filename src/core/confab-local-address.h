/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean confab_local_address_port_is_free (const char *bind_address,
                                            guint       port);
guint  confab_local_address_find_free_port (const char *bind_address);
char  *confab_local_address_pick           (const char *bind_address);

G_END_DECLS
