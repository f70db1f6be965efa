/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How chat text is shown: escaped Pango markup with links, plain text out
 * of HTML bodies, and the day a message belongs to. Pure functions, so
 * that they can be tested without a display. */

char     *confab_chat_text_to_markup  (const char *text);
char     *confab_chat_text_from_html  (const char *html);
char     *confab_chat_text_format_day (GDateTime  *timestamp,
                                       GDateTime  *now);
gboolean  confab_chat_text_same_day   (GDateTime  *a,
                                       GDateTime  *b);

G_END_DECLS
