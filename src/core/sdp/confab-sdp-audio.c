/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSdpAudio"

#include "config.h"

#include "confab-sdp-audio.h"
#include "confab-sdp-private.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Audio offer/answer (RFC 3264 §5–7) with SDES-SRTP (RFC 4568). The
 * offerer's codec order wins; telephone-event (RFC 4733) rides along at the
 * chosen codec's clock rate; keys are fresh for every offer and answer. */

#define DEFAULT_PTIME 20

static const struct {
  const char *name;      /* for confab_sdp_audio_default_codecs() */
  const char *alias;
  guint payload_type;
  const char *encoding;
  guint clock_rate;
  guint channels;
  const char *fmtp;
} known_codecs[] = {
  { "opus", NULL, 111, "opus", 48000, 2, "useinbandfec=1" },
  { "g722", "g.722", 9, "G722", 8000, 1, NULL },
  { "pcmu", "g711u", 0, "PCMU", 8000, 1, NULL },
  { "pcma", "g711a", 8, "PCMA", 8000, 1, NULL },
};

#define DTMF_ENCODING "telephone-event"
#define DTMF_EVENTS   "0-16"

static gboolean
is_dtmf (const ConfabSdpCodec *codec)
{
  return g_ascii_strcasecmp (codec->encoding, DTMF_ENCODING) == 0;
}

/* Not a voice codec of its own: events, comfort noise, redundancy. */
static gboolean
is_auxiliary (const ConfabSdpCodec *codec)
{
  static const char *const names[] = { DTMF_ENCODING, "CN", "red", "ulpfec", "rtx" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    if (g_ascii_strcasecmp (codec->encoding, names[i]) == 0)
      return TRUE;
  }
  return FALSE;
}

static int
known_codec_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_codecs); i++) {
    if (g_ascii_strcasecmp (name, known_codecs[i].name) == 0 ||
        (known_codecs[i].alias && g_ascii_strcasecmp (name, known_codecs[i].alias) == 0))
      return (int) i;
  }
  return -1;
}

/**
 * confab_sdp_audio_default_codecs:
 * @names: (nullable): preference order such as "opus,g722,pcmu,pcma"; %NULL
 *   (or no known name) for all of them in that order
 *
 * Returns: (transfer full) (element-type ConfabSdpCodec): the codecs, then
 *   telephone-event/8000 (pt 101) and, with Opus, telephone-event/48000
 *   (pt 110) as Blink and baresip offer it
 */
GPtrArray *
confab_sdp_audio_default_codecs (const char *names)
{
  GPtrArray *codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_sdp_codec_free);
  gboolean chosen[G_N_ELEMENTS (known_codecs)] = { FALSE };
  guint order[G_N_ELEMENTS (known_codecs)];
  guint n = 0;
  gboolean opus = FALSE;

  if (names) {
    g_auto (GStrv) parts = g_strsplit_set (names, ", ", -1);

    for (guint i = 0; parts[i]; i++) {
      int index;

      if (!*parts[i])
        continue;
      index = known_codec_index (parts[i]);
      if (index < 0) {
        g_debug ("Unknown audio codec “%s” ignored", parts[i]);
        continue;
      }
      if (!chosen[index]) {
        chosen[index] = TRUE;
        order[n++] = (guint) index;
      }
    }
  }
  if (n == 0) {
    for (guint i = 0; i < G_N_ELEMENTS (known_codecs); i++)
      order[n++] = i;
  }

  for (guint i = 0; i < n; i++) {
    guint k = order[i];

    opus |= k == 0;
    g_ptr_array_add (codecs, confab_sdp_codec_new (known_codecs[k].payload_type,
                                                   known_codecs[k].encoding,
                                                   known_codecs[k].clock_rate,
                                                   known_codecs[k].channels,
                                                   known_codecs[k].fmtp));
  }
  if (opus)
    g_ptr_array_add (codecs, confab_sdp_codec_new (110, DTMF_ENCODING, 48000, 1, DTMF_EVENTS));
  g_ptr_array_add (codecs, confab_sdp_codec_new (101, DTMF_ENCODING, 8000, 1, DTMF_EVENTS));
  return codecs;
}

static ConfabSdpCrypto *
new_crypto (guint       tag,
            const char *suite,
            const char *key)
{
  g_autofree char *key_params = g_strconcat ("inline:", key, NULL);
  ConfabSdpCrypto *crypto = confab_sdp_crypto_new (tag, suite, key_params, NULL);

  explicit_bzero (key_params, strlen (key_params));
  return crypto;
}

