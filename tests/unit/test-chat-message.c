/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-enums.h"
#include "im/confab-chat-message.h"

#include <string.h>

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static ConfabChatMessage *
message_with_body (const char *content_type,
                   const void *data,
                   gsize       length)
{
  g_autoptr (GBytes) body = g_bytes_new (data, length);

  return confab_chat_message_new ("id-1", CONFAB_CHAT_DIRECTION_INCOMING, "sip:bob@example.org",
                                  "sip:bob@example.org", "Bob", content_type, body, NULL);
}

static void
test_chat_message_properties (void)
{
  g_autoptr (GBytes) body = g_bytes_new_static ("hello", 5);
  g_autoptr (GDateTime) when = g_date_time_new_utc (2024, 5, 6, 7, 8, 9.5);
  g_autoptr (ConfabChatMessage) message = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sender = NULL;
  g_autoptr (GDateTime) got_when = NULL;
  ConfabChatDirection direction;
  ConfabChatState state;
  gint64 row_id = -1;

  message = confab_chat_message_new ("msg-42", CONFAB_CHAT_DIRECTION_OUTGOING,
                                     "sip:bob@example.org", "sip:alice@example.org", "Alice",
                                     "text/plain", body, when);
  g_assert_cmpstr (confab_chat_message_get_id (message), ==, "msg-42");
  g_assert_cmpint (confab_chat_message_get_direction (message), ==, CONFAB_CHAT_DIRECTION_OUTGOING);
  g_assert_cmpstr (confab_chat_message_get_conversation (message), ==, "sip:bob@example.org");
  g_assert_cmpstr (confab_chat_message_get_sender_uri (message), ==, "sip:alice@example.org");
  g_assert_cmpstr (confab_chat_message_get_sender_display (message), ==, "Alice");
  g_assert_cmpstr (confab_chat_message_get_content_type (message), ==, "text/plain");
  g_assert_true (g_bytes_equal (confab_chat_message_get_body (message), body));
  g_assert_true (g_date_time_equal (confab_chat_message_get_timestamp (message), when));
  g_assert_cmpstr (confab_chat_message_get_text (message), ==, "hello");
  g_assert_cmpint (confab_chat_message_get_state (message), ==, CONFAB_CHAT_STATE_SENDING);
  g_assert_null (confab_chat_message_get_error (message));
  g_assert_cmpint (confab_chat_message_get_row_id (message), ==, 0);

  g_object_get (message, "id", &id, "sender-display", &sender, "timestamp", &got_when,
                "direction", &direction, "state", &state, "row-id", &row_id, NULL);
  g_assert_cmpstr (id, ==, "msg-42");
  g_assert_cmpstr (sender, ==, "Alice");
  g_assert_true (g_date_time_equal (got_when, when));
  g_assert_cmpint (direction, ==, CONFAB_CHAT_DIRECTION_OUTGOING);
  g_assert_cmpint (state, ==, CONFAB_CHAT_STATE_SENDING);
  g_assert_cmpint (row_id, ==, 0);

  g_assert_true (G_TYPE_IS_ENUM (CONFAB_TYPE_CHAT_STATE));
  g_assert_true (G_TYPE_IS_ENUM (CONFAB_TYPE_CHAT_DIRECTION));
}

