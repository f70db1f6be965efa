/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabChat"

#include "config.h"

#include "im/confab-chat-stream-private.h"
#include "im/confab-cpim.h"
#include "im/confab-is-composing.h"
#include "msrp/confab-msrp-sdp.h"
#include "confab-error.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>

/* The chat stream's messages: CPIM wrapping (RFC 3862) whenever the peer
 * takes it (SylkServer rooms take nothing else), is-composing (RFC 3994)
 * both ways, and delivery state from MSRP responses and REPORTs. */

#define MAX_CHAT_MESSAGE_SIZE (16 * 1024 * 1024)

static gboolean
is_text (const char *content_type)
{
  return g_ascii_strncasecmp (content_type, "text/", 5) == 0;
}

static gboolean
is_image (const char *content_type)
{
  return g_ascii_strncasecmp (content_type, "image/", 6) == 0;
}

static gboolean
has_type (const char *content_type,
          const char *wanted)
{
  gsize len = strlen (wanted);

  return content_type && g_ascii_strncasecmp (content_type, wanted, len) == 0 &&
         (content_type[len] == '\0' || content_type[len] == ';' || content_type[len] == ' ');
}

/* Blink sends OTR query and negotiation strings as plain text; they are
 * not messages for a person to read. */
static gboolean
is_otr (GBytes *body)
{
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  return data && len >= 4 && memcmp (data, "?OTR", 4) == 0;
}

/* From is our identity exactly as the INVITE has it (SylkServer drops
 * other senders); To is the peer (the room), or with @private_to the
 * participant of a room a private message is for. */
static GBytes *
wrap_cpim (const ConfabChatStreamParts  *parts,
           const char                   *private_to,
           const char                   *content_type,
           GBytes                       *body,
           GError                      **error)
{
  g_autoptr (ConfabCpimMessage) cpim = confab_cpim_message_new ();
  const char *to_uri = private_to ? private_to : parts->remote_uri;
  const char *to_display = private_to ? NULL : parts->remote_display;

  cpim->from = confab_cpim_address_new (parts->local_display, parts->local_uri);
  g_ptr_array_add (cpim->to, confab_cpim_address_new (to_display, to_uri));
  cpim->date_time = g_date_time_new_now_local ();
  confab_cpim_message_set_body (cpim, content_type, body);
  return confab_cpim_message_to_bytes (cpim, error);
}

static gboolean
use_cpim (const ConfabChatStreamParts *parts)
{
  /* Before the answer we know nothing of the peer: CPIM is what Blink,
   * SylkServer and Confab all take. */
  return parts->remote_accept_types == NULL ||
         confab_msrp_sdp_accepts (parts->remote_accept_types, CONFAB_CPIM_CONTENT_TYPE);
}

/* @private_to: NULL, or a room participant's URI (CPIM To; rooms take
 * nothing but CPIM). */
static char *
send_payload (ConfabChatStream  *self,
              const char        *private_to,
              const char        *content_type,
              GBytes            *body,
              gboolean           reports,
              GError           **error)
{
  ConfabChatStreamParts parts = _confab_chat_stream_get_parts (self);
  ConfabMsrpReport report = reports ? CONFAB_MSRP_REPORT_YES : CONFAB_MSRP_REPORT_NO;
  g_autoptr (GBytes) payload = NULL;

  if (!parts.msrp) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, _("The chat is not connected"));
    return NULL;
  }
  if (private_to || use_cpim (&parts)) {
    char * const *wrapped = parts.remote_accept_wrapped_types;

    if (wrapped && wrapped[0] && !confab_msrp_sdp_accepts (wrapped, content_type)) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_REJECTED,
                   _("The other side does not take %s messages"), content_type);
      return NULL;
    }
    payload = wrap_cpim (&parts, private_to, content_type, body, error);
    if (!payload)
      return NULL;
    return confab_msrp_session_send (parts.msrp, CONFAB_CPIM_CONTENT_TYPE, payload, report,
                                     report, NULL, error);
  }
  if (!confab_msrp_sdp_accepts (parts.remote_accept_types, content_type)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_REJECTED,
                 _("The other side does not take %s messages"), content_type);
    return NULL;
  }
  return confab_msrp_session_send (parts.msrp, content_type, body, report, report, NULL, error);
}