/**
 * confab_sdp_audio_build_offer:
 * @address: our RTP address, for the media c= line
 * @codecs: (element-type ConfabSdpCodec): in preference order
 * @out_local_key: (out) (optional) (nullable): the base64 key||salt we
 *   offered, %NULL without SRTP
 *
 * Returns: (transfer full): the audio m-line for an offer
 */
ConfabSdpMedia *
confab_sdp_audio_build_offer (const char          *address,
                              guint                port,
                              GPtrArray           *codecs,
                              ConfabSrtpMode       srtp,
                              gboolean             rtcp_mux,
                              ConfabSdpDirection   direction,
                              char               **out_local_key)
{
  ConfabSdpMedia *m;
  g_autofree char *key = NULL;

  g_return_val_if_fail (codecs != NULL, NULL);
  g_return_val_if_fail (port <= 65535, NULL);

  if (out_local_key)
    *out_local_key = NULL;
  m = confab_sdp_media_new ("audio", port,
                            srtp == CONFAB_SRTP_MODE_REQUIRE ? "RTP/SAVP" : "RTP/AVP");
  for (guint i = 0; i < codecs->len; i++)
    confab_sdp_media_add_codec (m, g_ptr_array_index (codecs, i));
  m->connection = g_strdup (address);
  m->direction = direction;
  m->rtcp_mux = rtcp_mux;
  m->ptime = DEFAULT_PTIME;

  if (srtp != CONFAB_SRTP_MODE_OFF) {
    /* One key for both lines: the answer picks one of them. */
    key = _confab_sdp_crypto_new_key (CONFAB_SDP_KEY_LENGTH_128);
    g_ptr_array_add (m->crypto, new_crypto (1, "AES_CM_128_HMAC_SHA1_80", key));
    g_ptr_array_add (m->crypto, new_crypto (2, "AES_CM_128_HMAC_SHA1_32", key));
    if (out_local_key)
      *out_local_key = g_steal_pointer (&key);
  }
  return m;
}

void
confab_sdp_audio_result_clear (ConfabSdpAudioResult *result)
{
  if (!result)
    return;
  g_clear_pointer (&result->codec, confab_sdp_codec_free);
  g_clear_pointer (&result->dtmf, confab_sdp_codec_free);
  g_clear_pointer (&result->remote_address, g_free);
  g_clear_pointer (&result->srtp_suite, g_free);
  if (result->local_key)
    explicit_bzero (result->local_key, strlen (result->local_key));
  if (result->remote_key)
    explicit_bzero (result->remote_key, strlen (result->remote_key));
  g_clear_pointer (&result->local_key, g_free);
  g_clear_pointer (&result->remote_key, g_free);
  memset (result, 0, sizeof *result);
}

void
confab_sdp_audio_result_free (ConfabSdpAudioResult *result)
{
  if (!result)
    return;
  confab_sdp_audio_result_clear (result);
  g_free (result);
}

static gboolean
sends (ConfabSdpDirection direction)
{
  return direction == CONFAB_SDP_DIRECTION_SENDRECV || direction == CONFAB_SDP_DIRECTION_SENDONLY;
}

static gboolean
receives (ConfabSdpDirection direction)
{
  return direction == CONFAB_SDP_DIRECTION_SENDRECV || direction == CONFAB_SDP_DIRECTION_RECVONLY;
}

static ConfabSdpDirection
make_direction (gboolean send,
                gboolean receive)
{
  if (send && receive)
    return CONFAB_SDP_DIRECTION_SENDRECV;
  if (send)
    return CONFAB_SDP_DIRECTION_SENDONLY;
  if (receive)
    return CONFAB_SDP_DIRECTION_RECVONLY;
  return CONFAB_SDP_DIRECTION_INACTIVE;
}

/* Our direction facing a peer that wrote @remote at @address, limited to
 * what we want (RFC 3264 §6.1): we send only if it receives. An RFC 2543
 * hold address (0.0.0.0) receives nothing. */
static ConfabSdpDirection
our_direction (ConfabSdpDirection remote,
               const char        *address,
               ConfabSdpDirection wanted)
{
  gboolean remote_receives = receives (remote) && g_strcmp0 (address, "0.0.0.0") != 0;

  return make_direction (remote_receives && sends (wanted), sends (remote) && receives (wanted));
}

