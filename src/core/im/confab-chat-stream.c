/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabChat"

#include "config.h"

#include "im/confab-chat-stream.h"
#include "im/confab-chat-stream-private.h"
#include "im/confab-cpim.h"
#include "im/confab-is-composing.h"
#include "msrp/confab-msrp-sdp.h"
#include "msrp/confab-msrp-session.h"
#include "msrp/confab-msrp-stream.h"
#include "msrp/confab-msrp-serializer.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#include <string.h>

#define ACCEPT_TYPES         "message/cpim text/* image/* application/im-iscomposing+xml"
#define ACCEPT_WRAPPED_TYPES "text/* image/* application/im-iscomposing+xml"

#define MAX_NICKNAME_LENGTH  64 /* bytes */

struct _ConfabChatStream
{
  ConfabMsrpStream    parent_instance;

  char               *local_uri;
  char               *local_display;
  char               *remote_uri;
  char               *remote_display;

  GListStore         *messages;
  GHashTable         *outgoing;         /* MSRP Message-ID → ConfabChatMessage */

  gboolean            composing;        /* we told the peer "active" */
  guint               composing_idle_id;
  gboolean            remote_composing;
  guint               remote_composing_id;

  /* RFC 7701 */
  char              **chatroom_features; /* the peer's a=chatroom, or NULL */
  char               *nickname;          /* as the room accepted it */
};

G_DEFINE_FINAL_TYPE (ConfabChatStream, confab_chat_stream, CONFAB_TYPE_MSRP_STREAM)

enum {
  PROP_0,
  PROP_REMOTE_COMPOSING,
  PROP_NICKNAME,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_MESSAGE_RECEIVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
replace_str (char       **field,
             const char  *value)
{
  if (*field == value)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

static void
confab_chat_stream_session_created (ConfabMsrpStream  *stream,
                                    ConfabMsrpSession *msrp)
{
  _confab_chat_stream_connect_messages (CONFAB_CHAT_STREAM (stream));
}

static void
confab_chat_stream_describe (ConfabMsrpStream *stream,
                             ConfabSdpMedia   *media,
                             gboolean          offer)
{
  confab_sdp_media_add_attribute (media, "accept-types", ACCEPT_TYPES);
  confab_sdp_media_add_attribute (media, "accept-wrapped-types", ACCEPT_WRAPPED_TYPES);
}

/* RFC 7701 §7: a=chatroom marks a chat room and lists what it offers
 * ("nickname private-messages …"). We never offer it, and need not echo
 * it in an answer. */
static gboolean
confab_chat_stream_read_remote (ConfabMsrpStream      *stream,
                                const ConfabSdpMedia  *media,
                                gboolean               offer,
                                GError               **error)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);
  const char *value = confab_sdp_media_get_attribute (media, "chatroom");
  g_autoptr (GStrvBuilder) features = NULL;
  g_auto (GStrv) tokens = NULL;

  g_clear_pointer (&self->chatroom_features, g_strfreev);
  if (!value)
    return TRUE;
  features = g_strv_builder_new ();
  tokens = g_strsplit_set (value, " \t", -1);
  for (guint i = 0; tokens[i]; i++) {
    if (*tokens[i])
      g_strv_builder_add (features, tokens[i]);
  }
  self->chatroom_features = g_strv_builder_end (features);
  return TRUE;
}

static void
confab_chat_stream_stopping (ConfabMsrpStream *stream,
                             gboolean          lingering)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (stream);

  g_clear_handle_id (&self->composing_idle_id, g_source_remove);
  g_clear_handle_id (&self->remote_composing_id, g_source_remove);
  if (self->remote_composing) {
    self->remote_composing = FALSE;
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_COMPOSING]);
  }
  /* Lingering: the last 200s and REPORTs may still come (finished). */
  if (!lingering)
    _confab_chat_stream_fail_pending (self, _("The chat ended before the message was sent"));
}

static void
confab_chat_stream_finished (ConfabMsrpStream *stream)
{
  _confab_chat_stream_fail_pending (CONFAB_CHAT_STREAM (stream),
                                    _("The chat ended before the message was sent"));
}

static void
confab_chat_stream_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (object);

  switch (prop_id) {
  case PROP_REMOTE_COMPOSING:
    g_value_set_boolean (value, self->remote_composing);
    break;
  case PROP_NICKNAME:
    g_value_set_string (value, self->nickname);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_chat_stream_dispose (GObject *object)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (object);
  ConfabMsrpSession *msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self));

  g_clear_handle_id (&self->composing_idle_id, g_source_remove);
  g_clear_handle_id (&self->remote_composing_id, g_source_remove);
  if (msrp)
    g_signal_handlers_disconnect_by_data (msrp, self);

  G_OBJECT_CLASS (confab_chat_stream_parent_class)->dispose (object);
}