static void
test_chat_message_defaults (void)
{
  g_autoptr (ConfabChatMessage) incoming = NULL;
  g_autoptr (ConfabChatMessage) status = NULL;
  g_autoptr (ConfabChatMessage) other = NULL;
  g_autoptr (ConfabChatMessage) text = NULL;

  incoming = confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_INCOMING, "sip:bob@example.org",
                                      NULL, NULL, NULL, NULL, NULL);
  status = confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_STATUS, "sip:bob@example.org",
                                    NULL, NULL, NULL, NULL, NULL);
  other = confab_chat_message_new (NULL, CONFAB_CHAT_DIRECTION_INCOMING, "sip:bob@example.org",
                                   NULL, NULL, NULL, NULL, NULL);

  g_assert_cmpint (confab_chat_message_get_state (incoming), ==, CONFAB_CHAT_STATE_RECEIVED);
  g_assert_cmpint (confab_chat_message_get_state (status), ==, CONFAB_CHAT_STATE_RECEIVED);
  /* A fresh, distinct id; text/plain; an empty body; now. */
  g_assert_nonnull (confab_chat_message_get_id (incoming));
  g_assert_cmpuint (strlen (confab_chat_message_get_id (incoming)), >=, 16);
  g_assert_cmpstr (confab_chat_message_get_id (incoming), !=, confab_chat_message_get_id (other));
  g_assert_cmpstr (confab_chat_message_get_content_type (incoming), ==, "text/plain");
  g_assert_cmpuint (g_bytes_get_size (confab_chat_message_get_body (incoming)), ==, 0);
  g_assert_cmpstr (confab_chat_message_get_text (incoming), ==, "");
  g_assert_nonnull (confab_chat_message_get_timestamp (incoming));

  text = confab_chat_message_new_text (CONFAB_CHAT_DIRECTION_OUTGOING, "sip:bob@example.org",
                                       "sip:alice@example.org", "Grüße");
  g_assert_cmpstr (confab_chat_message_get_text (text), ==, "Grüße");
  g_assert_cmpint (confab_chat_message_get_state (text), ==, CONFAB_CHAT_STATE_SENDING);
  g_assert_true (confab_chat_message_is_text (text));

  /* An explicit state wins over the default. */
  g_clear_object (&other);
  other = g_object_new (CONFAB_TYPE_CHAT_MESSAGE, "direction", CONFAB_CHAT_DIRECTION_OUTGOING,
                        "state", CONFAB_CHAT_STATE_DELIVERED, "error", NULL, NULL);
  g_assert_cmpint (confab_chat_message_get_state (other), ==, CONFAB_CHAT_STATE_DELIVERED);
}

static void
test_chat_message_notify (void)
{
  g_autoptr (ConfabChatMessage) message = NULL;
  guint state_count = 0, error_count = 0, row_count = 0;

  message = confab_chat_message_new_text (CONFAB_CHAT_DIRECTION_OUTGOING, "sip:bob@example.org",
                                          NULL, "hi");
  g_signal_connect (message, "notify::state", G_CALLBACK (count_notify), &state_count);
  g_signal_connect (message, "notify::error", G_CALLBACK (count_notify), &error_count);
  g_signal_connect (message, "notify::row-id", G_CALLBACK (count_notify), &row_count);

  confab_chat_message_set_state (message, CONFAB_CHAT_STATE_SENT);
  confab_chat_message_set_state (message, CONFAB_CHAT_STATE_SENT);
  g_assert_cmpuint (state_count, ==, 1);
  confab_chat_message_set_state (message, CONFAB_CHAT_STATE_DELIVERED);
  g_assert_cmpuint (state_count, ==, 2);

  confab_chat_message_set_error (message, "timeout");
  confab_chat_message_set_error (message, "timeout");
  g_assert_cmpuint (error_count, ==, 1);
  confab_chat_message_set_error (message, NULL);
  g_assert_cmpuint (error_count, ==, 2);

  confab_chat_message_set_row_id (message, 7);
  confab_chat_message_set_row_id (message, 7);
  g_assert_cmpuint (row_count, ==, 1);
  g_assert_cmpint (confab_chat_message_get_row_id (message), ==, 7);

  g_object_set (message, "state", CONFAB_CHAT_STATE_DISPLAYED, NULL);
  g_assert_cmpuint (state_count, ==, 3);
}

static void
on_fail_state (ConfabChatMessage *message,
               GParamSpec        *pspec,
               char             **seen_error)
{
  g_free (*seen_error);
  *seen_error = g_strdup (confab_chat_message_get_error (message));
}

static void
test_chat_message_fail (void)
{
  g_autoptr (ConfabChatMessage) message = NULL;
  g_autofree char *seen_error = NULL;

  message = confab_chat_message_new_text (CONFAB_CHAT_DIRECTION_OUTGOING, "sip:bob@example.org",
                                          NULL, "hi");
  g_signal_connect (message, "notify::state", G_CALLBACK (on_fail_state), &seen_error);
  confab_chat_message_fail (message, "481 Call/Transaction Does Not Exist");
  g_assert_cmpint (confab_chat_message_get_state (message), ==, CONFAB_CHAT_STATE_FAILED);
  /* The reason is there by the time the state changes. */
  g_assert_cmpstr (seen_error, ==, "481 Call/Transaction Does Not Exist");
}

