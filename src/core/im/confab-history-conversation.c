/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabHistory"

#include "config.h"

#include "im/confab-history-conversation.h"
#include "confab-enums.h"

struct _ConfabHistoryConversation
{
  GObject              parent_instance;

  char                *uri;
  GDateTime           *last_timestamp;
  ConfabChatDirection  last_direction;
  char                *last_content_type;
  char                *last_text;
  guint                unread_count;
};

G_DEFINE_FINAL_TYPE (ConfabHistoryConversation, confab_history_conversation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_URI,
  PROP_LAST_TIMESTAMP,
  PROP_LAST_DIRECTION,
  PROP_LAST_CONTENT_TYPE,
  PROP_LAST_TEXT,
  PROP_UNREAD_COUNT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static void
confab_history_conversation_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  ConfabHistoryConversation *self = CONFAB_HISTORY_CONVERSATION (object);

  switch (prop_id) {
  case PROP_URI:
    g_value_set_string (value, self->uri);
    break;
  case PROP_LAST_TIMESTAMP:
    g_value_set_boxed (value, self->last_timestamp);
    break;
  case PROP_LAST_DIRECTION:
    g_value_set_enum (value, self->last_direction);
    break;
  case PROP_LAST_CONTENT_TYPE:
    g_value_set_string (value, self->last_content_type);
    break;
  case PROP_LAST_TEXT:
    g_value_set_string (value, self->last_text);
    break;
  case PROP_UNREAD_COUNT:
    g_value_set_uint (value, self->unread_count);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_history_conversation_finalize (GObject *object)
{
  ConfabHistoryConversation *self = CONFAB_HISTORY_CONVERSATION (object);

  g_free (self->uri);
  g_clear_pointer (&self->last_timestamp, g_date_time_unref);
  g_free (self->last_content_type);
  g_free (self->last_text);

  G_OBJECT_CLASS (confab_history_conversation_parent_class)->finalize (object);
}

static void
confab_history_conversation_class_init (ConfabHistoryConversationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = confab_history_conversation_get_property;
  object_class->finalize = confab_history_conversation_finalize;

  props[PROP_URI] = g_param_spec_string ("uri", NULL, NULL, NULL, flags);
  props[PROP_LAST_TIMESTAMP] =
    g_param_spec_boxed ("last-timestamp", NULL, NULL, G_TYPE_DATE_TIME, flags);
  props[PROP_LAST_DIRECTION] =
    g_param_spec_enum ("last-direction", NULL, NULL, CONFAB_TYPE_CHAT_DIRECTION,
                       CONFAB_CHAT_DIRECTION_INCOMING, flags);
  props[PROP_LAST_CONTENT_TYPE] =
    g_param_spec_string ("last-content-type", NULL, NULL, NULL, flags);
  props[PROP_LAST_TEXT] = g_param_spec_string ("last-text", NULL, NULL, NULL, flags);
  props[PROP_UNREAD_COUNT] =
    g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_history_conversation_init (ConfabHistoryConversation *self)
{
}

ConfabHistoryConversation *
confab_history_conversation_new (const char          *uri,
                                 GDateTime           *last_timestamp,
                                 ConfabChatDirection  last_direction,
                                 const char          *last_content_type,
                                 const char          *last_text,
                                 guint                unread_count)
{
  ConfabHistoryConversation *self;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (last_timestamp != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_HISTORY_CONVERSATION, NULL);
  self->uri = g_strdup (uri);
  self->last_timestamp = g_date_time_ref (last_timestamp);
  self->last_direction = last_direction;
  self->last_content_type = g_strdup (last_content_type);
  self->last_text = g_strdup (last_text);
  self->unread_count = unread_count;
  return self;
}

const char *
confab_history_conversation_get_uri (ConfabHistoryConversation *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY_CONVERSATION (self), NULL);
  return self->uri;
}

GDateTime *
confab_history_conversation_get_last_timestamp (ConfabHistoryConversation *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY_CONVERSATION (self), NULL);
  return self->last_timestamp;
}

ConfabChatDirection
confab_history_conversation_get_last_direction (ConfabHistoryConversation *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY_CONVERSATION (self), CONFAB_CHAT_DIRECTION_INCOMING);
  return self->last_direction;
}

const char *
confab_history_conversation_get_last_content_type (ConfabHistoryConversation *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY_CONVERSATION (self), NULL);
  return self->last_content_type;
}

const char *
confab_history_conversation_get_last_text (ConfabHistoryConversation *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY_CONVERSATION (self), NULL);
  return self->last_text;
}

guint
confab_history_conversation_get_unread_count (ConfabHistoryConversation *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY_CONVERSATION (self), 0);
  return self->unread_count;
}
