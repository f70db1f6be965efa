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

/* Chat rooms (RFC 7701, a conference focus's chat; see INTEROP.md).
 * The features the room advertises in a=chatroom ("nickname",
 * "private-messages", …); NULL when the peer is not a chat room. */
const char * const *confab_chat_stream_get_chatroom_features (ConfabChatStream *self);
gboolean           confab_chat_stream_has_chatroom_feature (ConfabChatStream   *self,
                                                           const char         *feature);
/* MSRP NICKNAME with Use-Nickname (no report headers). Fails with
 * CONFAB_ERROR_REJECTED and "The nickname … is taken" for 425, another
 * sentence for other refusals, CONFAB_ERROR_INVALID when the room does
 * not do nicknames or the name is empty/too long (> 64 bytes) or has
 * control characters. The accepted name is the "nickname" property. */
void               confab_chat_stream_set_nickname_async  (ConfabChatStream   *self,
                                                           const char         *nickname,
                                                           GCancellable       *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer            user_data);
gboolean           confab_chat_stream_set_nickname_finish (ConfabChatStream   *self,
                                                           GAsyncResult       *result,
                                                           GError            **error);
const char        *confab_chat_stream_get_nickname        (ConfabChatStream   *self);
/* A private message in a room: CPIM To: the participant's URI (public
 * ones go To: the room). CONFAB_ERROR_INVALID when the room does not
 * offer private-messages or @to_uri is not a sip:/sips: URI. The
 * message's recipient is @to_uri. */
ConfabChatMessage *confab_chat_stream_send_private_text   (ConfabChatStream   *self,
                                                           const char         *to_uri,
                                                           const char         *text,
                                                           GError            **error);
/* Signals: "message-received" (ConfabChatMessage *): a new incoming message
 * (already in the model); notify::remote-composing; notify::connected (ConfabMsrpStream). */

G_END_DECLS