static void
confab_chat_stream_finalize (GObject *object)
{
  ConfabChatStream *self = CONFAB_CHAT_STREAM (object);

  g_free (self->local_uri);
  g_free (self->local_display);
  g_free (self->remote_uri);
  g_free (self->remote_display);
  g_strfreev (self->chatroom_features);
  g_free (self->nickname);
  g_clear_object (&self->messages);
  g_clear_pointer (&self->outgoing, g_hash_table_unref);

  G_OBJECT_CLASS (confab_chat_stream_parent_class)->finalize (object);
}

static void
confab_chat_stream_class_init (ConfabChatStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ConfabStreamClass *stream_class = CONFAB_STREAM_CLASS (klass);
  ConfabMsrpStreamClass *msrp_class = CONFAB_MSRP_STREAM_CLASS (klass);

  object_class->get_property = confab_chat_stream_get_property;
  object_class->dispose = confab_chat_stream_dispose;
  object_class->finalize = confab_chat_stream_finalize;

  stream_class->media_type = "message";
  msrp_class->label = N_("chat");
  msrp_class->session_created = confab_chat_stream_session_created;
  msrp_class->describe = confab_chat_stream_describe;
  msrp_class->read_remote = confab_chat_stream_read_remote;
  msrp_class->stopping = confab_chat_stream_stopping;
  msrp_class->finished = confab_chat_stream_finished;

  props[PROP_REMOTE_COMPOSING] =
    g_param_spec_boolean ("remote-composing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[PROP_NICKNAME] =
    g_param_spec_string ("nickname", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, CONFAB_TYPE_CHAT_MESSAGE);
}

static void
confab_chat_stream_init (ConfabChatStream *self)
{
  self->messages = g_list_store_new (CONFAB_TYPE_CHAT_MESSAGE);
  self->outgoing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/* For confab-chat-stream-messages.c */
ConfabChatStreamParts
_confab_chat_stream_get_parts (ConfabChatStream *self)
{
  const ConfabMsrpSdpInfo *remote = confab_msrp_stream_get_remote (CONFAB_MSRP_STREAM (self));

  return (ConfabChatStreamParts) {
    .msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self)),
    .messages = self->messages,
    .outgoing = self->outgoing,
    .local_uri = self->local_uri,
    .local_display = self->local_display,
    .remote_uri = self->remote_uri,
    .remote_display = self->remote_display,
    .remote_accept_types = remote ? remote->accept_types : NULL,
    .remote_accept_wrapped_types = remote ? remote->accept_wrapped_types : NULL,
    .chatroom_features = self->chatroom_features,
  };
}

static gboolean
on_remote_composing_expired (gpointer user_data)
{
  ConfabChatStream *self = user_data;

  self->remote_composing_id = 0;
  _confab_chat_stream_set_remote_composing (self, FALSE, 0);
  return G_SOURCE_REMOVE;
}

void
_confab_chat_stream_set_remote_composing (ConfabChatStream *self,
                                          gboolean          composing,
                                          guint             timeout)
{
  g_clear_handle_id (&self->remote_composing_id, g_source_remove);
  if (composing && timeout > 0)
    self->remote_composing_id = g_timeout_add_seconds (timeout, on_remote_composing_expired, self);
  if (self->remote_composing == composing)
    return;
  self->remote_composing = composing;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_REMOTE_COMPOSING]);
}


void
_confab_chat_stream_emit_received (ConfabChatStream  *self,
                                   ConfabChatMessage *message)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, message);
}

/* Local is-composing state: "active" goes out on the first keystroke,
 * "idle" after CONFAB_IS_COMPOSING_IDLE_AFTER seconds without one. */
static gboolean
on_composing_idle (gpointer user_data)
{
  ConfabChatStream *self = user_data;

  self->composing_idle_id = 0;
  confab_chat_stream_set_composing (self, FALSE);
  return G_SOURCE_REMOVE;
}

gboolean
_confab_chat_stream_take_composing (ConfabChatStream *self)
{
  gboolean was = self->composing;

  self->composing = FALSE;
  g_clear_handle_id (&self->composing_idle_id, g_source_remove);
  return was;
}

ConfabChatStream *
confab_chat_stream_new (ConfabMsrpEndpoint *endpoint,
                        gboolean            tls)
{
  ConfabChatStream *self;

  g_return_val_if_fail (CONFAB_IS_MSRP_ENDPOINT (endpoint), NULL);

  self = g_object_new (CONFAB_TYPE_CHAT_STREAM, NULL);
  _confab_msrp_stream_construct (CONFAB_MSRP_STREAM (self), endpoint, tls);
  return self;
}

void
confab_chat_stream_set_identities (ConfabChatStream *self,
                                   const char       *local_uri,
                                   const char       *local_display,
                                   const char       *remote_uri,
                                   const char       *remote_display)
{
  g_return_if_fail (CONFAB_IS_CHAT_STREAM (self));

  replace_str (&self->local_uri, local_uri);
  replace_str (&self->local_display, local_display);
  replace_str (&self->remote_uri, remote_uri);
  replace_str (&self->remote_display, remote_display);
}