static void
test_chat_message_text (void)
{
  static const char invalid[] = "ok \xff\xfe end";
  static const char latin1[] = "Gr\xfc\xdf" "e";
  g_autoptr (ConfabChatMessage) plain = NULL;
  g_autoptr (ConfabChatMessage) broken = NULL;
  g_autoptr (ConfabChatMessage) html = NULL;
  g_autoptr (ConfabChatMessage) converted = NULL;
  g_autoptr (ConfabChatMessage) unknown_charset = NULL;
  g_autoptr (ConfabChatMessage) image = NULL;
  g_autoptr (ConfabChatMessage) nul = NULL;
  g_autofree char *property_text = NULL;
  const char *text;

  plain = message_with_body ("Text/Plain; charset=\"UTF-8\"", "Grüße", strlen ("Grüße"));
  g_assert_cmpstr (confab_chat_message_get_text (plain), ==, "Grüße");

  broken = message_with_body ("text/plain", invalid, sizeof invalid - 1);
  text = confab_chat_message_get_text (broken);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==, "ok \xef\xbf\xbd\xef\xbf\xbd end");
  /* Cached: the same string every time. */
  g_assert_true (confab_chat_message_get_text (broken) == text);
  g_object_get (broken, "text", &property_text, NULL);
  g_assert_cmpstr (property_text, ==, text);

  html = message_with_body ("text/html", "<b>hi</b>", 9);
  g_assert_cmpstr (confab_chat_message_get_text (html), ==, "<b>hi</b>");

  converted = message_with_body ("text/plain;charset=ISO-8859-1", latin1, sizeof latin1 - 1);
  g_assert_cmpstr (confab_chat_message_get_text (converted), ==, "Grüße");

  unknown_charset = message_with_body ("text/plain; charset=x-no-such-charset", latin1,
                                       sizeof latin1 - 1);
  text = confab_chat_message_get_text (unknown_charset);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "Gr"));

  nul = message_with_body ("text/plain", "a\0b", 3);
  text = confab_chat_message_get_text (nul);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_cmpstr (text, ==, "a\xef\xbf\xbd" "b");

  image = message_with_body ("image/png", "\x89PNG", 4);
  g_assert_null (confab_chat_message_get_text (image));
  g_assert_false (confab_chat_message_is_text (image));
}

static void
test_chat_message_is_image (void)
{
  static const struct {
    const char *content_type;
    gboolean image;
  } cases[] = {
    { "image/png", TRUE },
    { "image/jpeg", TRUE },
    { "image/gif", TRUE },
    { "image/webp", TRUE },
    { "IMAGE/PNG", TRUE },
    { "image/jpeg; name=photo.jpg", TRUE },
    { "image/svg+xml", FALSE },
    { "image/bmp", FALSE },
    { "text/plain", FALSE },
    { "application/octet-stream", FALSE },
    { "image/pngx", FALSE },
    { "", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autoptr (ConfabChatMessage) message = message_with_body (cases[i].content_type, "x", 1);

    g_test_message ("%s", cases[i].content_type);
    g_assert_cmpint (confab_chat_message_is_image (message), ==, cases[i].image);
  }
}

static void
test_chat_state_strings (void)
{
  static const char *const names[] = {
    "sending", "sent", "delivered", "displayed", "failed", "received"
  };

  for (ConfabChatState state = CONFAB_CHAT_STATE_SENDING; state <= CONFAB_CHAT_STATE_RECEIVED;
       state++) {
    ConfabChatState parsed = CONFAB_CHAT_STATE_SENDING;

    g_assert_cmpstr (confab_chat_state_to_string (state), ==, names[state]);
    g_assert_true (confab_chat_state_from_string (names[state], &parsed));
    g_assert_cmpint (parsed, ==, state);
  }
  g_assert_false (confab_chat_state_from_string ("lost", NULL));
  g_assert_false (confab_chat_state_from_string ("", NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/chat-message/properties", test_chat_message_properties);
  g_test_add_func ("/chat-message/defaults", test_chat_message_defaults);
  g_test_add_func ("/chat-message/notify", test_chat_message_notify);
  g_test_add_func ("/chat-message/fail", test_chat_message_fail);
  g_test_add_func ("/chat-message/text", test_chat_message_text);
  g_test_add_func ("/chat-message/is-image", test_chat_message_is_image);
  g_test_add_func ("/chat-message/state-strings", test_chat_state_strings);
  return g_test_run ();
}