/* Public messages and private ones in a room take this one path. */
static ConfabChatMessage *
send_message_to (ConfabChatStream  *self,
                 const char        *private_to,
                 const char        *content_type,
                 GBytes            *body,
                 GError           **error)
{
  ConfabChatStreamParts parts;
  g_autoptr (ConfabChatMessage) message = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *id = NULL;

  if (!is_text (content_type) && !is_image (content_type)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("%s cannot be sent as a chat message"), content_type);
    return NULL;
  }
  if (g_bytes_get_size (body) > (is_image (content_type) ? CONFAB_CHAT_MAX_IMAGE_SIZE
                                                         : MAX_CHAT_MESSAGE_SIZE)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The message is too large (%lu bytes)"),
                 (unsigned long) g_bytes_get_size (body));
    return NULL;
  }
  id = send_payload (self, private_to, content_type, body, TRUE, error);
  if (!id)
    return NULL;
  _confab_chat_stream_take_composing (self);

  parts = _confab_chat_stream_get_parts (self);
  now = g_date_time_new_now_local ();
  message = confab_chat_message_new (id, CONFAB_CHAT_DIRECTION_OUTGOING, parts.remote_uri,
                                     parts.local_uri, parts.local_display, content_type, body,
                                     now);
  confab_chat_message_set_state (message, CONFAB_CHAT_STATE_SENDING);
  confab_chat_message_set_recipient_uri (message, private_to);
  g_hash_table_replace (parts.outgoing, g_strdup (id), g_object_ref (message));
  g_list_store_append (parts.messages, message);
  return message;
}

/**
 * confab_chat_stream_send_message:
 * @content_type: "text/plain", "text/html", "image/png"…
 *
 * Queues a message; it is in the message model, state "sending", before
 * this returns, so it is stored even if the app quits before it leaves.
 *
 * Returns: (transfer none): the message
 */
ConfabChatMessage *
confab_chat_stream_send_message (ConfabChatStream  *self,
                                 const char        *content_type,
                                 GBytes            *body,
                                 GError           **error)
{
  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), NULL);
  g_return_val_if_fail (content_type != NULL && body != NULL, NULL);

  return send_message_to (self, NULL, content_type, body, error);
}

static GBytes *
text_body (const char  *text,
           GError     **error)
{
  if (!g_utf8_validate (text, -1, NULL)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("The text is not valid UTF-8"));
    return NULL;
  }
  return g_bytes_new (text, strlen (text));
}

/**
 * confab_chat_stream_send_text:
 *
 * Returns: (transfer none): the message
 */
ConfabChatMessage *
confab_chat_stream_send_text (ConfabChatStream  *self,
                              const char        *text,
                              GError           **error)
{
  g_autoptr (GBytes) body = NULL;

  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  body = text_body (text, error);
  if (!body)
    return NULL;
  return send_message_to (self, NULL, "text/plain", body, error);
}

static gboolean
is_sip_uri (const char *uri)
{
  g_autoptr (ConfabUri) parsed = confab_uri_parse (uri, NULL);

  return parsed && parsed->scheme != CONFAB_URI_SCHEME_TEL;
}

/**
 * confab_chat_stream_send_private_text:
 * @to_uri: the participant's sip: or sips: URI (as the room lists it)
 *
 * Returns: (transfer none): the message, its recipient @to_uri
 */
ConfabChatMessage *
confab_chat_stream_send_private_text (ConfabChatStream  *self,
                                      const char        *to_uri,
                                      const char        *text,
                                      GError           **error)
{
  g_autoptr (GBytes) body = NULL;

  g_return_val_if_fail (CONFAB_IS_CHAT_STREAM (self), NULL);
  g_return_val_if_fail (to_uri != NULL && text != NULL, NULL);

  if (!confab_chat_stream_has_chatroom_feature (self, "private-messages")) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("This chat does not allow private messages"));
    return NULL;
  }
  if (!is_sip_uri (to_uri)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("“%s” is not a SIP address"), to_uri);
    return NULL;
  }
  body = text_body (text, error);
  if (!body)
    return NULL;
  return send_message_to (self, to_uri, "text/plain", body, error);
}

void
_confab_chat_stream_send_composing (ConfabChatStream *self,
                                    gboolean          composing)
{
  g_autoptr (ConfabIsComposing) doc =
    confab_is_composing_new (composing ? CONFAB_COMPOSING_STATE_ACTIVE : CONFAB_COMPOSING_STATE_IDLE);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr (GBytes) body = NULL;
  char *xml;

  xml = confab_is_composing_to_xml (doc, &error);
  if (xml) {
    body = g_bytes_new_take (xml, strlen (xml));
    /* No reports either way (as Blink): a lost indication just expires. */
    id = send_payload (self, NULL, CONFAB_IS_COMPOSING_CONTENT_TYPE, body, FALSE, &error);
  }
  if (!id)
    g_debug ("is-composing not sent: %s", error ? error->message : "");
}

