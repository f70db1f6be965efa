/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "im/confab-chat-stream.h"
#include "msrp/confab-msrp-session.h"

G_BEGIN_DECLS

/* What confab-chat-stream-messages.c (CPIM, is-composing, delivery state)
 * needs of the stream (confab-chat-stream.c: SDP and the MSRP session). */
typedef struct
{
  ConfabMsrpSession *msrp;
  GListStore        *messages;
  GHashTable        *outgoing;
  const char        *local_uri;
  const char        *local_display;
  const char        *remote_uri;
  const char        *remote_display;
  char * const      *remote_accept_types;         /* NULL until negotiated */
  char * const      *remote_accept_wrapped_types;
  char * const      *chatroom_features;           /* NULL unless the peer is a room */
} ConfabChatStreamParts;

ConfabChatStreamParts _confab_chat_stream_get_parts            (ConfabChatStream  *self);
void                  _confab_chat_stream_connect_messages     (ConfabChatStream  *self);
void                  _confab_chat_stream_fail_pending         (ConfabChatStream  *self,
                                                                const char        *reason);
void                  _confab_chat_stream_send_composing       (ConfabChatStream  *self,
                                                                gboolean           composing);
void                  _confab_chat_stream_set_remote_composing (ConfabChatStream  *self,
                                                                gboolean           composing,
                                                                guint              timeout);
void                  _confab_chat_stream_emit_received        (ConfabChatStream  *self,
                                                                ConfabChatMessage *message);
/* Sending a message ends our "active" without an "idle" (RFC 3994 §3.2). */
gboolean              _confab_chat_stream_take_composing       (ConfabChatStream  *self);

G_END_DECLS
