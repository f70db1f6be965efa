/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab-error.h"
#include "sdp/confab-sdp-audio.h"

#include <string.h>

/* Fixtures are the fuzz seeds in tests/fuzz/corpus/sdp: bodies from
 * wire-samples/ (SIP SIMPLE SDK 5.5.0, SylkServer 6.6.1) verbatim, and audio
 * offers written as baresip 3.x (session c=, SDES on RTP/AVP, rtcp-mux) and
 * Blink (media c=, a=rtcp, ICE, opus at 113, DTMF at both rates, a chat
 * stream beside) write them. */
#define KEY_A   "iCpUE/d2qKLBfrPm+trRRNXIy5PUwQaSLVZn1K0H"
#define KEY_192 "ehecMZttM8Udj8/cs8sSM+k/5BGLH/3cPKNabYU+jZrRyGqmlo0="
#define KEY_256 "z5Nw+D6oCQS7ujGPOCC6PfPKhwucMEp9nfrkgW5DvjvP1DTPSDFMn8t9H/XQbQ=="

static char *
load (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "sdp", name, NULL);
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

#define HEAD "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"

static ConfabSdp *
parse_ok (const char *text)
{
  g_autoptr (GError) error = NULL;
  ConfabSdp *sdp = confab_sdp_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (sdp);
  return sdp;
}

static void
parse_fails (const char *text,
             gsize       length)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabSdp) sdp = confab_sdp_parse (text, length, &error);

  g_assert_null (sdp);
  g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
  g_assert_cmpstr (error->message, !=, "");
}

static void
append_attributes (GString   *s,
                   GPtrArray *attributes,
                   GPtrArray *other_lines)
{
  for (guint i = 0; i < attributes->len; i++) {
    const ConfabSdpAttribute *a = g_ptr_array_index (attributes, i);

    g_string_append_printf (s, " a:%s=%s", a->name, a->value ? a->value : "(flag)");
  }
  for (guint i = 0; i < other_lines->len; i++)
    g_string_append_printf (s, " %s", (char *) g_ptr_array_index (other_lines, i));
}

/* Every field of the model but crypto_invalid (not printed), to compare. */
static char *
describe (const ConfabSdp *sdp)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %s [%s] %s %d",
                          sdp->origin_username, sdp->session_id, sdp->session_version,
                          sdp->origin_address, sdp->session_name, sdp->connection, sdp->direction);
  append_attributes (s, sdp->attributes, sdp->other_lines);
  for (guint i = 0; i < sdp->media->len; i++) {
    const ConfabSdpMedia *m = g_ptr_array_index (sdp->media, i);

    g_string_append_printf (s, "\nm:%s %u/%u %s %s %d %d %u %u:", m->media, m->port, m->n_ports,
                            m->proto, m->connection, m->direction, m->rtcp_mux, m->rtcp_port,
                            m->ptime);
    for (guint j = 0; j < m->formats->len; j++)
      g_string_append_printf (s, " %s", (char *) g_ptr_array_index (m->formats, j));
    for (guint j = 0; j < m->codecs->len; j++) {
      const ConfabSdpCodec *c = g_ptr_array_index (m->codecs, j);

      g_string_append_printf (s, " %u:%s/%u/%u;%s", c->payload_type, c->encoding, c->clock_rate,
                              c->channels, c->fmtp);
    }
    for (guint j = 0; j < m->crypto->len; j++) {
      const ConfabSdpCrypto *c = g_ptr_array_index (m->crypto, j);

      g_string_append_printf (s, " crypto:%u %s %s %s", c->tag, c->suite, c->key_params,
                              c->session_params);
    }
    append_attributes (s, m->attributes, m->other_lines);
  }
  return g_string_free (s, FALSE);
}

/* Printing and reading back gives the same text and the same model. */
static void
assert_round_trip (const ConfabSdp *sdp)
{
  g_autofree char *text = confab_sdp_to_string (sdp);
  g_autoptr (ConfabSdp) again = parse_ok (text);
  g_autofree char *text2 = confab_sdp_to_string (again);
  g_autofree char *model = describe (sdp);
  g_autofree char *model2 = describe (again);

  g_assert_cmpstr (text, ==, text2);
  g_assert_cmpstr (model, ==, model2);
}

static void
assert_codecs (GPtrArray  *codecs,
               const char *expected)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < codecs->len; i++) {
    const ConfabSdpCodec *c = g_ptr_array_index (codecs, i);

    g_string_append_printf (s, "%s%u:%s/%u/%u%s%s", i ? " " : "", c->payload_type, c->encoding,
                            c->clock_rate, c->channels, c->fmtp ? ";" : "",
                            c->fmtp ? c->fmtp : "");
  }
  g_assert_cmpstr (s->str, ==, expected);
  g_string_free (s, TRUE);
}

static const ConfabSdpAttribute *
attribute_at (const ConfabSdpMedia *m,
              guint                 i)
{
  g_assert_cmpuint (i, <, m->attributes->len);
  return g_ptr_array_index (m->attributes, i);
}

static void
test_sdp_wire_msrp (void)
{
  g_autofree char *chat_text = load ("wire-chat-offer-tls.sdp");
  g_autofree char *file_text = load ("wire-file-push-offer.sdp");
  g_autofree char *room_text = load ("wire-room-answer.sdp");
  g_autoptr (ConfabSdp) chat = parse_ok (chat_text);
  g_autoptr (ConfabSdp) file = parse_ok (file_text);
  g_autoptr (ConfabSdp) room = parse_ok (room_text);
  const ConfabSdpMedia *m = g_ptr_array_index (chat->media, 0);

  g_assert_cmpstr (chat->session_name, ==, "sipsimple 5.5.0");
  g_assert_cmpuint (chat->session_id, ==, 4004251100u);
  g_assert_cmpuint (chat->media->len, ==, 1);
  g_assert_cmpstr (m->media, ==, "message");
  g_assert_cmpuint (m->port, ==, 43867);
  g_assert_cmpstr (m->proto, ==, "TCP/TLS/MSRP");
  g_assert_cmpstr (g_ptr_array_index (m->formats, 0), ==, "*");
  g_assert_cmpuint (m->codecs->len, ==, 0);
  g_assert_cmpstr (m->connection, ==, "127.0.0.1");
  g_assert_cmpuint (m->attributes->len, ==, 4);
  g_assert_cmpstr (attribute_at (m, 0)->name, ==, "path");
  g_assert_cmpstr (attribute_at (m, 0)->value, ==, "msrps://127.0.0.1:43867/52343aa764c3711b6860;tcp");
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "accept-types"), ==,
                   "message/cpim text/* image/* application/im-iscomposing+xml");
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "setup"), ==, "actpass");
  g_assert_false (confab_sdp_media_is_hold (chat, m));

  m = g_ptr_array_index (file->media, 0);
  g_assert_cmpstr (m->proto, ==, "TCP/MSRP");
  g_assert_cmpint (m->direction, ==, CONFAB_SDP_DIRECTION_SENDONLY);
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "file-selector"), ==,
                   "name:\"hello.txt\" type:text/plain size:68 "
                   "hash:sha-1:14:F9:B8:DD:F4:30:3D:6D:13:20:E2:22:C6:0D:27:12:22:E1:93:BA");
  g_assert_true (confab_sdp_media_has_attribute (m, "x-file-offset"));
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "x-file-offset"), ==, "");
  g_assert_null (attribute_at (m, 4)->value);
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "file-transfer-id"), ==,
                   "15302ae4-2600-4675-bdcf-bbea1e609eb6");
  g_assert_null (confab_sdp_media_get_attribute (m, "sendonly"));

  m = g_ptr_array_index (room->media, 0);
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "chatroom"), ==,
                   "nickname private-messages com.ag-projects.screen-sharing "
                   "com.ag-projects.zrtp-sas");

  assert_round_trip (chat);
  assert_round_trip (file);
  assert_round_trip (room);
  {
    /* what we print of a wire body is the body itself */
    g_autofree char *text = confab_sdp_to_string (chat);

    g_assert_cmpstr (text, ==, chat_text);
  }
}