static void
on_composing_received (ConfabChatStream *self,
                       GBytes           *body)
{
  g_autoptr (ConfabIsComposing) doc = NULL;
  g_autoptr (GError) error = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  doc = confab_is_composing_parse (data ? data : "", len, &error);
  if (!doc) {
    g_info ("chat: ignoring an is-composing document: %s", error->message);
    return;
  }
  _confab_chat_stream_set_remote_composing (self, doc->state == CONFAB_COMPOSING_STATE_ACTIVE,
                                            confab_is_composing_get_timeout (doc));
}

static void
add_status_line (ConfabChatStream *self,
                 const char       *text)
{
  ConfabChatStreamParts parts = _confab_chat_stream_get_parts (self);
  g_autoptr (GBytes) body = g_bytes_new (text, strlen (text));
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *id = g_strdup_printf ("status-%" G_GINT64_FORMAT, g_get_real_time ());
  g_autoptr (ConfabChatMessage) message =
    confab_chat_message_new (id, CONFAB_CHAT_DIRECTION_STATUS, parts.remote_uri, NULL, NULL,
                             "text/plain", body, now);

  g_list_store_append (parts.messages, message);
}

static gboolean
same_address (const char *a,
              const char *b)
{
  g_autoptr (ConfabUri) uri_a = confab_uri_parse (a, NULL);
  g_autoptr (ConfabUri) uri_b = confab_uri_parse (b, NULL);

  if (!uri_a || !uri_b)
    return g_ascii_strcasecmp (a, b) == 0;
  return g_strcmp0 (uri_a->user, uri_b->user) == 0 &&
         g_ascii_strcasecmp (uri_a->host, uri_b->host) == 0;
}

/* In a room, a CPIM To other than the room is a private message (to us). */
static const char *
private_recipient (const ConfabChatStreamParts *parts,
                   const ConfabCpimMessage     *cpim)
{
  const ConfabCpimAddress *to;

  if (!cpim || !parts->chatroom_features || !parts->remote_uri || cpim->to->len == 0)
    return NULL;
  to = g_ptr_array_index (cpim->to, 0);
  return same_address (to->uri, parts->remote_uri) ? NULL : to->uri;
}

/* SylkServer's room notices ("… has joined the room"): agp.Message-Type:
 * status, whatever prefix NS gives urn:ag-projects:xml:ns:cpim. */
static gboolean
is_room_notice (const ConfabCpimMessage *cpim)
{
  const char *type = cpim ? confab_cpim_message_get_header (cpim, CONFAB_CPIM_NS_AG_PROJECTS,
                                                            "Message-Type")
                          : NULL;

  return type && g_ascii_strcasecmp (type, "status") == 0;
}

/* @cpim: the envelope @body came in, or NULL */
static void
deliver (ConfabChatStream        *self,
         const char              *id,
         const char              *content_type,
         GBytes                  *body,
         const ConfabCpimMessage *cpim)
{
  ConfabChatStreamParts parts = _confab_chat_stream_get_parts (self);
  const char *sender_uri = cpim && cpim->from ? cpim->from->uri : NULL;
  const char *sender_display = cpim && cpim->from ? cpim->from->display_name : NULL;
  GDateTime *timestamp = cpim ? cpim->date_time : NULL;
  gboolean notice = is_room_notice (cpim);
  g_autoptr (ConfabChatMessage) message = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GBytes) empty = NULL;

  if (has_type (content_type, CONFAB_IS_COMPOSING_CONTENT_TYPE)) {
    on_composing_received (self, body);
    return;
  }
  if (!is_text (content_type) && !is_image (content_type)) {
    g_info ("chat: ignoring a %s message", content_type);
    return;
  }
  if (!body)
    body = empty = g_bytes_new_static ("", 0);
  if (is_text (content_type) && is_otr (body)) {
    g_info ("chat: hiding an OTR negotiation message");
    return;
  }
  if (is_image (content_type) && g_bytes_get_size (body) > CONFAB_CHAT_MAX_IMAGE_SIZE) {
    g_autofree char *size = g_format_size (g_bytes_get_size (body));
    g_autofree char *text = g_strdup_printf (_("An image of %s was too large to show"), size);

    add_status_line (self, text);
    return;
  }
  if (!timestamp)
    timestamp = now = g_date_time_new_now_local ();
  message = confab_chat_message_new (id,
                                     notice ? CONFAB_CHAT_DIRECTION_STATUS
                                            : CONFAB_CHAT_DIRECTION_INCOMING,
                                     parts.remote_uri,
                                     sender_uri ? sender_uri : parts.remote_uri,
                                     sender_uri ? sender_display : parts.remote_display,
                                     content_type, body, timestamp);
  confab_chat_message_set_state (message, CONFAB_CHAT_STATE_RECEIVED);
  confab_chat_message_set_recipient_uri (message, private_recipient (&parts, cpim));
  if (notice)
    confab_chat_message_set_status_kind (message, CONFAB_CHAT_STATUS_KIND_ROOM_NOTICE);
  g_list_store_append (parts.messages, message);
  /* A room notice is a status line, not a message someone wrote. */
  if (notice)
    return;
  /* A message ends the peer's "active" (RFC 3994 §3.3). */
  _confab_chat_stream_set_remote_composing (self, FALSE, 0);
  _confab_chat_stream_emit_received (self, message);
}

