/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "im/confab-chat-message.h"

G_BEGIN_DECLS

#define CONFAB_CHAT_ROW_IMAGE_WIDTH 280 /* pixels, at most, of an inline image */

#define CONFAB_TYPE_CHAT_ROW (confab_chat_row_get_type ())
G_DECLARE_FINAL_TYPE (ConfabChatRow, confab_chat_row, CONFAB, CHAT_ROW, GtkWidget)

GtkWidget         *confab_chat_row_new            (void);
void               confab_chat_row_set_recipient_name (ConfabChatRow *self,
                                                       const char    *name);
void               confab_chat_row_bind           (ConfabChatRow     *self,
                                                   ConfabChatMessage *message,
                                                   gboolean           show_day);
void               confab_chat_row_unbind         (ConfabChatRow     *self);
ConfabChatMessage *confab_chat_row_get_message    (ConfabChatRow     *self);
const char        *confab_chat_row_get_text       (ConfabChatRow     *self);
const char        *confab_chat_row_get_sender     (ConfabChatRow     *self);
const char        *confab_chat_row_get_day        (ConfabChatRow     *self);
const char        *confab_chat_row_get_state_text (ConfabChatRow     *self);
gboolean           confab_chat_row_shows_image    (ConfabChatRow     *self);
const char        *confab_chat_row_get_private_text (ConfabChatRow   *self);

G_END_DECLS