/* Every SDP body in ../shared/wire-samples, when that folder is present. */
static void
test_sdp_wire_samples (void)
{
  g_autofree char *dir = g_strdup (g_getenv ("CONFAB_WIRE_SAMPLES"));
  g_autoptr (GDir) listing = NULL;
  const char *name;
  guint n_bodies = 0;

  if (!dir)
    dir = g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "wire-samples", NULL);
  listing = g_dir_open (dir, 0, NULL);
  if (!listing) {
    g_test_skip ("wire-samples not found (set CONFAB_WIRE_SAMPLES)");
    return;
  }
  while ((name = g_dir_read_name (listing))) {
    g_autofree char *path = g_build_filename (dir, name, NULL);
    g_autofree char *data = NULL;
    gsize length;
    const char *p;

    if (!g_str_has_suffix (name, ".txt") || !g_file_get_contents (path, &data, &length, NULL))
      continue;
    for (p = data; (p = strstr (p, "Content-Type: application/sdp\r\nContent-Length:"));) {
      const char *body;
      guint64 body_length;
      g_autoptr (ConfabSdp) sdp = NULL;
      g_autoptr (GError) error = NULL;
      const ConfabSdpMedia *m;

      p += strlen ("Content-Type: application/sdp\r\nContent-Length:");
      body_length = g_ascii_strtoull (p, NULL, 10);
      body = strstr (p, "\r\n\r\n");
      g_assert_nonnull (body);
      body += 4;
      g_assert_cmpuint (body_length, <=, length - (body - data));
      sdp = confab_sdp_parse (body, body_length, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (sdp->media->len, ==, 1);
      m = g_ptr_array_index (sdp->media, 0);
      g_assert_cmpstr (m->media, ==, "message");
      g_assert_true (g_str_has_prefix (confab_sdp_media_get_attribute (m, "path"), "msrp"));
      g_assert_nonnull (confab_sdp_media_get_attribute (m, "accept-types"));
      g_assert_nonnull (confab_sdp_media_get_attribute (m, "setup"));
      if (confab_sdp_media_has_attribute (m, "file-selector")) {
        g_assert_true (confab_sdp_media_has_attribute (m, "x-file-offset"));
        g_assert_cmpint (m->direction, !=, CONFAB_SDP_DIRECTION_SENDRECV);
      }
      assert_round_trip (sdp);
      n_bodies++;
    }
  }
  g_assert_cmpuint (n_bodies, ==, 24);
}

static void
test_sdp_audio_offers (void)
{
  g_autofree char *baresip_text = load ("baresip-audio-offer.sdp");
  g_autofree char *blink_text = load ("blink-audio-chat-offer.sdp");
  g_autoptr (ConfabSdp) baresip = parse_ok (baresip_text);
  g_autoptr (ConfabSdp) blink = parse_ok (blink_text);
  const ConfabSdpMedia *m = g_ptr_array_index (baresip->media, 0);
  const ConfabSdpCrypto *crypto;

  g_assert_cmpstr (confab_sdp_get_attribute (baresip, "tool"), ==, "baresip 3.10.1");
  assert_codecs (m->codecs, "111:opus/48000/2;stereo=1;sprop-stereo=1;useinbandfec=1 "
                            "9:G722/8000/1 0:PCMU/8000/1 8:PCMA/8000/1 "
                            "101:telephone-event/8000/1;0-15");
  g_assert_true (m->rtcp_mux);
  g_assert_cmpuint (m->ptime, ==, 20);
  g_assert_null (m->connection);
  g_assert_cmpstr (confab_sdp_media_get_connection (baresip, m), ==, "192.168.1.20");
  g_assert_cmpuint (m->crypto->len, ==, 3);
  crypto = g_ptr_array_index (m->crypto, 2);
  g_assert_cmpuint (crypto->tag, ==, 3);
  g_assert_cmpstr (crypto->suite, ==, "AES_256_CM_HMAC_SHA1_80");
  g_assert_cmpstr (crypto->key_params, ==, "inline:" KEY_256);
  g_assert_false (m->crypto_invalid);
  g_assert_cmpstr (g_ptr_array_index (m->other_lines, 0), ==, "b=AS:3000");
  g_assert_cmpuint (m->attributes->len, ==, 2);
  g_assert_cmpstr (attribute_at (m, 0)->name, ==, "label");
  g_assert_cmpstr (attribute_at (m, 1)->value, ==,
                   "3425315386 cname:ae1b6d34-1a8b-4c1a-a1f4-1cd4e1fd5b8b");

  g_assert_cmpuint (blink->media->len, ==, 2);
  m = g_ptr_array_index (blink->media, 0);
  g_assert_cmpuint (m->rtcp_port, ==, 50011);
  g_assert_false (m->rtcp_mux);
  g_assert_cmpuint (m->codecs->len, ==, 6);
  g_assert_cmpuint (confab_sdp_media_find_codec (m, 110)->clock_rate, ==, 48000);
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "candidate"), ==,
                   "S0a000005 1 UDP 1694498815 10.0.0.5 50010 typ srflx raddr 10.0.0.5 rport "
                   "50010");
  m = g_ptr_array_index (blink->media, 1);
  g_assert_cmpstr (m->proto, ==, "TCP/TLS/MSRP");
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "setup"), ==, "active");

  assert_round_trip (baresip);
  assert_round_trip (blink);
}

