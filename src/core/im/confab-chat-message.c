/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabIm"

#include "config.h"

#include "im/confab-chat-message.h"
#include "confab-enums.h"
#include "confab-random.h"

#include <string.h>

struct _ConfabChatMessage
{
  GObject             parent_instance;

  gint64              row_id;
  char               *id;
  ConfabChatDirection direction;
  /* Interned: every message of a conversation shares these strings
   * (a history page holds many). */
  GRefString         *conversation;
  GRefString         *sender_uri;
  GRefString         *sender_display;
  GRefString         *content_type;
  GBytes             *body;
  GDateTime          *timestamp;
  ConfabChatState     state;
  char               *error;
  GRefString         *recipient_uri; /* a private message in a room, or NULL */
  ConfabChatStatusKind status_kind;  /* as set; see get_status_kind() */

  char               *text;          /* cache for get_text() */
  gboolean            text_done;
};

G_DEFINE_FINAL_TYPE (ConfabChatMessage, confab_chat_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_DIRECTION,
  PROP_CONVERSATION,
  PROP_SENDER_URI,
  PROP_SENDER_DISPLAY,
  PROP_CONTENT_TYPE,
  PROP_BODY,
  PROP_TEXT,
  PROP_TIMESTAMP,
  PROP_STATE,
  PROP_ERROR,
  PROP_ROW_ID,
  PROP_RECIPIENT_URI,
  PROP_STATUS_KIND,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

/* "Text/Plain; charset=UTF-8" → "text/plain", and the charset if asked. */
static char *
media_type_of (const char  *content_type,
               char       **charset)
{
  g_auto (GStrv) params = NULL;
  char *media_type;

  if (charset)
    *charset = NULL;
  if (!content_type)
    return g_strdup ("");

  params = g_strsplit (content_type, ";", -1);
  if (!params[0])
    return g_strdup ("");
  media_type = g_ascii_strdown (g_strstrip (params[0]), -1);
  for (guint i = 1; charset && params[i]; i++) {
    char *param = g_strstrip (params[i]);

    if (g_ascii_strncasecmp (param, "charset=", 8) == 0) {
      g_free (*charset);
      *charset = g_strdup (g_strstrip (param + 8));
      g_strdelimit (*charset, "\"", ' ');
      g_strstrip (*charset);
    }
  }
  return media_type;
}

static GRefString *
intern (const char *string)
{
  return string ? g_ref_string_new_intern (string) : NULL;
}

static char *
new_message_id (void)
{
  guint8 random[12];

  if (!_confab_random_fill (random, sizeof random))
    return g_uuid_string_random ();
  return g_base64_encode (random, sizeof random);
}

static char *
decode_text (const char *content_type,
             GBytes     *body)
{
  g_autofree char *charset = NULL;
  g_autofree char *media_type = media_type_of (content_type, &charset);
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  if (!g_str_has_prefix (media_type, "text/"))
    return NULL;
  if (length == 0)
    return g_strdup ("");

  /* Peers mostly send UTF-8; honour another declared charset when iconv
   * knows it, and fall back to replacing what does not decode. */
  if (charset && g_ascii_strcasecmp (charset, "utf-8") != 0 &&
      g_ascii_strcasecmp (charset, "us-ascii") != 0) {
    g_autofree char *converted = g_convert (data, length, "UTF-8", charset, NULL, NULL, NULL);

    if (converted && g_utf8_validate (converted, -1, NULL))
      return g_steal_pointer (&converted);
  }
  return g_utf8_make_valid (data, length);
}

static void
confab_chat_message_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ConfabChatMessage *self = CONFAB_CHAT_MESSAGE (object);

  switch (prop_id) {
  case PROP_ID:
    g_value_set_string (value, self->id);
    break;
  case PROP_DIRECTION:
    g_value_set_enum (value, self->direction);
    break;
  case PROP_CONVERSATION:
    g_value_set_string (value, self->conversation);
    break;
  case PROP_SENDER_URI:
    g_value_set_string (value, self->sender_uri);
    break;
  case PROP_SENDER_DISPLAY:
    g_value_set_string (value, self->sender_display);
    break;
  case PROP_CONTENT_TYPE:
    g_value_set_string (value, self->content_type);
    break;
  case PROP_BODY:
    g_value_set_boxed (value, self->body);
    break;
  case PROP_TEXT:
    g_value_set_string (value, confab_chat_message_get_text (self));
    break;
  case PROP_TIMESTAMP:
    g_value_set_boxed (value, self->timestamp);
    break;
  case PROP_STATE:
    g_value_set_enum (value, self->state);
    break;
  case PROP_ERROR:
    g_value_set_string (value, self->error);
    break;
  case PROP_ROW_ID:
    g_value_set_int64 (value, self->row_id);
    break;
  case PROP_RECIPIENT_URI:
    g_value_set_string (value, self->recipient_uri);
    break;
  case PROP_STATUS_KIND:
    g_value_set_enum (value, confab_chat_message_get_status_kind (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_chat_message_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  ConfabChatMessage *self = CONFAB_CHAT_MESSAGE (object);

  switch (prop_id) {
  case PROP_ID:
    self->id = g_value_dup_string (value);
    break;
  case PROP_DIRECTION:
    self->direction = g_value_get_enum (value);
    break;
  case PROP_CONVERSATION:
    self->conversation = intern (g_value_get_string (value));
    break;
  case PROP_SENDER_URI:
    self->sender_uri = intern (g_value_get_string (value));
    break;
  case PROP_SENDER_DISPLAY:
    self->sender_display = intern (g_value_get_string (value));
    break;
  case PROP_CONTENT_TYPE:
    self->content_type = intern (g_value_get_string (value));
    break;
  case PROP_BODY:
    self->body = g_value_dup_boxed (value);
    break;
  case PROP_TIMESTAMP:
    self->timestamp = g_value_dup_boxed (value);
    break;
  case PROP_STATE:
    confab_chat_message_set_state (self, g_value_get_enum (value));
    break;
  case PROP_ERROR:
    confab_chat_message_set_error (self, g_value_get_string (value));
    break;
  case PROP_ROW_ID:
    confab_chat_message_set_row_id (self, g_value_get_int64 (value));
    break;
  case PROP_RECIPIENT_URI:
    confab_chat_message_set_recipient_uri (self, g_value_get_string (value));
    break;
  case PROP_STATUS_KIND:
    confab_chat_message_set_status_kind (self, g_value_get_enum (value));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_chat_message_constructed (GObject *object)
{
  ConfabChatMessage *self = CONFAB_CHAT_MESSAGE (object);

  G_OBJECT_CLASS (confab_chat_message_parent_class)->constructed (object);

  if (!self->id)
    self->id = new_message_id ();
  if (!self->conversation)
    self->conversation = intern ("");
  if (!self->content_type)
    self->content_type = intern ("text/plain");
  if (!self->body)
    self->body = g_bytes_new_static ("", 0);
  if (!self->timestamp)
    self->timestamp = g_date_time_new_now_local ();
  /* Properties without G_PARAM_CONSTRUCT are set after constructed(): an
   * explicit "state" overrides this default. */
  self->state = self->direction == CONFAB_CHAT_DIRECTION_OUTGOING ? CONFAB_CHAT_STATE_SENDING
                                                                    : CONFAB_CHAT_STATE_RECEIVED;
}

static void
confab_chat_message_finalize (GObject *object)
{
  ConfabChatMessage *self = CONFAB_CHAT_MESSAGE (object);

  g_free (self->id);
  g_clear_pointer (&self->conversation, g_ref_string_release);
  g_clear_pointer (&self->sender_uri, g_ref_string_release);
  g_clear_pointer (&self->sender_display, g_ref_string_release);
  g_clear_pointer (&self->content_type, g_ref_string_release);
  g_clear_pointer (&self->recipient_uri, g_ref_string_release);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_clear_pointer (&self->timestamp, g_date_time_unref);
  g_free (self->error);
  g_free (self->text);

  G_OBJECT_CLASS (confab_chat_message_parent_class)->finalize (object);
}

static void
confab_chat_message_class_init (ConfabChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags mutable = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = confab_chat_message_get_property;
  object_class->set_property = confab_chat_message_set_property;
  object_class->constructed = confab_chat_message_constructed;
  object_class->finalize = confab_chat_message_finalize;

  props[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, construct);
  props[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, CONFAB_TYPE_CHAT_DIRECTION,
                       CONFAB_CHAT_DIRECTION_INCOMING, construct);
  props[PROP_CONVERSATION] = g_param_spec_string ("conversation", NULL, NULL, NULL, construct);
  props[PROP_SENDER_URI] = g_param_spec_string ("sender-uri", NULL, NULL, NULL, construct);
  props[PROP_SENDER_DISPLAY] = g_param_spec_string ("sender-display", NULL, NULL, NULL, construct);
  props[PROP_CONTENT_TYPE] = g_param_spec_string ("content-type", NULL, NULL, NULL, construct);
  props[PROP_BODY] = g_param_spec_boxed ("body", NULL, NULL, G_TYPE_BYTES, construct);
  props[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  props[PROP_TIMESTAMP] = g_param_spec_boxed ("timestamp", NULL, NULL, G_TYPE_DATE_TIME, construct);
  props[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, CONFAB_TYPE_CHAT_STATE, CONFAB_CHAT_STATE_SENDING,
                       mutable);
  props[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, mutable);
  props[PROP_ROW_ID] =
    g_param_spec_int64 ("row-id", NULL, NULL, 0, G_MAXINT64, 0, mutable);
  props[PROP_RECIPIENT_URI] = g_param_spec_string ("recipient-uri", NULL, NULL, NULL, mutable);
  props[PROP_STATUS_KIND] =
    g_param_spec_enum ("status-kind", NULL, NULL, CONFAB_TYPE_CHAT_STATUS_KIND,
                       CONFAB_CHAT_STATUS_KIND_NONE, mutable);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_chat_message_init (ConfabChatMessage *self)
{
}

/* @id, @conversation, @content_type (text/plain), @body (empty) and
 * @timestamp (now) may be NULL; a NULL @id gets a fresh random one. The
 * state starts as SENDING for outgoing messages, RECEIVED otherwise. */
ConfabChatMessage *
confab_chat_message_new (const char          *id,
                         ConfabChatDirection  direction,
                         const char          *conversation,
                         const char          *sender_uri,
                         const char          *sender_display,
                         const char          *content_type,
                         GBytes              *body,
                         GDateTime           *timestamp)
{
  return g_object_new (CONFAB_TYPE_CHAT_MESSAGE,
                       "id", id,
                       "direction", direction,
                       "conversation", conversation,
                       "sender-uri", sender_uri,
                       "sender-display", sender_display,
                       "content-type", content_type,
                       "body", body,
                       "timestamp", timestamp,
                       NULL);
}

ConfabChatMessage *
confab_chat_message_new_text (ConfabChatDirection  direction,
                              const char          *conversation,
                              const char          *sender_uri,
                              const char          *text)
{
  g_autoptr (GBytes) body = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  body = g_bytes_new (text, strlen (text));
  return confab_chat_message_new (NULL, direction, conversation, sender_uri, NULL,
                                  "text/plain;charset=UTF-8", body, NULL);
}

gint64
confab_chat_message_get_row_id (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), 0);
  return self->row_id;
}

void
confab_chat_message_set_row_id (ConfabChatMessage *self,
                                gint64             row_id)
{
  g_return_if_fail (CONFAB_IS_CHAT_MESSAGE (self));
  g_return_if_fail (row_id >= 0);

  if (self->row_id == row_id)
    return;
  self->row_id = row_id;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ROW_ID]);
}

const char *
confab_chat_message_get_id (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->id;
}

ConfabChatDirection
confab_chat_message_get_direction (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), CONFAB_CHAT_DIRECTION_INCOMING);
  return self->direction;
}

const char *
confab_chat_message_get_conversation (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->conversation;
}

const char *
confab_chat_message_get_sender_uri (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->sender_uri;
}

const char *
confab_chat_message_get_sender_display (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->sender_display;
}

const char *
confab_chat_message_get_content_type (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->content_type;
}

GBytes *
confab_chat_message_get_body (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->body;
}

const char *
confab_chat_message_get_text (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);

  if (!self->text_done) {
    self->text = decode_text (self->content_type, self->body);
    self->text_done = TRUE;
  }
  return self->text;
}

