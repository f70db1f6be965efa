/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  CONFAB_CHAT_DIRECTION_INCOMING,
  CONFAB_CHAT_DIRECTION_OUTGOING,
  CONFAB_CHAT_DIRECTION_STATUS,    /* a status line: "Bob joined", room notices */
} ConfabChatDirection;

typedef enum
{
  CONFAB_CHAT_STATE_SENDING,       /* queued or on the wire */
  CONFAB_CHAT_STATE_SENT,          /* the next hop took it (MSRP 200 / SIP 2xx) */
  CONFAB_CHAT_STATE_DELIVERED,     /* a REPORT 200 / IMDN delivered */
  CONFAB_CHAT_STATE_DISPLAYED,     /* IMDN displayed */
  CONFAB_CHAT_STATE_FAILED,
  CONFAB_CHAT_STATE_RECEIVED,      /* incoming */
} ConfabChatState;

/* What kind of status line a CONFAB_CHAT_DIRECTION_STATUS message is. */
typedef enum
{
  CONFAB_CHAT_STATUS_KIND_NONE,        /* not a status line */
  CONFAB_CHAT_STATUS_KIND_LOCAL,       /* Confab's own: an image too large to show, … */
  CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE, /* a chat room's notice (CPIM agp.Message-Type: status) */
} ConfabChatStatusKind;

/* One chat message, as shown and as stored: the model items of a chat
 * stream and of the history. Properties notify, so rows update in place. */
#define CONFAB_TYPE_CHAT_MESSAGE (confab_chat_message_get_type ())
G_DECLARE_FINAL_TYPE (ConfabChatMessage, confab_chat_message, CONFAB, CHAT_MESSAGE, GObject)

ConfabChatMessage  *confab_chat_message_new              (const char          *id,
                                                          ConfabChatDirection  direction,
                                                          const char          *conversation,
                                                          const char          *sender_uri,
                                                          const char          *sender_display,
                                                          const char          *content_type,
                                                          GBytes              *body,
                                                          GDateTime           *timestamp);
/* A text/plain;charset=UTF-8 message with a fresh id, stamped now. */
ConfabChatMessage  *confab_chat_message_new_text         (ConfabChatDirection  direction,
                                                          const char          *conversation,
                                                          const char          *sender_uri,
                                                          const char          *text);
/* Row id in the history store; 0 until stored. */
gint64              confab_chat_message_get_row_id       (ConfabChatMessage   *self);
void                confab_chat_message_set_row_id       (ConfabChatMessage   *self,
                                                          gint64               row_id);
const char         *confab_chat_message_get_id           (ConfabChatMessage   *self);
ConfabChatDirection confab_chat_message_get_direction    (ConfabChatMessage   *self);
/* The peer's address (normalised sip: URI): which conversation this is in. */
const char         *confab_chat_message_get_conversation (ConfabChatMessage   *self);
const char         *confab_chat_message_get_sender_uri   (ConfabChatMessage   *self);
const char         *confab_chat_message_get_sender_display (ConfabChatMessage *self);
const char         *confab_chat_message_get_content_type (ConfabChatMessage   *self);
GBytes             *confab_chat_message_get_body         (ConfabChatMessage   *self);
/* The body as UTF-8 text for text/ types (validated), else NULL. */
const char         *confab_chat_message_get_text         (ConfabChatMessage   *self);
gboolean            confab_chat_message_is_text          (ConfabChatMessage   *self);
gboolean            confab_chat_message_is_image         (ConfabChatMessage   *self);
GDateTime          *confab_chat_message_get_timestamp    (ConfabChatMessage   *self);
ConfabChatState     confab_chat_message_get_state        (ConfabChatMessage   *self);
void                confab_chat_message_set_state        (ConfabChatMessage   *self,
                                                          ConfabChatState      state);
/* Why it failed, for the row's tooltip; NULL otherwise. */
const char         *confab_chat_message_get_error        (ConfabChatMessage   *self);
void                confab_chat_message_set_error        (ConfabChatMessage   *self,
                                                          const char          *error);
/* Sets @error, then the state FAILED (handlers of notify::state see why). */
void                confab_chat_message_fail             (ConfabChatMessage   *self,
                                                          const char          *error);

/* In a chat room: the participant a private message went to or came
 * for (CPIM To other than the room); NULL for messages to everyone. */
const char         *confab_chat_message_get_recipient_uri (ConfabChatMessage *self);
void                confab_chat_message_set_recipient_uri (ConfabChatMessage *self,
                                                           const char        *uri);
gboolean            confab_chat_message_is_private       (ConfabChatMessage   *self);
/* NONE unless the message is a status line; a status line is LOCAL
 * unless said otherwise. Room notices are kept in the history, Confab's
 * own lines are not. */
ConfabChatStatusKind confab_chat_message_get_status_kind (ConfabChatMessage   *self);
void                confab_chat_message_set_status_kind  (ConfabChatMessage   *self,
                                                          ConfabChatStatusKind kind);
/* "local", "room-notice" (as the history stores them); NULL for NONE. */
const char         *confab_chat_status_kind_to_string    (ConfabChatStatusKind kind);
/* The inverse; NONE for NULL or unknown strings. */
ConfabChatStatusKind confab_chat_status_kind_from_string (const char          *string);
const char         *confab_chat_state_to_string          (ConfabChatState      state);
/* The inverse of confab_chat_state_to_string(); FALSE if unknown. */
gboolean            confab_chat_state_from_string        (const char          *string,
                                                          ConfabChatState     *state);

G_END_DECLS