static void
test_sdp_line_endings (void)
{
  g_autofree char *crlf = load ("baresip-audio-offer.sdp");
  g_auto (GStrv) lines = g_strsplit (crlf, "\r\n", -1);
  g_autofree char *lf = g_strjoinv ("\n", lines);
  g_autoptr (ConfabSdp) a = parse_ok (crlf);
  g_autoptr (ConfabSdp) b = parse_ok (lf);
  g_autoptr (ConfabSdp) c = NULL;
  g_autofree char *text_a = confab_sdp_to_string (a);
  g_autofree char *text_b = confab_sdp_to_string (b);
  g_autofree char *text_c = NULL;

  g_assert_cmpstr (text_a, ==, text_b);
  /* no line end on the last line */
  lf[strlen (lf) - 1] = '\0';
  c = parse_ok (lf);
  text_c = confab_sdp_to_string (c);
  g_assert_cmpstr (text_a, ==, text_c);
}

static void
test_sdp_codecs (void)
{
  g_autoptr (ConfabSdp) sdp = parse_ok (HEAD "m=audio 4000 RTP/AVP 0 8 9 18 96 97 0\r\n"
                                             "a=rtpmap:97 speex/16000\r\n"
                                             "a=rtpmap:98 AMR/8000\r\n"
                                             "a=fmtp:98 octet-align=1\r\n"
                                             "a=fmtp:18 annexb=no\r\n"
                                             "a=rtpmap:97 iLBC/8000\r\n"
                                             "a=rtpmap:96 broken\r\n");
  const ConfabSdpMedia *m = g_ptr_array_index (sdp->media, 0);

  /* static types need no rtpmap; 96 has none that parses; 98 is not listed */
  g_assert_cmpuint (m->formats->len, ==, 7);
  assert_codecs (m->codecs, "0:PCMU/8000/1 8:PCMA/8000/1 9:G722/8000/1 18:G729/8000/1;annexb=no "
                            "97:speex/16000/1");
  g_assert_cmpstr (confab_sdp_media_get_attribute (m, "rtpmap"), ==, "96 broken");
  assert_round_trip (sdp);
}

static void
test_sdp_directions (void)
{
  g_autoptr (ConfabSdp) sdp = parse_ok ("v=0\r\no=- 1 2 IN IP4 192.0.2.1\r\ns=-\r\n"
                                        "c=IN IP4 0.0.0.0\r\nt=0 0\r\na=sendonly\r\n"
                                        "m=audio 4000 RTP/AVP 0\r\n"
                                        "m=audio 4002 RTP/AVP 0\r\na=recvonly\r\n"
                                        "m=audio 4004 RTP/AVP 0\r\nc=IN IP4 192.0.2.2\r\n"
                                        "a=sendrecv\r\n");
  const ConfabSdpMedia *m0 = g_ptr_array_index (sdp->media, 0);
  const ConfabSdpMedia *m1 = g_ptr_array_index (sdp->media, 1);
  const ConfabSdpMedia *m2 = g_ptr_array_index (sdp->media, 2);
  ConfabSdpDirection d;

  g_assert_cmpint (sdp->direction, ==, CONFAB_SDP_DIRECTION_SENDONLY);
  g_assert_cmpint (m0->direction, ==, CONFAB_SDP_DIRECTION_SENDONLY);
  g_assert_cmpint (m1->direction, ==, CONFAB_SDP_DIRECTION_RECVONLY);
  g_assert_cmpint (m2->direction, ==, CONFAB_SDP_DIRECTION_SENDRECV);
  g_assert_true (confab_sdp_media_is_hold (sdp, m0));
  g_assert_true (confab_sdp_media_is_hold (sdp, m1)); /* session c=0.0.0.0 */
  g_assert_false (confab_sdp_media_is_hold (sdp, m2));
  assert_round_trip (sdp);

  g_assert_cmpint (confab_sdp_direction_reverse (CONFAB_SDP_DIRECTION_SENDONLY), ==,
                   CONFAB_SDP_DIRECTION_RECVONLY);
  g_assert_cmpint (confab_sdp_direction_reverse (CONFAB_SDP_DIRECTION_RECVONLY), ==,
                   CONFAB_SDP_DIRECTION_SENDONLY);
  g_assert_cmpint (confab_sdp_direction_reverse (CONFAB_SDP_DIRECTION_INACTIVE), ==,
                   CONFAB_SDP_DIRECTION_INACTIVE);
  g_assert_cmpstr (confab_sdp_direction_to_string (CONFAB_SDP_DIRECTION_INACTIVE), ==, "inactive");
  g_assert_true (confab_sdp_direction_from_string ("recvonly", &d));
  g_assert_cmpint (d, ==, CONFAB_SDP_DIRECTION_RECVONLY);
  g_assert_false (confab_sdp_direction_from_string ("hold", &d));
}