gboolean
confab_chat_message_is_text (ConfabChatMessage *self)
{
  g_autofree char *media_type = NULL;

  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), FALSE);

  media_type = media_type_of (self->content_type, NULL);
  return g_str_has_prefix (media_type, "text/");
}

gboolean
confab_chat_message_is_image (ConfabChatMessage *self)
{
  static const char *const image_types[] = {
    "image/png", "image/jpeg", "image/gif", "image/webp", NULL
  };
  g_autofree char *media_type = NULL;

  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), FALSE);

  media_type = media_type_of (self->content_type, NULL);
  return g_strv_contains (image_types, media_type);
}

GDateTime *
confab_chat_message_get_timestamp (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->timestamp;
}

ConfabChatState
confab_chat_message_get_state (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), CONFAB_CHAT_STATE_FAILED);
  return self->state;
}

void
confab_chat_message_set_state (ConfabChatMessage *self,
                               ConfabChatState    state)
{
  g_return_if_fail (CONFAB_IS_CHAT_MESSAGE (self));
  g_return_if_fail (state <= CONFAB_CHAT_STATE_RECEIVED);

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATE]);
}

const char *
confab_chat_message_get_error (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->error;
}

void
confab_chat_message_set_error (ConfabChatMessage *self,
                               const char        *error)
{
  g_return_if_fail (CONFAB_IS_CHAT_MESSAGE (self));

  if (g_strcmp0 (self->error, error) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (error);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ERROR]);
}