static const ConfabSdpCodec *
find_codec (GPtrArray  *codecs,
            const char *encoding,
            guint       clock_rate)
{
  for (guint i = 0; i < codecs->len; i++) {
    const ConfabSdpCodec *codec = g_ptr_array_index (codecs, i);

    if (g_ascii_strcasecmp (codec->encoding, encoding) == 0 && codec->clock_rate == clock_rate)
      return codec;
  }
  return NULL;
}

/* The first voice codec of @preferred that @other has too (RFC 3264 §6.1:
 * the offerer's order). */
static const ConfabSdpCodec *
choose_codec (GPtrArray             *preferred,
              GPtrArray             *other,
              const ConfabSdpCodec **match)
{
  for (guint i = 0; i < preferred->len; i++) {
    const ConfabSdpCodec *codec = g_ptr_array_index (preferred, i);

    if (is_auxiliary (codec))
      continue;
    *match = find_codec (other, codec->encoding, codec->clock_rate);
    if (*match && !is_auxiliary (*match))
      return codec;
  }
  *match = NULL;
  return NULL;
}

static const ConfabSdpCodec *
find_dtmf (GPtrArray *codecs,
           guint      clock_rate)
{
  const ConfabSdpCodec *codec = find_codec (codecs, DTMF_ENCODING, clock_rate);

  return codec && is_dtmf (codec) ? codec : NULL;
}

/* What SDES support we can speak for: plain RTP/AVP(F) and RTP/SAVP(F);
 * DTLS (UDP/TLS/RTP/SAVPF) and RTP over TCP are not. */
static gboolean
is_supported_proto (const char *proto)
{
  static const char *const protos[] = { "RTP/AVP", "RTP/SAVP", "RTP/AVPF", "RTP/SAVPF" };

  for (guint i = 0; i < G_N_ELEMENTS (protos); i++) {
    if (g_ascii_strcasecmp (proto, protos[i]) == 0)
      return TRUE;
  }
  return FALSE;
}

static guint
rtcp_port_of (const ConfabSdpMedia *m,
              gboolean              rtcp_mux)
{
  if (rtcp_mux)
    return m->port;
  if (m->rtcp_port)
    return m->rtcp_port;
  return m->port < 65535 ? m->port + 1 : 0;
}

static ConfabSdpMedia *
fail_answer (GError        **error,
             ConfabSdpError  code,
             const char     *message)
{
  g_set_error_literal (error, CONFAB_SDP_ERROR, code, message);
  return NULL;
}

/**
 * confab_sdp_audio_negotiate_answer:
 * @offer_sdp: (nullable): the description @offer is part of, for its c=
 * @offer: an offered audio m-line
 * @local_codecs: (element-type ConfabSdpCodec): the codecs we can run
 * @address: our RTP address
 * @port: our RTP port
 * @local_direction: what we want: %CONFAB_SDP_DIRECTION_SENDONLY on hold
 * @result: (out caller-allocates): what was agreed; cleared first
 *
 * Answers an audio offer. rtcp-mux is accepted whenever it is offered.
 *
 * Returns: (transfer full) (nullable): the answer m-line, or %NULL with a
 *   %CONFAB_SDP_ERROR (answer the offer with 488)
 */
