/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "im/confab-chat-stream.h"
#include "im/confab-cpim.h"
#include "msrp/confab-msrp-endpoint.h"
#include "msrp/confab-msrp-session.h"
#include "sdp/confab-sdp.h"
#include "confab-error.h"
#include "confab-stream.h"

#include <stdio.h>
#include <string.h>

/* Chat rooms (RFC 7701) in one process on 127.0.0.1: a ConfabChatStream
 * joins a room played by a bare ConfabMsrpSession that answers like
 * SylkServer (a=chatroom, CPIM only, NICKNAME, private messages, notices
 * with agp.Message-Type: status). */

#define WAIT_SECONDS 20

#define OUR_URI  "sip:carol@127.0.0.1"
#define ROOM_URI "sip:room1@conference.rig.test"
#define DAVE_URI "sip:dave@127.0.0.1"
#define FEATURES \
  "nickname private-messages com.ag-projects.screen-sharing com.ag-projects.zrtp-sas"

/* SylkServer's answer to Blink joining room1 (wire sample), its path ours
 * to fill in. */
#define ROOM_ANSWER \
  "v=0\r\n" \
  "o=- 4004251274 4004251275 IN IP4 127.0.0.1\r\n" \
  "s=SylkServer-6.6.1\r\n" \
  "t=0 0\r\n" \
  "m=message %u TCP/MSRP *\r\n" \
  "c=IN IP4 127.0.0.1\r\n" \
  "a=path:%s\r\n" \
  "a=accept-types:message/cpim\r\n" \
  "a=accept-wrapped-types:*\r\n" \
  "a=setup:passive\r\n" \
  "%s"

/* A room notice as SylkServer sent it (Byte-Range 1-343/343): CRLF in
 * the CPIM headers, bare LF in the MIME part from Python's email module. */
static const char sylk_status[] =
  "From: Conference Room <sip:room1@conference.rig.test>\r\n"
  "To: Conference Room <sip:room1@conference.rig.test>\r\n"
  "DateTime: 2026-11-21T12:01:24.749185+00:00\r\n"
  "NS: agp <urn:ag-projects:xml:ns:cpim>\r\n"
  "agp.Message-Type: status\r\n"
  "\r\n"
  "MIME-Version: 1.0\n"
  "Content-Type: text/plain; charset=\"utf8\"\n"
  "\n"
  "carol <carol@127.0.0.1> has uploaded file hello-1.txt (68 bytes)";

/* Main loop helpers */

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_wait_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (Condition condition,
          gpointer  data)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, on_wait_timeout, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("timed out waiting");
  g_source_remove (id);
}

static gboolean
on_spin_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, on_spin_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  GListModel *model;
  guint       length;
} CountWait;

static gboolean
count_reached (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->model) >= wait->length;
}

static void
wait_items (GListModel *model,
            guint       length)
{
  CountWait wait = { model, length };

  wait_for (count_reached, &wait);
}

typedef struct
{
  GPtrArray *array;
  guint      length;
} ArrayWait;

static gboolean
array_reached (gpointer data)
{
  ArrayWait *wait = data;

  return wait->array->len >= wait->length;
}

static void
wait_array (GPtrArray *array,
            guint      length)
{
  ArrayWait wait = { array, length };

  wait_for (array_reached, &wait);
}

/* The room */

typedef struct
{
  ConfabMsrpEndpoint *endpoint;
  ConfabMsrpEndpoint *room_endpoint;
  ConfabChatStream   *chat;
  ConfabMsrpSession  *room;
  GPtrArray          *room_received; /* ConfabMsrpMessage*: what reached the room */
  GPtrArray          *room_requests; /* ConfabMsrpMessage*: NICKNAMEs */
  GPtrArray          *delivered;     /* ConfabChatMessage*: "message-received" */
  guint               nickname_notifies;
} Room;