/* Fails the message with a reason in one step: error first, so a handler
 * of notify::state already sees why. */
void
confab_chat_message_fail (ConfabChatMessage *self,
                          const char        *error)
{
  g_return_if_fail (CONFAB_IS_CHAT_MESSAGE (self));

  confab_chat_message_set_error (self, error);
  confab_chat_message_set_state (self, CONFAB_CHAT_STATE_FAILED);
}

const char *
confab_chat_message_get_recipient_uri (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), NULL);
  return self->recipient_uri;
}

/* @uri: the participant of a room a private message went to or came for;
 * NULL (or "") for a message to everyone. */
void
confab_chat_message_set_recipient_uri (ConfabChatMessage *self,
                                       const char        *uri)
{
  g_return_if_fail (CONFAB_IS_CHAT_MESSAGE (self));

  if (uri && !*uri)
    uri = NULL;
  if (g_strcmp0 (self->recipient_uri, uri) == 0)
    return;
  g_clear_pointer (&self->recipient_uri, g_ref_string_release);
  self->recipient_uri = intern (uri);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECIPIENT_URI]);
}

gboolean
confab_chat_message_is_private (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), FALSE);
  return self->recipient_uri != NULL;
}

ConfabChatStatusKind
confab_chat_message_get_status_kind (ConfabChatMessage *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (self), CONFAB_CHAT_STATUS_KIND_NONE);

  if (self->direction != CONFAB_CHAT_DIRECTION_STATUS)
    return CONFAB_CHAT_STATUS_KIND_NONE;
  if (self->status_kind == CONFAB_CHAT_STATUS_KIND_NONE)
    return CONFAB_CHAT_STATUS_KIND_LOCAL;
  return self->status_kind;
}