static void
on_message_received (ConfabMsrpSession *msrp,
                     ConfabMsrpMessage *send,
                     ConfabChatStream  *self)
{
  g_autoptr (ConfabCpimMessage) cpim = NULL;
  g_autoptr (GError) error = NULL;
  const char *content_type = send->content_type ? send->content_type : "text/plain";

  if (!has_type (content_type, CONFAB_CPIM_CONTENT_TYPE)) {
    deliver (self, send->message_id, content_type, send->body, NULL);
    return;
  }
  if (!send->body) {
    g_info ("chat: empty CPIM message");
    return;
  }
  cpim = confab_cpim_message_parse (send->body, &error);
  if (!cpim) {
    g_info ("chat: unreadable CPIM message: %s", error->message);
    return;
  }
  deliver (self, send->message_id, cpim->content_type ? cpim->content_type : "text/plain",
           cpim->body, cpim);
}

static ConfabChatMessage *
find_outgoing (ConfabChatStream *self,
               const char       *id)
{
  ConfabChatStreamParts parts = _confab_chat_stream_get_parts (self);

  return id ? g_hash_table_lookup (parts.outgoing, id) : NULL;
}

static void
on_message_sent (ConfabMsrpSession *msrp,
                 const char        *id,
                 ConfabChatStream  *self)
{
  ConfabChatMessage *message = find_outgoing (self, id);

  if (message && confab_chat_message_get_state (message) == CONFAB_CHAT_STATE_SENDING)
    confab_chat_message_set_state (message, CONFAB_CHAT_STATE_SENT);
}

static void
finish (ConfabChatStream *self,
        const char       *id,
        ConfabChatState   state,
        const char       *error)
{
  ConfabChatStreamParts parts = _confab_chat_stream_get_parts (self);
  ConfabChatMessage *message = find_outgoing (self, id);

  if (!message)
    return;
  if (error)
    confab_chat_message_set_error (message, error);
  confab_chat_message_set_state (message, state);
  g_hash_table_remove (parts.outgoing, id);
}

static void
on_message_report (ConfabMsrpSession *msrp,
                   const char        *id,
                   guint              status,
                   const char        *comment,
                   ConfabChatStream  *self)
{
  if (status == 200) {
    finish (self, id, CONFAB_CHAT_STATE_DELIVERED, NULL);
  } else {
    g_autofree char *reason = g_strdup_printf (_("Not delivered: %u %s"), status,
                                               comment ? comment : "");
    finish (self, id, CONFAB_CHAT_STATE_FAILED, reason);
  }
}

static void
on_message_failed (ConfabMsrpSession *msrp,
                   const char        *id,
                   guint              status,
                   const char        *reason,
                   ConfabChatStream  *self)
{
  g_autofree char *text = g_strdup_printf ("%u %s", status, reason ? reason : "");

  finish (self, id, CONFAB_CHAT_STATE_FAILED, text);
}

void
_confab_chat_stream_connect_messages (ConfabChatStream *self)
{
  ConfabChatStreamParts parts = _confab_chat_stream_get_parts (self);

  g_signal_connect_object (parts.msrp, "message-received", G_CALLBACK (on_message_received),
                           self, 0);
  g_signal_connect_object (parts.msrp, "message-sent", G_CALLBACK (on_message_sent), self, 0);
  g_signal_connect_object (parts.msrp, "message-report", G_CALLBACK (on_message_report), self, 0);
  g_signal_connect_object (parts.msrp, "message-failed", G_CALLBACK (on_message_failed), self, 0);
}

void
_confab_chat_stream_fail_pending (ConfabChatStream *self,
                                  const char       *reason)
{
  ConfabChatStreamParts parts = _confab_chat_stream_get_parts (self);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, parts.outgoing);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    ConfabChatMessage *message = value;

    if (confab_chat_message_get_state (message) == CONFAB_CHAT_STATE_SENDING) {
      confab_chat_message_set_error (message, reason);
      confab_chat_message_set_state (message, CONFAB_CHAT_STATE_FAILED);
    }
  }
  g_hash_table_remove_all (parts.outgoing);
}