/**
 * confab_chat_stream_get_messages:
 *
 * Returns: (transfer none): this session's ConfabChatMessages, in order
 */
GListModel *
confab_chat_stream_get_messages (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), NULL);
  return G_LIST_MODEL (self->messages);
}

void
confab_chat_stream_set_composing (ConfabChatStream *self,
                                  gboolean          composing)
{
  g_return_if_fail (CONFAB_IS_CHAT_STREAM (self));

  if (composing) {
    g_clear_handle_id (&self->composing_idle_id, g_source_remove);
    self->composing_idle_id = g_timeout_add_seconds (CONFAB_IS_COMPOSING_IDLE_AFTER,
                                                     on_composing_idle, self);
    if (self->composing)
      return;
    self->composing = TRUE;
  } else {
    g_clear_handle_id (&self->composing_idle_id, g_source_remove);
    if (!self->composing)
      return;
    self->composing = FALSE;
  }
  _confab_chat_stream_send_composing (self, composing);
}

gboolean
confab_chat_stream_get_remote_composing (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), FALSE);
  return self->remote_composing;
}

/**
 * confab_chat_stream_get_chatroom_features:
 *
 * Returns: (transfer none) (nullable): the room's a=chatroom features, or
 *   %NULL when the peer is not a chat room
 */
const char * const *
confab_chat_stream_get_chatroom_features (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), NULL);
  return (const char * const *) self->chatroom_features;
}

gboolean
confab_chat_stream_has_chatroom_feature (ConfabChatStream *self,
                                         const char       *feature)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), FALSE);
  g_return_val_if_fail (feature != NULL, FALSE);

  return self->chatroom_features &&
         g_strv_contains ((const char * const *) self->chatroom_features, feature);
}

static gboolean
check_nickname (ConfabChatStream  *self,
                const char        *nickname,
                GError           **error)
{
  if (!*nickname) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("Enter a nickname"));
    return FALSE;
  }
  if (strlen (nickname) > MAX_NICKNAME_LENGTH) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The nickname is too long; use at most %d bytes"), MAX_NICKNAME_LENGTH);
    return FALSE;
  }
  if (!g_utf8_validate (nickname, -1, NULL)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("The text is not valid UTF-8"));
    return FALSE;
  }
  for (const char *c = nickname; *c; c = g_utf8_next_char (c)) {
    if (g_unichar_iscntrl (g_utf8_get_char (c))) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                   _("A nickname cannot contain control characters"));
      return FALSE;
    }
  }
  if (!confab_chat_stream_has_chatroom_feature (self, "nickname")) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("This chat does not support nicknames"));
    return FALSE;
  }
  return TRUE;
}

static void
on_nickname_answered (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  ConfabChatStream *self = g_task_get_source_object (task);
  const char *nickname = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  guint status;

  status = confab_msrp_session_send_nickname_finish (CONFAB_MSRP_SESSION (source), result, &error);
  if (status == 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
    g_task_return_error (task, g_steal_pointer (&error));
  } else if (status == 0) {
    g_task_return_new_error (task, CONFAB_ERROR, CONFAB_ERROR_NETWORK,
                             _("The nickname could not be set: %s"), error->message);
  } else if (status == 200) {
    if (g_strcmp0 (self->nickname, nickname) != 0) {
      replace_str (&self->nickname, nickname);
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_NICKNAME]);
    }
    g_task_return_boolean (task, TRUE);
  } else if (status == 425) {
    g_task_return_new_error (task, CONFAB_ERROR, CONFAB_ERROR_IN_USE,
                             _("The nickname “%s” is taken"), nickname);
  } else {
    g_task_return_new_error (task, CONFAB_ERROR, CONFAB_ERROR_REJECTED,
                             _("The room refused the nickname “%s” (%u %s)"), nickname, status,
                             confab_msrp_status_to_string (status));
  }
}

/**
 * confab_chat_stream_set_nickname_async:
 *
 * Asks the room for @nickname (RFC 7701 §5); once it says 200 the
 * "nickname" property changes.
 */
void
confab_chat_stream_set_nickname_async (ConfabChatStream    *self,
                                       const char          *nickname,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  ConfabMsrpSession *msrp;

  g_return_if_fail (CONFAB_IS_CHAT_STREAM (self));
  g_return_if_fail (nickname != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_chat_stream_set_nickname_async);
  if (!check_nickname (self, nickname, &error)) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self));
  if (!msrp || !confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (self))) {
    g_task_return_new_error (task, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                             _("The chat is not connected"));
    return;
  }
  g_task_set_task_data (task, g_strdup (nickname), g_free);
  confab_msrp_session_send_nickname_async (msrp, nickname, cancellable, on_nickname_answered,
                                           g_steal_pointer (&task));
}

gboolean
confab_chat_stream_set_nickname_finish (ConfabChatStream  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Returns: (nullable): the nickname the room accepted */
const char *
confab_chat_stream_get_nickname (ConfabChatStream *self)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), NULL);
  return self->nickname;
}