/* @kind: what a status line is; ignored (NONE) on other messages. */
void
confab_chat_message_set_status_kind (ConfabChatMessage    *self,
                                     ConfabChatStatusKind  kind)
{
  ConfabChatStatusKind before;

  g_return_if_fail (CONFAB_IS_CHAT_MESSAGE (self));
  g_return_if_fail (kind <= CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);

  before = confab_chat_message_get_status_kind (self);
  self->status_kind = kind;
  if (confab_chat_message_get_status_kind (self) != before)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS_KIND]);
}

const char *
confab_chat_status_kind_to_string (ConfabChatStatusKind kind)
{
  switch (kind) {
  case CONFAB_CHAT_STATUS_KIND_LOCAL:
    return "local";
  case CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE:
    return "room-notice";
  case CONFAB_CHAT_STATUS_KIND_NONE:
  default:
    return NULL;
  }
}

ConfabChatStatusKind
confab_chat_status_kind_from_string (const char *string)
{
  if (g_strcmp0 (string, "local") == 0)
    return CONFAB_CHAT_STATUS_KIND_LOCAL;
  if (g_strcmp0 (string, "room-notice") == 0)
    return CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE;
  return CONFAB_CHAT_STATUS_KIND_NONE;
}

const char *
confab_chat_state_to_string (ConfabChatState state)
{
  switch (state) {
  case CONFAB_CHAT_STATE_SENDING:
    return "sending";
  case CONFAB_CHAT_STATE_SENT:
    return "sent";
  case CONFAB_CHAT_STATE_DELIVERED:
    return "delivered";
  case CONFAB_CHAT_STATE_DISPLAYED:
    return "displayed";
  case CONFAB_CHAT_STATE_FAILED:
    return "failed";
  case CONFAB_CHAT_STATE_RECEIVED:
    return "received";
  default:
    return "unknown";
  }
}

gboolean
confab_chat_state_from_string (const char      *string,
                               ConfabChatState *state)
{
  g_return_val_if_fail (string != NULL, FALSE);

  for (ConfabChatState s = CONFAB_CHAT_STATE_SENDING; s <= CONFAB_CHAT_STATE_RECEIVED; s++) {
    if (strcmp (string, confab_chat_state_to_string (s)) == 0) {
      if (state)
        *state = s;
      return TRUE;
    }
  }
  return FALSE;
}