static void
test_sdp_crypto (void)
{
  static const struct {
    const char *line;
    gboolean valid;
  } cases[] = {
    { "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A, TRUE },
    { "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "|2^20|1:32", TRUE },
    { "7 AES_CM_128_HMAC_SHA1_32 inline:" KEY_A "|2^31 UNENCRYPTED_SRTCP", TRUE },
    { "1 AES_256_CM_HMAC_SHA1_32 inline:" KEY_256, TRUE },
    { "1 AEAD_AES_256_GCM inline:" KEY_256, FALSE },                  /* 46 != 44 */
    { "1 AES_CM_128_HMAC_SHA1_80 " KEY_A, FALSE },                    /* no inline: */
    { "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_256, FALSE },           /* 46 bytes */
    { "1 AES_256_CM_HMAC_SHA1_80 inline:" KEY_A, FALSE },             /* 30 bytes */
    { "1 AES_CM_128_HMAC_SHA1_80 inline:ni89U/G6XHSMT4rQ5tbpbeB8howG77EC6ltzfBU=", FALSE },
    { "1 AES_CM_128_HMAC_SHA1_80 inline:iCpUE/d2qKLBfrPm+trRRNXIy5PUwQaSLVZn1K0*", FALSE },
    { "1 AES_CM_128_HMAC_SHA1_80 inline:", FALSE },
    { "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "|2^x", FALSE },
    { "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "|1:0", FALSE },
    { "x AES_CM_128_HMAC_SHA1_80 inline:" KEY_A, FALSE },
    { "1 AES_CM_128_HMAC_SHA1_80", FALSE },
    { "1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A ";inline:" KEY_A, FALSE }, /* no MKIs */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = g_strdup_printf (HEAD "m=audio 4000 RTP/SAVP 0\r\na=crypto:%s\r\n",
                                             cases[i].line);
    g_autoptr (ConfabSdp) sdp = parse_ok (text);
    const ConfabSdpMedia *m = g_ptr_array_index (sdp->media, 0);

    g_test_message ("%s", cases[i].line);
    g_assert_cmpuint (m->crypto->len, ==, cases[i].valid ? 1 : 0);
    g_assert_cmpint (m->crypto_invalid, ==, !cases[i].valid);
    g_assert_cmpuint (m->attributes->len, ==, 0);
    assert_round_trip (sdp);
  }

  {
    /* one good line is enough; on RTP/AVP bad lines are only dropped */
    g_autoptr (ConfabSdp) sdp = parse_ok (HEAD "m=audio 4000 RTP/SAVP 0\r\n"
                                               "a=crypto:1 AES_CM_128_HMAC_SHA1_80 junk\r\n"
                                               "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" KEY_A
                                               "\r\nm=audio 4002 RTP/AVP 0\r\na=crypto\r\n");
    const ConfabSdpMedia *m0 = g_ptr_array_index (sdp->media, 0);
    const ConfabSdpMedia *m1 = g_ptr_array_index (sdp->media, 1);

    g_assert_cmpuint (m0->crypto->len, ==, 1);
    g_assert_false (m0->crypto_invalid);
    g_assert_cmpuint (m1->crypto->len, ==, 0);
    g_assert_false (m1->crypto_invalid);
  }
}

static void
test_sdp_decode_key (void)
{
  const char *bad[] = { "ni89U/G6XHSMT4rQ5tbpbeB8howG77EC6ltzfBU=", "not base64!", "", KEY_192 };
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *key = confab_sdp_crypto_decode_key (KEY_A, &(gsize){ 0 }, &error);
  g_autofree guint8 *key256 = NULL;
  gsize length = 99;

  g_assert_no_error (error);
  g_assert_nonnull (key);
  key256 = confab_sdp_crypto_decode_key (KEY_256, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 46);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++) {
    g_assert_null (confab_sdp_crypto_decode_key (bad[i], &length, &error));
    g_assert_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID);
    g_assert_cmpuint (length, ==, 0);
    g_clear_error (&error);
  }
  g_assert_cmpuint (confab_sdp_crypto_suite_key_length ("AES_256_CM_HMAC_SHA1_32"), ==, 46);
  g_assert_cmpuint (confab_sdp_crypto_suite_key_length ("NULL"), ==, 0);
}

static void
test_sdp_malformed (void)
{
  static const char *const cases[] = {
    "", "garbage", "v=1\r\n", "v=0", " v=0\r\n", "o=- 1 1 IN IP4 a\r\nv=0\r\n",
    "v=0\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\n",                       /* no o= */
    "v=0\r\no=- 1 1 IN IP4 a\r\nc=IN IP4 a\r\nt=0 0\r\n",          /* no s= */
    "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\n",            /* no t= */
    "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n", /* no c= */
    HEAD "m=audio\r\n", HEAD "m=audio 4000 RTP/AVP\r\n", HEAD "m=audio 70000 RTP/AVP 0\r\n",
    HEAD "m=audio 4000 RTP/AVP 300\r\n", HEAD "m=audio 4000 RTP/AVP 128\r\n",
    HEAD "m=audio x RTP/AVP 0\r\n", HEAD "m=audio 4000/0 RTP/AVP 0\r\n",
    HEAD "m=audio 4000 RTP/AVP pcmu\r\n", HEAD "m=audio 99999999999999999999999 RTP/AVP 0\r\n",
    "v=0\r\no=- 1\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\n",
    "v=0\r\no=- x 1 IN IP4 a\r\ns=-\r\nc=IN IP4 a\r\nt=0 0\r\n",
    "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=IN\r\nt=0 0\r\n",
    "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\nc=XX IP4 a\r\nt=0 0\r\n",
    HEAD "o=- 1 1 IN IP4 a\r\n", HEAD "s=again\r\n", HEAD "t=0\r\n", HEAD "v=0\r\n",
    HEAD "m=audio 4000 RTP/AVP 0\r\nt=0 0\r\n", HEAD "this is not sdp\r\n", HEAD "A=foo\r\n",
    HEAD "a=x\x01y\r\n", HEAD "a=x\ry\r\n", HEAD "=\r\n",
  };
  GString *big = g_string_new (HEAD);
  g_autofree char *filler = g_strnfill (5000, 'x');
  g_autofree char *huge_line = NULL;
  g_autofree char *with_nul = g_strdup (HEAD "m=audio 4000 RTP/AVP 0\r\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_test_message ("case %u", i);
    parse_fails (cases[i], strlen (cases[i]));
  }
  with_nul[strlen (HEAD) + 3] = '\0';
  parse_fails (with_nul, strlen (HEAD) + 25);
  huge_line = g_strdup_printf (HEAD "a=x:%s\r\n", filler);
  parse_fails (huge_line, strlen (huge_line));

  /* the limits: 32 m-lines and 256 attribute lines pass, one more fails */
  for (guint i = 0; i < 1000; i++) {
    g_string_append (big, "m=audio 4000 RTP/AVP 0\r\n");
    if (i == CONFAB_SDP_MAX_MEDIA - 1)
      confab_sdp_free (parse_ok (big->str));
  }
  parse_fails (big->str, big->len);
  g_string_assign (big, HEAD "m=audio 4000 RTP/AVP 0\r\n");
  for (guint i = 0; i < CONFAB_SDP_MAX_ATTRIBUTES; i++)
    g_string_append_printf (big, "a=x-%u\r\n", i);
  confab_sdp_free (parse_ok (big->str));
  g_string_append (big, "b=AS:1\r\n");
  parse_fails (big->str, big->len);
  g_string_assign (big, HEAD);
  while (big->len <= CONFAB_SDP_MAX_LENGTH)
    g_string_append (big, "m=audio 4000 RTP/AVP 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\r\n");
  parse_fails (big->str, big->len);
  /* under 64 KiB with bare LF, over it as we would print it (CRLF) */
  g_string_assign (big, HEAD);
  for (guint i = 0; i < CONFAB_SDP_MAX_MEDIA; i++) {
    g_string_append (big, "m=audio 0 RTP/AVP 0\n");
    for (guint j = 0; j < 250; j++)
      g_string_append (big, "a=x:yyy\n");
  }
  g_assert_cmpuint (big->len, <=, CONFAB_SDP_MAX_LENGTH);
  parse_fails (big->str, big->len);
  g_string_free (big, TRUE);
}

/* Odd but valid: kept, not fatal. */
static void
test_sdp_tolerated (void)
{
  g_autoptr (ConfabSdp) none = parse_ok (HEAD);
  g_autoptr (ConfabSdp) odd = parse_ok ("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=\ni=info\nt=0 0\n"
                                        "r=7d 1h 0 25h\nx=future\na=\na=:x\n"
                                        "m=audio 0 RTP/AVP 0\n"
                                        "m=video 4000/2 RTP/AVP 96\nc=IN IP6 ::1/127\n"
                                        "a=rtpmap:96 H264/90000\na=rtcp-mux:bogus\n\n"
                                        "a=ptime:zero\na=rtcp:0\n");
  const ConfabSdpMedia *m0 = g_ptr_array_index (odd->media, 0);
  const ConfabSdpMedia *m1 = g_ptr_array_index (odd->media, 1);

  g_assert_cmpuint (none->media->len, ==, 0);
  g_assert_cmpstr (odd->session_name, ==, "");
  g_assert_cmpuint (odd->other_lines->len, ==, 3);
  g_assert_cmpuint (odd->attributes->len, ==, 0);
  g_assert_cmpuint (m0->port, ==, 0);
  g_assert_null (confab_sdp_media_get_connection (odd, m0));
  g_assert_cmpuint (m1->n_ports, ==, 2);
  g_assert_cmpstr (m1->connection, ==, "::1");
  g_assert_false (m1->rtcp_mux);
  g_assert_cmpuint (m1->ptime, ==, 0);
  g_assert_cmpuint (m1->attributes->len, ==, 3);
  assert_round_trip (none);
  assert_round_trip (odd);
}

/* Every prefix and many random mutations: an error or a model that prints
 * and reads back, never a crash. */
/* A mutated body may hold lines out of RFC 4566 order, which the first print
 * puts in order; from then on printing and reading back must be stable. */
static void
assert_normalized_round_trip (const ConfabSdp *sdp)
{
  g_autofree char *text = confab_sdp_to_string (sdp);
  g_autoptr (ConfabSdp) normalized = parse_ok (text);

  assert_round_trip (normalized);
}

static void
test_sdp_truncated_and_mutated (void)
{
  const char *names[] = { "baresip-audio-offer.sdp", "blink-audio-chat-offer.sdp",
                          "wire-file-push-offer.sdp" };

  for (guint s = 0; s < G_N_ELEMENTS (names); s++) {
    g_autofree char *seed = load (names[s]);
    gsize length = strlen (seed);

    for (gsize n = 0; n <= length; n++) {
      g_autoptr (ConfabSdp) sdp = confab_sdp_parse (seed, n, NULL);

      if (sdp)
        assert_round_trip (sdp);
    }
    for (guint i = 0; i < 2000; i++) {
      g_autofree char *copy = g_strdup (seed);
      g_autoptr (ConfabSdp) sdp = NULL;
      g_autoptr (GError) error = NULL;

      for (guint k = 0; k < 1 + i % 4; k++)
        copy[g_test_rand_int_range (0, length)] = (char) g_test_rand_int_range (1, 256);
      sdp = confab_sdp_parse (copy, length, &error);
      g_assert_true ((sdp == NULL) != (error == NULL));
      if (sdp)
        assert_normalized_round_trip (sdp);
    }
  }
}

static void
test_sdp_build (void)
{
  g_autoptr (ConfabSdp) sdp = confab_sdp_new ("192.0.2.1", 42, 7);
  g_autoptr (GPtrArray) codecs = confab_sdp_audio_default_codecs ("pcmu");
  g_autoptr (ConfabSdp) copy = NULL;
  g_autofree char *text = NULL, *copy_text = NULL, *key = NULL;
  ConfabSdpMedia *chat = confab_sdp_media_new ("message", 2855, "TCP/TLS/MSRP");
  g_autoptr (ConfabSdpMedia) rejected = NULL;

  confab_sdp_add_media (sdp, confab_sdp_audio_build_offer ("192.0.2.1", 4000, codecs,
                                                           CONFAB_SRTP_MODE_OFFER, TRUE,
                                                           CONFAB_SDP_DIRECTION_SENDONLY, &key));
  g_ptr_array_add (chat->formats, g_strdup ("*"));
  confab_sdp_media_add_attribute (chat, "path", "msrps://192.0.2.1:2855/abc;tcp");
  confab_sdp_media_add_attribute (chat, "file-selector", "name:\"evil\r\na=x\" size:1");
  confab_sdp_media_add_attribute (chat, "x-file-offset", NULL);
  confab_sdp_add_media (sdp, chat);
  text = confab_sdp_to_string (sdp);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "v=0\r\no=- 42 7 IN IP4 192.0.2.1\r\ns=-\r\n"
                                         "c=IN IP4 192.0.2.1\r\nt=0 0\r\n"
                                         "m=audio 4000 RTP/AVP 0 101\r\nc=IN IP4 192.0.2.1\r\n"
                                         "a=rtpmap:101 telephone-event/8000\r\n"
                                         "a=fmtp:101 0-16\r\na=ptime:20\r\na=rtcp-mux\r\n"
                                         "a=sendonly\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 "
                                         "inline:"));
  g_assert_nonnull (strstr (text, "a=file-selector:name:\"evil  a=x\" size:1\r\n"));
  g_assert_true (g_str_has_suffix (text, "a=x-file-offset\r\n"));
  assert_round_trip (sdp);

  copy = confab_sdp_copy (sdp);
  copy_text = confab_sdp_to_string (copy);
  g_assert_cmpstr (text, ==, copy_text);

  rejected = confab_sdp_media_new_rejected (chat);
  g_assert_cmpuint (rejected->port, ==, 0);
  g_assert_cmpstr (rejected->proto, ==, "TCP/TLS/MSRP");
  g_assert_cmpstr (g_ptr_array_index (rejected->formats, 0), ==, "*");
}

static void
test_sdp_default_codecs (void)
{
  g_autoptr (GPtrArray) all = confab_sdp_audio_default_codecs (NULL);
  g_autoptr (GPtrArray) some = confab_sdp_audio_default_codecs (" PCMA, pcmu,bogus,pcma ");
  g_autoptr (GPtrArray) none = confab_sdp_audio_default_codecs ("g729");

  assert_codecs (all, "111:opus/48000/2;useinbandfec=1 9:G722/8000/1 0:PCMU/8000/1 "
                      "8:PCMA/8000/1 110:telephone-event/48000/1;0-16 "
                      "101:telephone-event/8000/1;0-16");
  assert_codecs (some, "8:PCMA/8000/1 0:PCMU/8000/1 101:telephone-event/8000/1;0-16");
  g_assert_cmpuint (none->len, ==, all->len);
}

/* Answers the first m-line of @offer_text as Confab would. */
static ConfabSdpMedia *
answer_offer (const char            *offer_text,
              const char            *codec_names,
              ConfabSrtpMode         srtp,
              ConfabSdpDirection     local,
              ConfabSdpAudioResult  *result,
              GError               **error)
{
  g_autoptr (ConfabSdp) offer = parse_ok (offer_text);
  g_autoptr (GPtrArray) codecs = confab_sdp_audio_default_codecs (codec_names);

  return confab_sdp_audio_negotiate_answer (offer, g_ptr_array_index (offer->media, 0), codecs,
                                            srtp, "192.0.2.9", 6000, local, result, error);
}

static void
answer_fails (const char     *offer_text,
              ConfabSrtpMode  srtp,
              ConfabSdpError  code)
{
  g_auto (ConfabSdpAudioResult) result = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ConfabSdpMedia) answer = answer_offer (offer_text, NULL, srtp,
                                                    CONFAB_SDP_DIRECTION_SENDRECV, &result, &error);

  g_assert_null (answer);
  g_assert_error (error, CONFAB_SDP_ERROR, (int) code);
  g_assert_null (result.codec);
}

