/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "im/confab-chat-message.h"

G_BEGIN_DECLS

/* One line of the conversation list: who, the last message, how many are
 * unread. A snapshot: ask the history again after "conversation-changed". */
#define CONFAB_TYPE_HISTORY_CONVERSATION (confab_history_conversation_get_type ())
G_DECLARE_FINAL_TYPE (ConfabHistoryConversation, confab_history_conversation,
                      CONFAB, HISTORY_CONVERSATION, GObject)

ConfabHistoryConversation *confab_history_conversation_new (const char          *uri,
                                                            GDateTime           *last_timestamp,
                                                            ConfabChatDirection  last_direction,
                                                            const char          *last_content_type,
                                                            const char          *last_text,
                                                            guint                unread_count);
/* The peer's address, as confab_chat_message_get_conversation(). */
const char *confab_history_conversation_get_uri (ConfabHistoryConversation *self);
GDateTime *confab_history_conversation_get_last_timestamp (ConfabHistoryConversation *self);
ConfabChatDirection
confab_history_conversation_get_last_direction (ConfabHistoryConversation *self);
const char *confab_history_conversation_get_last_content_type (ConfabHistoryConversation *self);
/* NULL when the last message is not text (an image, a file). */
const char *confab_history_conversation_get_last_text (ConfabHistoryConversation *self);
guint confab_history_conversation_get_unread_count (ConfabHistoryConversation *self);

G_END_DECLS