static void
on_room_message (ConfabMsrpSession *room,
                 ConfabMsrpMessage *message,
                 Room              *fixture)
{
  g_ptr_array_add (fixture->room_received, confab_msrp_message_ref (message));
}

/* As a room would: "taken" is someone else's, "root" is not allowed. */
static guint
on_room_request (ConfabMsrpSession *room,
                 ConfabMsrpMessage *request,
                 Room              *fixture)
{
  const char *nickname = confab_msrp_message_get_header (request, "Use-Nickname");

  g_ptr_array_add (fixture->room_requests, confab_msrp_message_ref (request));
  if (request->method != CONFAB_MSRP_METHOD_NICKNAME)
    return 0;
  if (g_strcmp0 (nickname, "\"taken\"") == 0)
    return 425;
  if (g_strcmp0 (nickname, "\"root\"") == 0)
    return 403;
  return 200;
}

static void
on_delivered (ConfabChatStream  *chat,
              ConfabChatMessage *message,
              Room              *fixture)
{
  g_ptr_array_add (fixture->delivered, g_object_ref (message));
}

static void
on_nickname_notify (ConfabChatStream *chat,
                    GParamSpec       *pspec,
                    Room             *fixture)
{
  fixture->nickname_notifies++;
}

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  gboolean *done = data;
  g_autoptr (GError) error = NULL;

  g_assert_true (confab_msrp_session_prepare_finish (CONFAB_MSRP_SESSION (source), result,
                                                     &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
stream_ready (gpointer data)
{
  return confab_stream_is_ready (data);
}

static gboolean
both_connected (gpointer data)
{
  Room *fixture = data;

  return confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (fixture->chat)) &&
         confab_msrp_session_get_state (fixture->room) == CONFAB_MSRP_SESSION_STATE_CONNECTED;
}

/* Our chat stream, prepared, with our offer. */
static ConfabChatStream *
chat_new (ConfabMsrpEndpoint  *endpoint,
          ConfabSdpMedia     **offer)
{
  ConfabChatStream *chat = confab_chat_stream_new (endpoint, FALSE);
  g_autoptr (GError) error = NULL;

  confab_chat_stream_set_identities (chat, OUR_URI, "carol", ROOM_URI, "Conference Room");
  g_assert_true (confab_stream_prepare (CONFAB_STREAM (chat), NULL, NULL, &error));
  g_assert_no_error (error);
  wait_for (stream_ready, chat);
  *offer = confab_stream_create_offer (CONFAB_STREAM (chat), "127.0.0.1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (*offer);
  return chat;
}

static ConfabSdp *
room_answer (const char *path,
             const char *chatroom_line)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  unsigned port = 0;
  ConfabSdp *sdp;

  g_assert_cmpint (sscanf (path, "msrp://127.0.0.1:%u/", &port), ==, 1);
  text = g_strdup_printf (ROOM_ANSWER, port, path, chatroom_line);
  sdp = confab_sdp_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  return sdp;
}

static void
room_setup (Room *fixture)
{
  g_autoptr (ConfabSdpMedia) offer = NULL;
  g_autoptr (ConfabSdp) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *room_path = NULL;
  gboolean prepared = FALSE;

  fixture->endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  fixture->room_endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  fixture->room_received =
    g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  fixture->room_requests =
    g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_message_unref);
  fixture->delivered = g_ptr_array_new_with_free_func (g_object_unref);

  fixture->room = confab_msrp_endpoint_create_session (fixture->room_endpoint, FALSE);
  g_signal_connect (fixture->room, "message-received", G_CALLBACK (on_room_message), fixture);
  g_signal_connect (fixture->room, "request-received", G_CALLBACK (on_room_request), fixture);
  confab_msrp_session_prepare_async (fixture->room, NULL, on_prepared, &prepared);
  wait_for (flag_set, &prepared);
  room_path = confab_msrp_session_dup_local_path (fixture->room);

  fixture->chat = chat_new (fixture->endpoint, &offer);
  g_signal_connect (fixture->chat, "message-received", G_CALLBACK (on_delivered), fixture);
  g_signal_connect (fixture->chat, "notify::nickname", G_CALLBACK (on_nickname_notify), fixture);
  g_assert_null (confab_chat_stream_get_chatroom_features (fixture->chat));
  answer = room_answer (room_path, "a=chatroom:" FEATURES "\r\n");
  g_assert_true (confab_stream_apply_answer (CONFAB_STREAM (fixture->chat), answer,
                                             g_ptr_array_index (answer->media, 0), &error));
  g_assert_no_error (error);

  /* The room waits (setup:passive); we connect. */
  g_assert_true (confab_msrp_session_start (fixture->room,
                                            confab_sdp_media_get_attribute (offer, "path"),
                                            CONFAB_MSRP_SETUP_PASSIVE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (confab_stream_start (CONFAB_STREAM (fixture->chat), &error));
  g_assert_no_error (error);
  wait_for (both_connected, fixture);
}

static void
room_teardown (Room *fixture)
{
  confab_stream_stop (CONFAB_STREAM (fixture->chat));
  confab_msrp_session_close (fixture->room);
  spin (20);
  g_signal_handlers_disconnect_by_data (fixture->chat, fixture);
  g_clear_object (&fixture->chat);
  g_signal_handlers_disconnect_by_data (fixture->room, fixture);
  g_clear_object (&fixture->room);
  spin (20);
  g_clear_object (&fixture->endpoint);
  g_clear_object (&fixture->room_endpoint);
  g_clear_pointer (&fixture->room_received, g_ptr_array_unref);
  g_clear_pointer (&fixture->room_requests, g_ptr_array_unref);
  g_clear_pointer (&fixture->delivered, g_ptr_array_unref);
}

/* What the room got from us, unwrapped. */
static ConfabCpimMessage *
room_cpim (Room  *fixture,
           guint  index)
{
  ConfabMsrpMessage *send;
  g_autoptr (GError) error = NULL;
  ConfabCpimMessage *cpim;

  wait_array (fixture->room_received, index + 1);
  send = g_ptr_array_index (fixture->room_received, index);
  g_assert_cmpstr (send->content_type, ==, "message/cpim");
  cpim = confab_cpim_message_parse (send->body, &error);
  g_assert_no_error (error);
  return cpim;
}

static void
room_says (Room       *fixture,
           const char *cpim)
{
  g_autoptr (GBytes) body = g_bytes_new (cpim, strlen (cpim));
  g_autoptr (GError) error = NULL;
  g_autofree char *id = confab_msrp_session_send (fixture->room, "message/cpim", body,
                                                  CONFAB_MSRP_REPORT_YES, CONFAB_MSRP_REPORT_YES,
                                                  NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
}

/* Nickname requests */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Outcome;

static void
on_nickname_set (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Outcome *outcome = data;

  outcome->ok = confab_chat_stream_set_nickname_finish (CONFAB_CHAT_STREAM (source), result,
                                                        &outcome->error);
  outcome->done = TRUE;
}

static gboolean
outcome_done (gpointer data)
{
  return ((Outcome *) data)->done;
}

/* TRUE, or FALSE with the error in @error */
static gboolean
set_nickname (ConfabChatStream  *chat,
              const char        *nickname,
              GError           **error)
{
  Outcome outcome = { 0 };

  confab_chat_stream_set_nickname_async (chat, nickname, NULL, on_nickname_set, &outcome);
  wait_for (outcome_done, &outcome);
  g_assert_true (outcome.ok == (outcome.error == NULL));
  if (outcome.error)
    g_propagate_error (error, outcome.error);
  return outcome.ok;
}

/* Tests */

static void
test_features (void)
{
  Room fixture = { 0 };
  const char *const expected[] = {
    "nickname", "private-messages", "com.ag-projects.screen-sharing",
    "com.ag-projects.zrtp-sas", NULL
  };
  const char *const *features;

  room_setup (&fixture);
  features = confab_chat_stream_get_chatroom_features (fixture.chat);
  g_assert_nonnull (features);
  g_assert_true (g_strv_equal (features, expected));
  g_assert_true (confab_chat_stream_has_chatroom_feature (fixture.chat, "nickname"));
  g_assert_true (confab_chat_stream_has_chatroom_feature (fixture.chat, "private-messages"));
  g_assert_false (confab_chat_stream_has_chatroom_feature (fixture.chat, "file-transfer"));
  g_assert_null (confab_chat_stream_get_nickname (fixture.chat));
  room_teardown (&fixture);
}

/* A peer that is not a room: no features, so no nicknames and no private
 * messages. And a room's offer: read, not echoed in our answer. */
static void
test_not_a_room (void)
{
  g_autoptr (ConfabMsrpEndpoint) endpoint = confab_msrp_endpoint_new ("127.0.0.1");
  g_autoptr (ConfabSdpMedia) offer = NULL;
  g_autoptr (ConfabSdp) answer = NULL;
  g_autoptr (ConfabSdp) room_offer = NULL;
  g_autoptr (ConfabSdpMedia) our_answer = NULL;
  g_autoptr (ConfabChatStream) chat = chat_new (endpoint, &offer);
  g_autoptr (ConfabChatStream) answerer = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_false (confab_sdp_media_has_attribute (offer, "chatroom"));
  answer = room_answer ("msrp://127.0.0.1:9/nosuchsession;tcp", "");
  g_assert_true (confab_stream_apply_answer (CONFAB_STREAM (chat), answer,
                                             g_ptr_array_index (answer->media, 0), &error));
  g_assert_no_error (error);
  g_assert_null (confab_chat_stream_get_chatroom_features (chat));
  g_assert_false (confab_chat_stream_has_chatroom_feature (chat, "nickname"));
  g_assert_false (set_nickname (chat, "carol", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (confab_chat_stream_send_private_text (chat, DAVE_URI, "psst", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  confab_stream_stop (CONFAB_STREAM (chat));

  /* the room offers */
  room_offer = room_answer ("msrp://127.0.0.1:9/roomoffer;tcp", "a=chatroom:nickname\r\n");
  answerer = confab_chat_stream_new (endpoint, FALSE);
  g_assert_true (confab_stream_prepare (CONFAB_STREAM (answerer), room_offer,
                                        g_ptr_array_index (room_offer->media, 0), &error));
  g_assert_no_error (error);
  wait_for (stream_ready, answerer);
  our_answer = confab_stream_create_answer (CONFAB_STREAM (answerer), room_offer,
                                            g_ptr_array_index (room_offer->media, 0), "127.0.0.1",
                                            &error);
  g_assert_no_error (error);
  g_assert_nonnull (our_answer);
  g_assert_false (confab_sdp_media_has_attribute (our_answer, "chatroom"));
  g_assert_true (confab_chat_stream_has_chatroom_feature (answerer, "nickname"));
  g_assert_false (confab_chat_stream_has_chatroom_feature (answerer, "private-messages"));
  confab_stream_stop (CONFAB_STREAM (answerer));
  spin (10);
}

static void
test_nickname (void)
{
  Room fixture = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *longest = g_strnfill (64, 'x');
  g_autofree char *too_long = g_strnfill (65, 'x');
  ConfabMsrpMessage *request;

  room_setup (&fixture);

  g_assert_true (set_nickname (fixture.chat, "Carol \"C\" Ann", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (confab_chat_stream_get_nickname (fixture.chat), ==, "Carol \"C\" Ann");
  g_assert_cmpuint (fixture.nickname_notifies, ==, 1);
  g_assert_cmpuint (fixture.room_requests->len, ==, 1);
  request = g_ptr_array_index (fixture.room_requests, 0);
  g_assert_cmpint (request->method, ==, CONFAB_MSRP_METHOD_NICKNAME);
  g_assert_cmpstr (confab_msrp_message_get_header (request, "Use-Nickname"), ==,
                   "\"Carol \\\"C\\\" Ann\"");
  g_assert_null (request->message_id);
  g_assert_false (request->has_byte_range);
  g_assert_cmpint (request->success_report, ==, CONFAB_MSRP_REPORT_UNSET);
  g_assert_cmpint (request->failure_report, ==, CONFAB_MSRP_REPORT_UNSET);

  /* 425: someone has it; the name we had stays */
  g_assert_false (set_nickname (fixture.chat, "taken", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_IN_USE);
  g_assert_cmpstr (error->message, ==, "The nickname “taken” is taken");
  g_clear_error (&error);
  g_assert_cmpstr (confab_chat_stream_get_nickname (fixture.chat), ==, "Carol \"C\" Ann");
  g_assert_cmpuint (fixture.nickname_notifies, ==, 1);

  /* 403 */
  g_assert_false (set_nickname (fixture.chat, "root", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "403"));
  g_clear_error (&error);

  /* refused before anything goes out */
  g_assert_false (set_nickname (fixture.chat, "", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (set_nickname (fixture.chat, too_long, &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (set_nickname (fixture.chat, "tab\there", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (set_nickname (fixture.chat, "bad\xff", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (fixture.room_requests->len, ==, 3);

  /* 64 bytes is fine; a multi-byte name too */
  g_assert_true (set_nickname (fixture.chat, longest, &error));
  g_assert_true (set_nickname (fixture.chat, "Çarol 🎈", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (confab_chat_stream_get_nickname (fixture.chat), ==, "Çarol 🎈");
  g_assert_cmpuint (fixture.nickname_notifies, ==, 3);

  /* the chat is over */
  confab_stream_stop (CONFAB_STREAM (fixture.chat));
  g_assert_false (set_nickname (fixture.chat, "late", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED);
  g_clear_error (&error);
  room_teardown (&fixture);
}

/* We are not a room: a NICKNAME to us is answered 501. */
static void
on_nickname_answered (GObject      *source,
                      GAsyncResult *result,
                      gpointer      data)
{
  guint *status = data;
  g_autoptr (GError) error = NULL;

  *status = confab_msrp_session_send_nickname_finish (CONFAB_MSRP_SESSION (source), result,
                                                      &error);
  g_assert_no_error (error);
}

static gboolean
status_set (gpointer data)
{
  return *(guint *) data != 0;
}

static void
test_incoming_nickname (void)
{
  Room fixture = { 0 };
  guint status = 0;

  room_setup (&fixture);
  confab_msrp_session_send_nickname_async (fixture.room, "room", NULL, on_nickname_answered,
                                           &status);
  wait_for (status_set, &status);
  g_assert_cmpuint (status, ==, 501);
  g_assert_cmpuint (g_list_model_get_n_items (confab_chat_stream_get_messages (fixture.chat)),
                    ==, 0);
  room_teardown (&fixture);
}

static ConfabChatMessage *
message_at (Room  *fixture,
            guint  count)
{
  GListModel *messages = confab_chat_stream_get_messages (fixture->chat);
  ConfabChatMessage *message;

  wait_items (messages, count);
  g_assert_cmpuint (g_list_model_get_n_items (messages), ==, count);
  message = g_list_model_get_item (messages, count - 1);
  g_object_unref (message); /* the model holds it */
  return message;
}

static void
test_send (void)
{
  Room fixture = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabCpimMessage) public = NULL;
  g_autoptr (ConfabCpimMessage) private = NULL;
  ConfabCpimAddress *to;
  ConfabChatMessage *message;

  room_setup (&fixture);

  /* to everyone: To the room */
  message = confab_chat_stream_send_text (fixture.chat, "Hello room", &error);
  g_assert_no_error (error);
  g_assert_null (confab_chat_message_get_recipient_uri (message));
  g_assert_false (confab_chat_message_is_private (message));
  public = room_cpim (&fixture, 0);
  g_assert_cmpstr (public->from->uri, ==, OUR_URI);
  g_assert_cmpstr (public->from->display_name, ==, "carol");
  g_assert_cmpuint (public->to->len, ==, 1);
  to = g_ptr_array_index (public->to, 0);
  g_assert_cmpstr (to->uri, ==, ROOM_URI);

  /* to dave alone: To dave, From still exactly us */
  message = confab_chat_stream_send_private_text (fixture.chat, DAVE_URI, "psst, dave", &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_assert_cmpint (confab_chat_message_get_direction (message), ==,
                   CONFAB_CHAT_DIRECTION_OUTGOING);
  g_assert_cmpstr (confab_chat_message_get_recipient_uri (message), ==, DAVE_URI);
  g_assert_true (confab_chat_message_is_private (message));
  g_assert_cmpstr (confab_chat_message_get_conversation (message), ==, ROOM_URI);
  g_assert_cmpstr (confab_chat_message_get_text (message), ==, "psst, dave");
  private = room_cpim (&fixture, 1);
  g_assert_cmpstr (private->from->uri, ==, OUR_URI);
  g_assert_cmpstr (private->from->display_name, ==, "carol");
  g_assert_cmpuint (private->to->len, ==, 1);
  to = g_ptr_array_index (private->to, 0);
  g_assert_cmpstr (to->uri, ==, DAVE_URI);
  g_assert_cmpstr (private->content_type, ==, "text/plain");
  g_assert_cmpmem (g_bytes_get_data (private->body, NULL), g_bytes_get_size (private->body),
                   "psst, dave", 10);
  g_assert_cmpuint (g_list_model_get_n_items (confab_chat_stream_get_messages (fixture.chat)),
                    ==, 2);

  /* not a SIP address */
  g_assert_null (confab_chat_stream_send_private_text (fixture.chat, "dave", "hi", &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (confab_chat_stream_send_private_text (fixture.chat, "tel:+15551234", "hi",
                                                       &error));
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (confab_chat_stream_get_messages (fixture.chat)),
                    ==, 2);
  room_teardown (&fixture);
}

static void
test_receive (void)
{
  Room fixture = { 0 };
  ConfabChatMessage *message;

  room_setup (&fixture);

  /* dave to everyone (as SylkServer relays it) */
  room_says (&fixture,
             "From: dave <sip:dave@127.0.0.1>\r\n"
             "To: <sip:room1@conference.rig.test>\r\n"
             "DateTime: 2026-11-21T12:01:23.191311+00:00\r\n"
             "\r\n"
             "MIME-Version: 1.0\n"
             "Content-Type: text/plain; charset=\"utf8\"\n"
             "\n"
             "Hi carol, dave here");
  message = message_at (&fixture, 1);
  g_assert_cmpint (confab_chat_message_get_direction (message), ==,
                   CONFAB_CHAT_DIRECTION_INCOMING);
  g_assert_cmpstr (confab_chat_message_get_sender_uri (message), ==, DAVE_URI);
  g_assert_cmpstr (confab_chat_message_get_sender_display (message), ==, "dave");
  g_assert_cmpstr (confab_chat_message_get_conversation (message), ==, ROOM_URI);
  g_assert_cmpstr (confab_chat_message_get_text (message), ==, "Hi carol, dave here");
  g_assert_false (confab_chat_message_is_private (message));
  g_assert_cmpuint (fixture.delivered->len, ==, 1);

  /* dave to us alone */
  room_says (&fixture,
             "From: dave <sip:dave@127.0.0.1>\r\n"
             "To: <sip:carol@127.0.0.1>\r\n"
             "\r\n"
             "Content-Type: text/plain\r\n"
             "\r\n"
             "just for you");
  message = message_at (&fixture, 2);
  g_assert_cmpint (confab_chat_message_get_direction (message), ==,
                   CONFAB_CHAT_DIRECTION_INCOMING);
  g_assert_cmpstr (confab_chat_message_get_sender_uri (message), ==, DAVE_URI);
  g_assert_true (confab_chat_message_is_private (message));
  g_assert_cmpstr (confab_chat_message_get_recipient_uri (message), ==, OUR_URI);
  g_assert_cmpstr (confab_chat_message_get_text (message), ==, "just for you");
  g_assert_cmpuint (fixture.delivered->len, ==, 2);

  /* a notice under another prefix for the same namespace */
  room_says (&fixture,
             "From: Conference Room <sip:room1@conference.rig.test>\r\n"
             "To: Conference Room <sip:room1@conference.rig.test>\r\n"
             "NS: sylk <urn:ag-projects:xml:ns:cpim>\r\n"
             "sylk.Message-Type: status\r\n"
             "\r\n"
             "Content-Type: text/plain\r\n"
             "\r\n"
             "dave has joined the room");
  message = message_at (&fixture, 3);
  g_assert_cmpint (confab_chat_message_get_direction (message), ==,
                   CONFAB_CHAT_DIRECTION_STATUS);
  g_assert_cmpstr (confab_chat_message_get_text (message), ==, "dave has joined the room");
  g_assert_false (confab_chat_message_is_private (message));
  g_assert_cmpuint (fixture.delivered->len, ==, 2); /* a status line, not a message */

  /* the prefix without its namespace is no notice */
  room_says (&fixture,
             "From: Conference Room <sip:room1@conference.rig.test>\r\n"
             "To: Conference Room <sip:room1@conference.rig.test>\r\n"
             "NS: agp <urn:example:other>\r\n"
             "agp.Message-Type: status\r\n"
             "\r\n"
             "Content-Type: text/plain\r\n"
             "\r\n"
             "Welcome!");
  message = message_at (&fixture, 4);
  g_assert_cmpint (confab_chat_message_get_direction (message), ==,
                   CONFAB_CHAT_DIRECTION_INCOMING);
  g_assert_cmpstr (confab_chat_message_get_sender_display (message), ==, "Conference Room");
  g_assert_cmpuint (fixture.delivered->len, ==, 3);
  room_teardown (&fixture);
}

/* The bytes SylkServer sent. */
static void
test_sylkserver_notice (void)
{
  Room fixture = { 0 };
  ConfabChatMessage *message;
  g_autoptr (GDateTime) when = NULL;

  g_assert_cmpuint (strlen (sylk_status), ==, 343);
  room_setup (&fixture);
  room_says (&fixture, sylk_status);
  message = message_at (&fixture, 1);
  g_assert_cmpint (confab_chat_message_get_direction (message), ==,
                   CONFAB_CHAT_DIRECTION_STATUS);
  g_assert_cmpstr (confab_chat_message_get_text (message), ==,
                   "carol <carol@127.0.0.1> has uploaded file hello-1.txt (68 bytes)");
  g_assert_cmpstr (confab_chat_message_get_sender_uri (message), ==, ROOM_URI);
  g_assert_cmpstr (confab_chat_message_get_sender_display (message), ==, "Conference Room");
  g_assert_false (confab_chat_message_is_private (message));
  when = g_date_time_new_utc (2026, 11, 21, 12, 1, 24.749185);
  g_assert_cmpint (g_date_time_to_unix (confab_chat_message_get_timestamp (message)), ==,
                   g_date_time_to_unix (when));
  g_assert_cmpuint (fixture.delivered->len, ==, 0);
  room_teardown (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/chat-room/features", test_features);
  g_test_add_func ("/chat-room/not-a-room", test_not_a_room);
  g_test_add_func ("/chat-room/nickname", test_nickname);
  g_test_add_func ("/chat-room/incoming-nickname", test_incoming_nickname);
  g_test_add_func ("/chat-room/send", test_send);
  g_test_add_func ("/chat-room/receive", test_receive);
  g_test_add_func ("/chat-room/sylkserver-notice", test_sylkserver_notice);

  return g_test_run ();
}
