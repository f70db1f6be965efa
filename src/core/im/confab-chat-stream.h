/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "msrp/confab-msrp-stream.h"
#include "im/confab-chat-message.h"
#include "msrp/confab-msrp-endpoint.h"

G_BEGIN_DECLS

/* The chat m-line (m=message … TCP/TLS/MSRP *): CPIM-wrapped text, HTML
 * and images over an MSRP session, is-composing both ways, and delivery
 * state from MSRP REPORTs. Its messages are a GListModel of
 * ConfabChatMessage (this session's, in order). */
#define CONFAB_TYPE_CHAT_STREAM (confab_chat_stream_get_type ())
G_DECLARE_FINAL_TYPE (ConfabChatStream, confab_chat_stream, CONFAB, CHAT_STREAM, ConfabMsrpStream)

#define CONFAB_CHAT_MAX_IMAGE_SIZE (4 * 1024 * 1024) /* bytes of an inline image */

ConfabChatStream  *confab_chat_stream_new                 (ConfabMsrpEndpoint *endpoint,
                                                           gboolean            tls);
/* Our identity in CPIM From (the INVITE's From URI) and the peer's. */
void               confab_chat_stream_set_identities      (ConfabChatStream   *self,
                                                           const char         *local_uri,
                                                           const char         *local_display,
                                                           const char         *remote_uri,
                                                           const char         *remote_display);
GListModel        *confab_chat_stream_get_messages        (ConfabChatStream   *self);
ConfabChatMessage *confab_chat_stream_send_text           (ConfabChatStream   *self,
                                                           const char         *text,
                                                           GError            **error);
ConfabChatMessage *confab_chat_stream_send_message        (ConfabChatStream   *self,
                                                           const char         *content_type,
                                                           GBytes             *body,
                                                           GError            **error);
/* Typing in the entry: "active" on the first keystroke, "idle" after
 * 10 s without one or when @composing goes FALSE. */
void               confab_chat_stream_set_composing       (ConfabChatStream   *self,
                                                           gboolean            composing);
gboolean           confab_chat_stream_get_remote_composing (ConfabChatStream  *self);

/* Signals: "message-received" (ConfabChatMessage *): a new incoming message
 * (already in the model); notify::remote-composing; notify::connected (ConfabMsrpStream). */

G_END_DECLS