static void
test_sdp_answer_codecs (void)
{
  g_autofree char *blink_offer = load ("blink-audio-chat-offer.sdp");
  g_autofree char *wire_chat_offer = load ("wire-chat-offer-tls.sdp");
  g_auto (ConfabSdpAudioResult) r = { 0 };
  g_autoptr (ConfabSdpMedia) a = NULL;
  g_autoptr (GError) error = NULL;

  /* the offerer's order wins over ours (opus first) */
  a = answer_offer (HEAD "m=audio 5000 RTP/AVP 8 0 96 101\r\na=rtpmap:96 opus/48000/2\r\n"
                         "a=rtpmap:101 telephone-event/8000\r\n",
                    NULL, CONFAB_SRTP_MODE_OFFER, CONFAB_SDP_DIRECTION_SENDRECV, &r, &error);
  g_assert_no_error (error);
  assert_codecs (a->codecs, "8:PCMA/8000/1 101:telephone-event/8000/1;0-16");
  g_assert_cmpuint (r.codec->payload_type, ==, 8);
  g_assert_cmpuint (r.dtmf->payload_type, ==, 101);
  g_assert_cmpstr (r.remote_address, ==, "192.0.2.1");
  g_assert_cmpuint (r.remote_port, ==, 5000);
  g_assert_cmpuint (r.remote_rtcp_port, ==, 5001);
  g_assert_cmpuint (r.ptime, ==, 20);
  g_assert_false (r.srtp);
  g_assert_cmpstr (a->proto, ==, "RTP/AVP");
  g_assert_cmpuint (a->port, ==, 6000);
  g_assert_cmpstr (a->connection, ==, "192.0.2.9");
  g_clear_pointer (&a, confab_sdp_media_free);

  /* Blink: opus at 113 echoed, telephone-event at opus's 48 kHz */
  a = answer_offer (blink_offer, NULL, CONFAB_SRTP_MODE_OFF, CONFAB_SDP_DIRECTION_SENDRECV, &r,
                    &error);
  g_assert_no_error (error);
  assert_codecs (a->codecs, "113:opus/48000/2;useinbandfec=1 110:telephone-event/48000/1;0-16");
  g_assert_cmpuint (r.dtmf->clock_rate, ==, 48000);
  g_assert_cmpuint (r.remote_rtcp_port, ==, 50011);
  g_assert_cmpuint (a->crypto->len, ==, 0);
  g_clear_pointer (&a, confab_sdp_media_free);

  /* G.722 only here: DTMF at 8000 */
  a = answer_offer (blink_offer, "g722", CONFAB_SRTP_MODE_OFF, CONFAB_SDP_DIRECTION_SENDRECV, &r,
                    &error);
  g_assert_no_error (error);
  assert_codecs (a->codecs, "9:G722/8000/1 101:telephone-event/8000/1;0-16");
  g_clear_pointer (&a, confab_sdp_media_free);

  /* no telephone-event at the codec's rate: no DTMF */
  a = answer_offer (HEAD "m=audio 5000 RTP/AVP 0 110\r\na=rtpmap:110 telephone-event/48000\r\n",
                    NULL, CONFAB_SRTP_MODE_OFF, CONFAB_SDP_DIRECTION_SENDRECV, &r, &error);
  g_assert_no_error (error);
  g_assert_null (r.dtmf);
  g_assert_cmpuint (a->formats->len, ==, 1);

  answer_fails (HEAD "m=audio 5000 RTP/AVP 96 97 13\r\na=rtpmap:96 AMR/8000\r\n"
                     "a=rtpmap:97 telephone-event/8000\r\n",
                CONFAB_SRTP_MODE_OFF, CONFAB_SDP_ERROR_NO_COMMON_CODEC);
  answer_fails (HEAD "m=audio 0 RTP/AVP 0\r\n", CONFAB_SRTP_MODE_OFF, CONFAB_SDP_ERROR_DISABLED);
  answer_fails (HEAD "m=video 5000 RTP/AVP 0\r\n", CONFAB_SRTP_MODE_OFF,
                CONFAB_SDP_ERROR_UNSUPPORTED);
  answer_fails (HEAD "m=audio 5000 UDP/TLS/RTP/SAVPF 0\r\n", CONFAB_SRTP_MODE_OFFER,
                CONFAB_SDP_ERROR_UNSUPPORTED);
  answer_fails (wire_chat_offer, CONFAB_SRTP_MODE_OFF, CONFAB_SDP_ERROR_UNSUPPORTED);
}

