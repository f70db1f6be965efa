/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes from the kernel CSPRNG (getrandom(2), else /dev/urandom) — for
 * keys and identifiers a third party must not guess; never g_random. */
gboolean _confab_random_fill (guint8 *buffer,
                              gsize   length);

G_END_DECLS
