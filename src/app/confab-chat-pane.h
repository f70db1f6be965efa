/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "conference/confab-conference.h"
#include "im/confab-chat-stream.h"
#include "im/confab-history.h"

G_BEGIN_DECLS

#define CONFAB_CHAT_PANE_PAGE_SIZE 50 /* messages loaded from the history at a time */

#define CONFAB_TYPE_CHAT_PANE (confab_chat_pane_get_type ())
G_DECLARE_FINAL_TYPE (ConfabChatPane, confab_chat_pane, CONFAB, CHAT_PANE, GtkWidget)

GtkWidget        *confab_chat_pane_new              (void);
void              confab_chat_pane_set_stream       (ConfabChatPane   *self,
                                                     ConfabChatStream *stream,
                                                     const char       *conversation);
ConfabChatStream *confab_chat_pane_get_stream       (ConfabChatPane   *self);
void              confab_chat_pane_add_status       (ConfabChatPane   *self,
                                                     const char       *text);
void              confab_chat_pane_set_history      (ConfabChatPane   *self,
                                                     ConfabHistory    *history);
void              confab_chat_pane_set_peer_name    (ConfabChatPane   *self,
                                                     const char       *name);
void              confab_chat_pane_set_session_ended (ConfabChatPane  *self,
                                                      gboolean         ended);
guint             confab_chat_pane_get_unread_count (ConfabChatPane   *self);
void              confab_chat_pane_mark_read        (ConfabChatPane   *self);
void              confab_chat_pane_focus_entry      (ConfabChatPane   *self);
/* Chat rooms: the composer writes to @uri alone (NULL: everyone). */
void              confab_chat_pane_write_privately  (ConfabChatPane   *self,
                                                     const char       *uri,
                                                     const char       *name);
const char       *confab_chat_pane_get_private_recipient (ConfabChatPane *self);
void              confab_chat_pane_set_room         (ConfabChatPane   *self,
                                                     ConfabConference *room);

/* For tests: what the list shows and the composer. */
GListModel       *confab_chat_pane_get_messages     (ConfabChatPane   *self);
GtkListView      *confab_chat_pane_get_list_view    (ConfabChatPane   *self);
GtkTextView      *confab_chat_pane_get_text_view    (ConfabChatPane   *self);
const char       *confab_chat_pane_get_typing_text  (ConfabChatPane   *self);
const char       *confab_chat_pane_get_hint_text    (ConfabChatPane   *self);
gboolean          confab_chat_pane_is_at_bottom     (ConfabChatPane   *self);
const char       *confab_chat_pane_get_private_text (ConfabChatPane   *self);

G_END_DECLS