ConfabSdpMedia *
confab_sdp_audio_negotiate_answer (const ConfabSdp       *offer_sdp,
                                   const ConfabSdpMedia  *offer,
                                   GPtrArray             *local_codecs,
                                   ConfabSrtpMode         srtp,
                                   const char            *address,
                                   guint                  port,
                                   ConfabSdpDirection     local_direction,
                                   ConfabSdpAudioResult  *result,
                                   GError               **error)
{
  g_autoptr (ConfabSdpMedia) answer = NULL;
  const ConfabSdpCrypto *crypto = NULL;
  const ConfabSdpCodec *codec, *local, *dtmf = NULL, *local_dtmf = NULL;
  const char *remote_address;
  gboolean savp;

  g_return_val_if_fail (offer != NULL && local_codecs != NULL && result != NULL, NULL);
  g_return_val_if_fail (port <= 65535, NULL);

  confab_sdp_audio_result_clear (result);
  if (offer->port == 0)
    return fail_answer (error, CONFAB_SDP_ERROR_DISABLED,
                        _("The audio stream was offered disabled (port 0)."));
  if (g_strcmp0 (offer->media, "audio") != 0 || !is_supported_proto (offer->proto))
    return fail_answer (error, CONFAB_SDP_ERROR_UNSUPPORTED,
                        _("The offered stream is not RTP audio that Confab supports."));
  remote_address = confab_sdp_media_get_connection (offer_sdp, offer);
  if (!remote_address)
    return fail_answer (error, CONFAB_SDP_ERROR_UNSUPPORTED,
                        _("The audio offer has no address."));

  savp = confab_sdp_media_is_savp (offer);
  if (offer->crypto_invalid)
    return fail_answer (error, CONFAB_SDP_ERROR_INVALID_CRYPTO,
                        _("The caller’s encryption keys (a=crypto) are malformed."));
  if (savp && srtp == CONFAB_SRTP_MODE_OFF)
    return fail_answer (error, CONFAB_SDP_ERROR_SRTP_REFUSED,
                        _("The caller requires encrypted audio (SRTP), which is turned off."));
  for (guint i = 0; srtp != CONFAB_SRTP_MODE_OFF && i < offer->crypto->len && !crypto; i++) {
    if (_confab_sdp_crypto_is_usable (g_ptr_array_index (offer->crypto, i)))
      crypto = g_ptr_array_index (offer->crypto, i);
  }
  if (!crypto && (savp || (srtp == CONFAB_SRTP_MODE_REQUIRE && offer->crypto->len > 0)))
    return fail_answer (error, CONFAB_SDP_ERROR_NO_ACCEPTABLE_CRYPTO,
                        _("None of the caller’s encryption suites (a=crypto) is supported."));
  if (!crypto && srtp == CONFAB_SRTP_MODE_REQUIRE)
    return fail_answer (error, CONFAB_SDP_ERROR_SRTP_REQUIRED,
                        _("Encrypted audio (SRTP) is required, and the caller did not offer "
                          "it."));

  codec = choose_codec (offer->codecs, local_codecs, &local);
  if (!codec)
    return fail_answer (error, CONFAB_SDP_ERROR_NO_COMMON_CODEC,
                        _("The caller offered no audio codec Confab supports (no common "
                          "codec)."));
  local_dtmf = find_dtmf (local_codecs, codec->clock_rate);
  if (local_dtmf)
    dtmf = find_dtmf (offer->codecs, codec->clock_rate);

  answer = confab_sdp_media_new ("audio", port, offer->proto);
  {
    g_autoptr (ConfabSdpCodec) ours = confab_sdp_codec_copy (codec);

    /* The offer's numbers; our fmtp, which says what we like to receive. */
    g_free (ours->fmtp);
    ours->fmtp = g_strdup (local->fmtp);
    confab_sdp_media_add_codec (answer, ours);
  }
  if (dtmf) {
    g_autoptr (ConfabSdpCodec) ours = confab_sdp_codec_copy (dtmf);

    g_free (ours->fmtp);
    ours->fmtp = g_strdup (local_dtmf->fmtp);
    confab_sdp_media_add_codec (answer, ours);
  }
  answer->connection = g_strdup (address);
  answer->direction = our_direction (offer->direction, remote_address, local_direction);
  answer->rtcp_mux = offer->rtcp_mux;
  answer->ptime = DEFAULT_PTIME;

  if (crypto) {
    gsize key_length = confab_sdp_crypto_suite_key_length (crypto->suite);

    result->local_key = _confab_sdp_crypto_new_key (key_length);
    result->remote_key = confab_sdp_crypto_dup_inline_key (crypto);
    result->srtp_suite = g_strdup (crypto->suite);
    result->srtp = TRUE;
    g_ptr_array_add (answer->crypto, new_crypto (crypto->tag, crypto->suite, result->local_key));
  }

  result->codec = confab_sdp_codec_copy (codec);
  result->dtmf = dtmf ? confab_sdp_codec_copy (dtmf) : NULL;
  result->remote_address = g_strdup (remote_address);
  result->remote_port = offer->port;
  result->rtcp_mux = answer->rtcp_mux;
  result->remote_rtcp_port = rtcp_port_of (offer, result->rtcp_mux);
  result->direction = answer->direction;
  result->ptime = offer->ptime ? offer->ptime : DEFAULT_PTIME;
  return g_steal_pointer (&answer);
}

static gboolean
fail_apply (GError        **error,
            ConfabSdpError  code,
            const char     *message)
{
  g_set_error_literal (error, CONFAB_SDP_ERROR, code, message);
  return FALSE;
}