static void
test_sdp_answer_srtp (void)
{
  g_autofree char *baresip_offer = load ("baresip-audio-offer.sdp");
  g_auto (ConfabSdpAudioResult) r = { 0 };
  g_autoptr (ConfabSdpMedia) a = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *raw = NULL;
  gsize length;
  const ConfabSdpCrypto *c;

  /* SDES on RTP/AVP (baresip): the first suite, our own fresh key */
  a = answer_offer (baresip_offer, NULL, CONFAB_SRTP_MODE_OFFER, CONFAB_SDP_DIRECTION_SENDRECV,
                    &r, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->proto, ==, "RTP/AVP");
  g_assert_cmpuint (a->crypto->len, ==, 1);
  c = g_ptr_array_index (a->crypto, 0);
  g_assert_cmpuint (c->tag, ==, 1);
  g_assert_cmpstr (c->suite, ==, "AES_CM_128_HMAC_SHA1_80");
  g_assert_true (r.srtp);
  g_assert_cmpstr (r.srtp_suite, ==, "AES_CM_128_HMAC_SHA1_80");
  g_assert_cmpstr (r.remote_key, ==, KEY_A);
  g_assert_cmpstr (r.local_key, !=, KEY_A);
  g_assert_true (g_str_has_suffix (c->key_params, r.local_key));
  raw = confab_sdp_crypto_decode_key (r.local_key, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 30);
  g_assert_true (a->rtcp_mux && r.rtcp_mux);
  g_assert_cmpuint (r.remote_rtcp_port, ==, 10574);
  g_clear_pointer (&a, confab_sdp_media_free);

  /* SRTP off: the same offer gets plain RTP */
  a = answer_offer (baresip_offer, NULL, CONFAB_SRTP_MODE_OFF, CONFAB_SDP_DIRECTION_SENDRECV, &r,
                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->crypto->len, ==, 0);
  g_assert_false (r.srtp);
  g_assert_null (r.local_key);
  g_clear_pointer (&a, confab_sdp_media_free);

  /* RTP/SAVP, AES_256 offered first: chosen, 46-byte key */
  a = answer_offer (HEAD "m=audio 5000 RTP/SAVP 0\r\n"
                         "a=crypto:5 AES_192_CM_HMAC_SHA1_80 inline:" KEY_192 "\r\n"
                         "a=crypto:3 AES_256_CM_HMAC_SHA1_32 inline:" KEY_256 "\r\n"
                         "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A "\r\n",
                    NULL, CONFAB_SRTP_MODE_REQUIRE, CONFAB_SDP_DIRECTION_SENDRECV, &r, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->proto, ==, "RTP/SAVP");
  c = g_ptr_array_index (a->crypto, 0);
  g_assert_cmpuint (c->tag, ==, 3);
  g_clear_pointer (&raw, g_free);
  raw = confab_sdp_crypto_decode_key (r.local_key, &length, &error);
  g_assert_cmpuint (length, ==, 46);

  answer_fails (HEAD "m=audio 5000 RTP/AVP 0\r\n", CONFAB_SRTP_MODE_REQUIRE,
                CONFAB_SDP_ERROR_SRTP_REQUIRED);
  answer_fails (HEAD "m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A
                     "\r\n",
                CONFAB_SRTP_MODE_OFF, CONFAB_SDP_ERROR_SRTP_REFUSED);
  answer_fails (HEAD "m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_192_CM_HMAC_SHA1_80 inline:"
                     KEY_192 "\r\n",
                CONFAB_SRTP_MODE_OFFER, CONFAB_SDP_ERROR_NO_ACCEPTABLE_CRYPTO);
  answer_fails (HEAD "m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:"
                     "tooshort\r\n",
                CONFAB_SRTP_MODE_OFFER, CONFAB_SDP_ERROR_INVALID_CRYPTO);
  answer_fails (HEAD "m=audio 5000 RTP/SAVP 0\r\n", CONFAB_SRTP_MODE_REQUIRE,
                CONFAB_SDP_ERROR_NO_ACCEPTABLE_CRYPTO);
}

static void
test_sdp_answer_directions (void)
{
  static const struct {
    const char *offer_lines;
    ConfabSdpDirection local, expected;
  } cases[] = {
    { "a=sendonly\r\n", CONFAB_SDP_DIRECTION_SENDRECV, CONFAB_SDP_DIRECTION_RECVONLY },
    { "a=recvonly\r\n", CONFAB_SDP_DIRECTION_SENDRECV, CONFAB_SDP_DIRECTION_SENDONLY },
    { "a=inactive\r\n", CONFAB_SDP_DIRECTION_SENDRECV, CONFAB_SDP_DIRECTION_INACTIVE },
    { "a=sendrecv\r\n", CONFAB_SDP_DIRECTION_SENDRECV, CONFAB_SDP_DIRECTION_SENDRECV },
    { "", CONFAB_SDP_DIRECTION_SENDONLY, CONFAB_SDP_DIRECTION_SENDONLY },
    { "a=sendonly\r\n", CONFAB_SDP_DIRECTION_SENDONLY, CONFAB_SDP_DIRECTION_INACTIVE },
    { "c=IN IP4 0.0.0.0\r\n", CONFAB_SDP_DIRECTION_SENDRECV, CONFAB_SDP_DIRECTION_RECVONLY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree char *text = g_strdup_printf (HEAD "m=audio 5000 RTP/AVP 0\r\n%s",
                                             cases[i].offer_lines);
    g_auto (ConfabSdpAudioResult) r = { 0 };
    g_autoptr (GError) error = NULL;
    g_autoptr (ConfabSdpMedia) a = answer_offer (text, NULL, CONFAB_SRTP_MODE_OFFER,
                                                 cases[i].local, &r, &error);

    g_test_message ("case %u", i);
    g_assert_no_error (error);
    g_assert_cmpint (a->direction, ==, cases[i].expected);
    g_assert_cmpint (r.direction, ==, cases[i].expected);
  }
}

/* A offers, B answers through text, A applies the answer. */
static void
offer_answer (ConfabSrtpMode        srtp_a,
              ConfabSrtpMode        srtp_b,
              ConfabSdpDirection    direction_a,
              ConfabSdpAudioResult *result_a,
              ConfabSdpAudioResult *result_b)
{
  g_autoptr (GPtrArray) codecs_a = confab_sdp_audio_default_codecs (NULL);
  g_autoptr (GPtrArray) codecs_b = confab_sdp_audio_default_codecs ("pcma,opus");
  g_autoptr (ConfabSdp) offer = confab_sdp_new ("192.0.2.1", 1, 1);
  g_autoptr (ConfabSdp) answer = confab_sdp_new ("192.0.2.2", 2, 1);
  g_autoptr (ConfabSdp) offer_b = NULL, answer_a = NULL;
  g_autofree char *offer_text = NULL, *answer_text = NULL, *key = NULL;
  g_autoptr (GError) error = NULL;
  ConfabSdpMedia *our_offer;

  our_offer = confab_sdp_audio_build_offer ("192.0.2.1", 4000, codecs_a, srtp_a, TRUE,
                                            direction_a, &key);
  confab_sdp_add_media (offer, our_offer);
  offer_text = confab_sdp_to_string (offer);
  offer_b = parse_ok (offer_text);
  confab_sdp_add_media (answer, confab_sdp_audio_negotiate_answer (
                                  offer_b, g_ptr_array_index (offer_b->media, 0), codecs_b,
                                  srtp_b, "192.0.2.2", 5000, CONFAB_SDP_DIRECTION_SENDRECV,
                                  result_b, &error));
  g_assert_no_error (error);
  answer_text = confab_sdp_to_string (answer);
  answer_a = parse_ok (answer_text);
  g_assert_true (confab_sdp_audio_apply_answer (our_offer, answer_a,
                                                g_ptr_array_index (answer_a->media, 0), result_a,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result_a->local_key, ==, result_a->srtp ? key : NULL);
}

static void
apply_fails (const char     *answer_text,
             ConfabSrtpMode  srtp,
             ConfabSdpError  code)
{
  g_autoptr (GPtrArray) codecs = confab_sdp_audio_default_codecs ("pcmu,pcma");
  g_autoptr (ConfabSdpMedia) offer = confab_sdp_audio_build_offer (
    "192.0.2.1", 4000, codecs, srtp, FALSE, CONFAB_SDP_DIRECTION_SENDRECV, NULL);
  g_autoptr (ConfabSdp) answer = parse_ok (answer_text);
  g_auto (ConfabSdpAudioResult) r = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_false (confab_sdp_audio_apply_answer (offer, answer, g_ptr_array_index (answer->media, 0),
                                                 &r, &error));
  g_assert_error (error, CONFAB_SDP_ERROR, (int) code);
}

static void
test_sdp_apply_answer (void)
{
  g_auto (ConfabSdpAudioResult) a = { 0 };
  g_auto (ConfabSdpAudioResult) b = { 0 };

  offer_answer (CONFAB_SRTP_MODE_OFFER, CONFAB_SRTP_MODE_OFFER, CONFAB_SDP_DIRECTION_SENDRECV, &a,
                &b);
  g_assert_cmpstr (a.codec->encoding, ==, "opus"); /* A's order: opus before PCMA */
  g_assert_cmpstr (b.codec->encoding, ==, "opus");
  g_assert_cmpuint (a.dtmf->payload_type, ==, 110);
  g_assert_true (a.srtp && b.srtp);
  g_assert_cmpstr (a.srtp_suite, ==, b.srtp_suite);
  g_assert_cmpstr (a.local_key, ==, b.remote_key);
  g_assert_cmpstr (a.remote_key, ==, b.local_key);
  g_assert_cmpstr (a.local_key, !=, a.remote_key);
  g_assert_true (a.rtcp_mux && b.rtcp_mux);
  g_assert_cmpuint (a.remote_port, ==, 5000);
  g_assert_cmpuint (a.remote_rtcp_port, ==, 5000);
  g_assert_cmpstr (a.remote_address, ==, "192.0.2.2");
  g_assert_cmpint (a.direction, ==, CONFAB_SDP_DIRECTION_SENDRECV);

  /* hold: A sends only, B receives only; SRTP off on B's side */
  offer_answer (CONFAB_SRTP_MODE_OFFER, CONFAB_SRTP_MODE_OFF, CONFAB_SDP_DIRECTION_SENDONLY, &a,
                &b);
  g_assert_cmpint (a.direction, ==, CONFAB_SDP_DIRECTION_SENDONLY);
  g_assert_cmpint (b.direction, ==, CONFAB_SDP_DIRECTION_RECVONLY);
  g_assert_false (a.srtp || b.srtp);

  offer_answer (CONFAB_SRTP_MODE_REQUIRE, CONFAB_SRTP_MODE_OFFER, CONFAB_SDP_DIRECTION_SENDRECV, &a,
                &b);
  g_assert_true (a.srtp && b.srtp);

  apply_fails (HEAD "m=audio 0 RTP/AVP 0\r\n", CONFAB_SRTP_MODE_OFF, CONFAB_SDP_ERROR_DISABLED);
  apply_fails (HEAD "m=audio 5000 RTP/AVP 18\r\n", CONFAB_SRTP_MODE_OFF,
               CONFAB_SDP_ERROR_NO_COMMON_CODEC);
  apply_fails (HEAD "m=audio 5000 RTP/AVP 0\r\n", CONFAB_SRTP_MODE_REQUIRE,
               CONFAB_SDP_ERROR_ANSWER_MISMATCH);
  apply_fails (HEAD "m=audio 5000 RTP/SAVP 0\r\n", CONFAB_SRTP_MODE_REQUIRE,
               CONFAB_SDP_ERROR_NO_ACCEPTABLE_CRYPTO);
  apply_fails (HEAD "m=audio 5000 RTP/AVP 0\r\na=crypto:5 AES_CM_128_HMAC_SHA1_80 inline:" KEY_A
                    "\r\n",
               CONFAB_SRTP_MODE_OFFER, CONFAB_SDP_ERROR_NO_ACCEPTABLE_CRYPTO);
  apply_fails (HEAD "m=audio 5000 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:x\r\n",
               CONFAB_SRTP_MODE_REQUIRE, CONFAB_SDP_ERROR_INVALID_CRYPTO);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sdp/parse/wire-msrp", test_sdp_wire_msrp);
  g_test_add_func ("/sdp/parse/wire-samples", test_sdp_wire_samples);
  g_test_add_func ("/sdp/parse/audio-offers", test_sdp_audio_offers);
  g_test_add_func ("/sdp/parse/line-endings", test_sdp_line_endings);
  g_test_add_func ("/sdp/parse/codecs", test_sdp_codecs);
  g_test_add_func ("/sdp/parse/directions", test_sdp_directions);
  g_test_add_func ("/sdp/parse/crypto", test_sdp_crypto);
  g_test_add_func ("/sdp/parse/malformed", test_sdp_malformed);
  g_test_add_func ("/sdp/parse/tolerated", test_sdp_tolerated);
  g_test_add_func ("/sdp/parse/truncated-and-mutated", test_sdp_truncated_and_mutated);
  g_test_add_func ("/sdp/crypto/decode-key", test_sdp_decode_key);
  g_test_add_func ("/sdp/build", test_sdp_build);
  g_test_add_func ("/sdp/audio/default-codecs", test_sdp_default_codecs);
  g_test_add_func ("/sdp/audio/answer-codecs", test_sdp_answer_codecs);
  g_test_add_func ("/sdp/audio/answer-srtp", test_sdp_answer_srtp);
  g_test_add_func ("/sdp/audio/answer-directions", test_sdp_answer_directions);
  g_test_add_func ("/sdp/audio/apply-answer", test_sdp_apply_answer);

  return g_test_run ();
}