/* The answer's a=crypto line for one of ours: same tag, same suite. */
static const ConfabSdpCrypto *
match_crypto (const ConfabSdpMedia    *our_offer,
              const ConfabSdpMedia    *answer,
              const ConfabSdpCrypto  **ours)
{
  for (guint i = 0; i < answer->crypto->len; i++) {
    const ConfabSdpCrypto *theirs = g_ptr_array_index (answer->crypto, i);

    if (!_confab_sdp_crypto_is_usable (theirs))
      continue;
    for (guint j = 0; j < our_offer->crypto->len; j++) {
      const ConfabSdpCrypto *offered = g_ptr_array_index (our_offer->crypto, j);

      if (offered->tag == theirs->tag && g_strcmp0 (offered->suite, theirs->suite) == 0) {
        *ours = offered;
        return theirs;
      }
    }
  }
  return NULL;
}

/**
 * confab_sdp_audio_apply_answer:
 * @our_offer: the audio m-line we offered
 * @answer_sdp: (nullable): the description @answer is part of, for its c=
 * @answer: the peer's answer to it
 * @result: (out caller-allocates): what was agreed; cleared first
 *
 * Checks an answer against our offer: a codec we offered, a crypto tag and
 * suite we offered, the transport we offered.
 *
 * Returns: %TRUE, or %FALSE with a %CONFAB_SDP_ERROR (end the call)
 */
gboolean
confab_sdp_audio_apply_answer (const ConfabSdpMedia  *our_offer,
                               const ConfabSdp       *answer_sdp,
                               const ConfabSdpMedia  *answer,
                               ConfabSdpAudioResult  *result,
                               GError               **error)
{
  const ConfabSdpCodec *codec, *ours, *dtmf = NULL;
  const ConfabSdpCrypto *crypto = NULL, *our_crypto = NULL;
  const char *remote_address;

  g_return_val_if_fail (our_offer != NULL && answer != NULL && result != NULL, FALSE);

  confab_sdp_audio_result_clear (result);
  if (answer->port == 0)
    return fail_apply (error, CONFAB_SDP_ERROR_DISABLED, _("The peer declined the audio stream."));
  if (g_strcmp0 (answer->media, "audio") != 0 ||
      g_ascii_strcasecmp (answer->proto, our_offer->proto) != 0)
    return fail_apply (error, CONFAB_SDP_ERROR_ANSWER_MISMATCH,
                       _("The peer answered the audio stream with another transport."));
  remote_address = confab_sdp_media_get_connection (answer_sdp, answer);
  if (!remote_address)
    return fail_apply (error, CONFAB_SDP_ERROR_ANSWER_MISMATCH,
                       _("The peer’s audio answer has no address."));

  codec = choose_codec (answer->codecs, our_offer->codecs, &ours);
  if (!codec)
    return fail_apply (error, CONFAB_SDP_ERROR_NO_COMMON_CODEC,
                       _("The peer answered with no audio codec that was offered."));
  if (find_dtmf (our_offer->codecs, codec->clock_rate))
    dtmf = find_dtmf (answer->codecs, codec->clock_rate);

  if (answer->crypto_invalid)
    return fail_apply (error, CONFAB_SDP_ERROR_INVALID_CRYPTO,
                       _("The peer’s encryption keys (a=crypto) are malformed."));
  if (our_offer->crypto->len > 0 && answer->crypto->len > 0) {
    crypto = match_crypto (our_offer, answer, &our_crypto);
    if (!crypto)
      return fail_apply (error, CONFAB_SDP_ERROR_NO_ACCEPTABLE_CRYPTO,
                         _("The peer answered with an encryption suite that was not offered."));
  } else if (confab_sdp_media_is_savp (our_offer)) {
    return fail_apply (error, CONFAB_SDP_ERROR_NO_ACCEPTABLE_CRYPTO,
                       _("The peer answered without the required encryption keys."));
  }

  if (crypto) {
    result->srtp = TRUE;
    result->srtp_suite = g_strdup (crypto->suite);
    result->local_key = confab_sdp_crypto_dup_inline_key (our_crypto);
    result->remote_key = confab_sdp_crypto_dup_inline_key (crypto);
  }
  result->codec = confab_sdp_codec_copy (codec);
  result->dtmf = dtmf ? confab_sdp_codec_copy (dtmf) : NULL;
  result->remote_address = g_strdup (remote_address);
  result->remote_port = answer->port;
  result->rtcp_mux = answer->rtcp_mux && our_offer->rtcp_mux;
  result->remote_rtcp_port = rtcp_port_of (answer, result->rtcp_mux);
  result->direction = our_direction (answer->direction, remote_address, our_offer->direction);
  result->ptime = answer->ptime ? answer->ptime : DEFAULT_PTIME;
  return TRUE;
}
