/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabAudioStream"

#include "config.h"

#include "confab-audio-stream.h"
#include "confab-error.h"
#include "media/confab-ice.h"
#include "media/confab-rtp-audio.h"
#include "sdp/confab-sdp-audio.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define DTMF_TONE_MS 160

struct _ConfabAudioStream
{
  ConfabStream          parent_instance;

  char                 *bind_address;
  char                 *codec_names;
  int                   srtp_mode;
  char                 *play_wav;
  char                 *record_wav;
  gboolean              ice_offer;      /* our offers carry ICE */
  gboolean              ice_accept;     /* we answer ICE offers with ICE */
  ConfabIceServers     *ice_servers;
  char                 *input_device;   /* ConfabAudioDevice ids; NULL: default */
  char                 *output_device;
  gboolean              echo_cancel;

  ConfabRtpAudio       *rtp;
  ConfabIce            *ice;
  gboolean              ready_emitted;
  /* SRTP of the running call: its keys stay for the whole call. */
  char                 *running_suite;
  char                 *running_local_key;
  char                 *running_remote_key;
  ConfabSdpMedia       *our_offer;
  ConfabSdpAudioResult *result;
  gboolean              started;
  GQueue                dtmf_queue;     /* digits waiting their turn */
  guint                 dtmf_id;
};

G_DEFINE_FINAL_TYPE (ConfabAudioStream, confab_audio_stream, CONFAB_TYPE_STREAM)

enum {
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_ICE_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_RECORDING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static ConfabSdpDirection
wanted_direction (ConfabAudioStream *self)
{
  return confab_stream_get_local_hold (CONFAB_STREAM (self)) ? CONFAB_SDP_DIRECTION_SENDONLY
                                                              : CONFAB_SDP_DIRECTION_SENDRECV;
}

static void
on_dtmf_received (ConfabRtpAudio    *rtp,
                  guint              event,
                  char               digit,
                  ConfabAudioStream *self)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, (int) digit);
}

static void
on_rtp_recording (ConfabRtpAudio    *rtp,
                  GParamSpec        *pspec,
                  ConfabAudioStream *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECORDING]);
}

static void
on_ice_state (ConfabIce         *ice,
              GParamSpec        *pspec,
              ConfabAudioStream *self)
{
  ConfabIceState state = confab_ice_get_state (ice);

  if (state == CONFAB_ICE_STATE_FAILED)
    _confab_stream_set_state (CONFAB_STREAM (self), CONFAB_STREAM_STATE_FAILED,
                              _("ICE found no path to the peer"));
  g_signal_emit (self, signals[SIGNAL_ICE_CHANGED], 0);
  if (state != CONFAB_ICE_STATE_GATHERING && !self->ready_emitted) {
    self->ready_emitted = TRUE;
    _confab_stream_emit_ready (CONFAB_STREAM (self));
  }
}

/* Opens our side of the stream: our own UDP ports, or an ICE agent that
 * has gathered its candidates when @use_ice. */
static gboolean
ensure_rtp (ConfabAudioStream  *self,
            gboolean            use_ice,
            gboolean            controlling,
            GError            **error)
{
  if (self->rtp)
    return TRUE;
  self->rtp = confab_rtp_audio_new ();
  if (self->play_wav)
    confab_rtp_audio_set_input_file (self->rtp, self->play_wav);
  if (self->record_wav)
    confab_rtp_audio_set_output_file (self->rtp, self->record_wav);
  confab_rtp_audio_set_devices (self->rtp, self->input_device, self->output_device);
  confab_rtp_audio_set_echo_cancel (self->rtp, self->echo_cancel);
  g_signal_connect_object (self->rtp, "dtmf-received", G_CALLBACK (on_dtmf_received), self, 0);
  g_signal_connect_object (self->rtp, "notify::recording", G_CALLBACK (on_rtp_recording), self,
                           0);

  if (use_ice) {
    self->ice = confab_ice_new (self->bind_address, 2, self->ice_servers);
    confab_ice_set_controlling (self->ice, controlling);
    g_signal_connect_object (self->ice, "notify::state", G_CALLBACK (on_ice_state), self, 0);
    g_signal_connect_object (self->ice, "notify::pair-type", G_CALLBACK (on_ice_state), self, 0);
    if (!confab_ice_gather (self->ice, error) ||
        !confab_rtp_audio_prepare_ice (self->rtp, self->ice, error)) {
      g_clear_object (&self->ice);
      g_clear_object (&self->rtp);
      return FALSE;
    }
    return TRUE;
  }

  if (!confab_rtp_audio_prepare (self->rtp, self->bind_address, error)) {
    g_clear_object (&self->rtp);
    return FALSE;
  }
  return TRUE;
}

/* m=, c= and a=rtcp name the ICE default candidates (RFC 8839 section 4.2),
 * then the ICE attributes follow. */
static void
describe_ice (ConfabAudioStream *self,
              ConfabSdpMedia    *media,
              const char        *session_address)
{
  g_autofree char *address = NULL;
  guint port = 0, rtcp_port = 0;

  if (!confab_ice_get_default (self->ice, 1, session_address, &address, &port, NULL))
    return;
  media->port = port;
  if (g_strcmp0 (address, session_address) != 0) {
    g_free (media->connection);
    media->connection = g_steal_pointer (&address);
  }
  if (confab_ice_get_default (self->ice, 2, session_address, NULL, &rtcp_port, NULL))
    media->rtcp_port = rtcp_port;
  confab_ice_describe (self->ice, media);
}

static gboolean
confab_audio_stream_prepare (ConfabStream          *stream,
                             const ConfabSdp       *sdp,
                             const ConfabSdpMedia  *offer,
                             GError               **error)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (stream);

  if (offer == NULL)
    return ensure_rtp (self, self->ice_offer, TRUE, error);
  return ensure_rtp (self, self->ice_accept && confab_ice_sdp_has_ice (sdp, offer), FALSE, error);
}

static gboolean
confab_audio_stream_is_ready (ConfabStream *stream)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (stream);

  return self->ice == NULL || !confab_ice_is_gathering (self->ice);
}

static void
wipe_string (char **text)
{
  if (*text)
    explicit_bzero (*text, strlen (*text));
  g_clear_pointer (text, g_free);
}

/* A re-INVITE repeats our SRTP key in the suite in use (RFC 4568 section
 * 7.1.4 lets it): the running srtpenc cannot change keys, and a peer that
 * took a new key would hear nothing. */
static void
pin_local_key (ConfabAudioStream    *self,
               ConfabSdpMedia       *media,
               ConfabSdpAudioResult *result)
{
  if (!self->started || self->running_suite == NULL)
    return;
  for (guint i = media->crypto->len; i-- > 0;) {
    ConfabSdpCrypto *crypto = g_ptr_array_index (media->crypto, i);

    if (g_strcmp0 (crypto->suite, self->running_suite) != 0) {
      if (result == NULL)
        g_ptr_array_remove_index (media->crypto, i);
      continue;
    }
    wipe_string (&crypto->key_params);
    crypto->key_params = g_strconcat ("inline:", self->running_local_key, NULL);
  }
  if (result && result->srtp && g_strcmp0 (result->srtp_suite, self->running_suite) == 0) {
    wipe_string (&result->local_key);
    result->local_key = g_strdup (self->running_local_key);
  }
}

static ConfabSdpMedia *
confab_audio_stream_create_offer (ConfabStream  *stream,
                                  const char    *address,
                                  GError       **error)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (stream);
  g_autoptr (GPtrArray) codecs = NULL;
  g_autofree char *key = NULL;
  ConfabSdpMedia *offer;

  if (!ensure_rtp (self, self->ice_offer, TRUE, error))
    return NULL;
  codecs = confab_sdp_audio_default_codecs (self->codec_names);
  offer = confab_sdp_audio_build_offer (address, confab_rtp_audio_get_local_port (self->rtp),
                                        codecs, self->srtp_mode, TRUE, wanted_direction (self),
                                        &key);
  if (self->ice)
    describe_ice (self, offer, address);
  pin_local_key (self, offer, NULL);
  g_clear_pointer (&self->our_offer, confab_sdp_media_free);
  self->our_offer = confab_sdp_media_copy (offer);
  return offer;
}

static gboolean
confab_audio_stream_apply_answer (ConfabStream          *stream,
                                  const ConfabSdp       *sdp,
                                  const ConfabSdpMedia  *answer,
                                  GError               **error)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (stream);
  ConfabSdpAudioResult *result = g_new0 (ConfabSdpAudioResult, 1);

  if (!self->our_offer ||
      !confab_sdp_audio_apply_answer (self->our_offer, sdp, answer, result, error)) {
    confab_sdp_audio_result_free (result);
    return FALSE;
  }

  if (self->ice && confab_ice_sdp_has_ice (sdp, answer)) {
    if (!confab_ice_set_remote (self->ice, sdp, answer, error)) {
      confab_sdp_audio_result_free (result);
      return FALSE;
    }
  } else if (self->ice && !self->started) {
    /* The peer does not do ICE: plain RTP on the ports our offer named. */
    guint port = confab_rtp_audio_get_local_port (self->rtp);
    guint rtcp_port = confab_rtp_audio_get_local_rtcp_port (self->rtp);

    g_debug ("The answer has no ICE; plain RTP on %u/%u", port, rtcp_port);
    g_clear_object (&self->ice);
    if (!confab_rtp_audio_prepare_ports (self->rtp, self->bind_address, port, rtcp_port, error)) {
      confab_sdp_audio_result_free (result);
      return FALSE;
    }
  }
  g_clear_pointer (&self->result, confab_sdp_audio_result_free);
  self->result = result;
  return TRUE;
}

static ConfabSdpMedia *
confab_audio_stream_create_answer (ConfabStream          *stream,
                                   const ConfabSdp       *sdp,
                                   const ConfabSdpMedia  *offer,
                                   const char            *address,
                                   GError               **error)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (stream);
  g_autoptr (GPtrArray) codecs = NULL;
  ConfabSdpAudioResult *result;
  ConfabSdpMedia *answer;

  if (!ensure_rtp (self, self->ice_accept && confab_ice_sdp_has_ice (sdp, offer), FALSE, error))
    return NULL;
  codecs = confab_sdp_audio_default_codecs (self->codec_names);
  result = g_new0 (ConfabSdpAudioResult, 1);
  answer = confab_sdp_audio_negotiate_answer (sdp, offer, codecs, self->srtp_mode, address,
                                              confab_rtp_audio_get_local_port (self->rtp),
                                              wanted_direction (self), result, error);
  if (!answer) {
    confab_sdp_audio_result_free (result);
    return NULL;
  }
  if (self->ice) {
    if (confab_ice_sdp_has_ice (sdp, offer) && !confab_ice_set_remote (self->ice, sdp, offer, error)) {
      confab_sdp_audio_result_free (result);
      confab_sdp_media_free (answer);
      return NULL;
    }
    describe_ice (self, answer, address);
  }
  pin_local_key (self, answer, result);
  g_clear_pointer (&self->result, confab_sdp_audio_result_free);
  self->result = result;
  return answer;
}

static gboolean
confab_audio_stream_start (ConfabStream  *stream,
                           GError       **error)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (stream);
  ConfabSdpAudioResult *r = self->result;
  gboolean send, receive;
  g_autofree guint8 *local_key = NULL, *remote_key = NULL;
  gsize local_key_len = 0, remote_key_len = 0;
  ConfabRtpAudioParams params = { 0 };
  gboolean ok;

  g_return_val_if_fail (r != NULL && self->rtp != NULL, FALSE);

  send = r->direction == CONFAB_SDP_DIRECTION_SENDRECV || r->direction == CONFAB_SDP_DIRECTION_SENDONLY;
  send = send && !confab_stream_get_local_hold (stream); /* on hold the other side hears nothing */
  receive = r->direction == CONFAB_SDP_DIRECTION_SENDRECV ||
            r->direction == CONFAB_SDP_DIRECTION_RECVONLY;

  /* A re-INVITE (hold, resume) changes directions on the running pipeline. */
  if (self->started) {
    confab_rtp_audio_set_direction (self->rtp, send, receive);
    /* The peer re-keyed: decrypt with its new key from now on. */
    if (r->srtp && self->running_remote_key && g_strcmp0 (r->srtp_suite, self->running_suite) == 0 &&
        g_strcmp0 (r->remote_key, self->running_remote_key) != 0) {
      remote_key = confab_sdp_crypto_decode_key (r->remote_key, &remote_key_len, NULL);
      if (remote_key && confab_rtp_audio_set_remote_key (self->rtp, remote_key, remote_key_len)) {
        wipe_string (&self->running_remote_key);
        self->running_remote_key = g_strdup (r->remote_key);
        g_debug ("The peer changed its SRTP key");
      }
      if (remote_key)
        explicit_bzero (remote_key, remote_key_len);
    }
    return TRUE;
  }

  if (r->srtp) {
    local_key = confab_sdp_crypto_decode_key (r->local_key, &local_key_len, error);
    if (!local_key)
      return FALSE;
    remote_key = confab_sdp_crypto_decode_key (r->remote_key, &remote_key_len, error);
    if (!remote_key) {
      memset (local_key, 0, local_key_len);
      return FALSE;
    }
  }
  params.remote_address = r->remote_address;
  params.remote_port = r->remote_port;
  params.remote_rtcp_port = r->remote_rtcp_port;
  params.rtcp_mux = r->rtcp_mux;
  params.payload_type = r->codec->payload_type;
  params.encoding = r->codec->encoding;
  params.clock_rate = r->codec->clock_rate;
  params.channels = r->codec->channels;
  params.dtmf_payload_type = r->dtmf ? r->dtmf->payload_type : 0;
  params.dtmf_clock_rate = r->dtmf ? r->dtmf->clock_rate : 0;
  params.ptime = r->ptime;
  params.srtp_suite = r->srtp ? r->srtp_suite : NULL;
  params.srtp_local_key = local_key;
  params.srtp_local_key_len = local_key_len;
  params.srtp_remote_key = remote_key;
  params.srtp_remote_key_len = remote_key_len;
  params.send = send;
  params.receive = receive;

  ok = confab_rtp_audio_start (self->rtp, &params, error);
  /* Our copies of the keys go as soon as GStreamer has its own. */
  if (local_key)
    memset (local_key, 0, local_key_len);
  if (remote_key)
    memset (remote_key, 0, remote_key_len);
  if (!ok)
    return FALSE;
  self->started = TRUE;
  if (r->srtp) {
    self->running_suite = g_strdup (r->srtp_suite);
    self->running_local_key = g_strdup (r->local_key);
    self->running_remote_key = g_strdup (r->remote_key);
  }
  return TRUE;
}

static void
confab_audio_stream_stop (ConfabStream *stream)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (stream);

  g_clear_handle_id (&self->dtmf_id, g_source_remove);
  g_queue_clear (&self->dtmf_queue);
  if (self->rtp)
    confab_rtp_audio_stop (self->rtp);
  self->started = FALSE;
  g_clear_pointer (&self->running_suite, g_free);
  wipe_string (&self->running_local_key);
  wipe_string (&self->running_remote_key);
}

static void
confab_audio_stream_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (object);

  switch (prop_id) {
  case PROP_RECORDING:
    g_value_set_boolean (value, confab_audio_stream_is_recording (self));
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_audio_stream_dispose (GObject *object)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (object);

  g_clear_handle_id (&self->dtmf_id, g_source_remove);
  if (self->rtp)
    confab_rtp_audio_stop (self->rtp);
  g_clear_object (&self->rtp);
  g_clear_object (&self->ice);

  G_OBJECT_CLASS (confab_audio_stream_parent_class)->dispose (object);
}

static void
confab_audio_stream_finalize (GObject *object)
{
  ConfabAudioStream *self = CONFAB_AUDIO_STREAM (object);

  g_free (self->bind_address);
  g_free (self->codec_names);
  g_free (self->play_wav);
  g_free (self->record_wav);
  g_free (self->input_device);
  g_free (self->output_device);
  confab_ice_servers_free (self->ice_servers);
  g_free (self->running_suite);
  wipe_string (&self->running_local_key);
  wipe_string (&self->running_remote_key);
  g_queue_clear (&self->dtmf_queue);
  g_clear_pointer (&self->our_offer, confab_sdp_media_free);
  g_clear_pointer (&self->result, confab_sdp_audio_result_free);

  G_OBJECT_CLASS (confab_audio_stream_parent_class)->finalize (object);
}

static void
confab_audio_stream_class_init (ConfabAudioStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ConfabStreamClass *stream_class = CONFAB_STREAM_CLASS (klass);

  object_class->get_property = confab_audio_stream_get_property;
  object_class->dispose = confab_audio_stream_dispose;
  object_class->finalize = confab_audio_stream_finalize;

  stream_class->media_type = "audio";
  stream_class->prepare = confab_audio_stream_prepare;
  stream_class->is_ready = confab_audio_stream_is_ready;
  stream_class->create_offer = confab_audio_stream_create_offer;
  stream_class->apply_answer = confab_audio_stream_apply_answer;
  stream_class->create_answer = confab_audio_stream_create_answer;
  stream_class->start = confab_audio_stream_start;
  stream_class->stop = confab_audio_stream_stop;

  /* An RFC 4733 event from the peer: the digit as a character. */
  signals[SIGNAL_DTMF_RECEIVED] =
    g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_CHAR);

  /* ICE moved on: its state or the candidate pair carrying RTP. */
  signals[SIGNAL_ICE_CHANGED] =
    g_signal_new ("ice-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  /**
   * ConfabAudioStream:recording:
   *
   * Whether the call is being recorded to a file; it turns %FALSE when
   * the recording stops, also because the call ended.
   */
  props[PROP_RECORDING] =
    g_param_spec_boolean ("recording", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
confab_audio_stream_init (ConfabAudioStream *self)
{
  self->echo_cancel = TRUE;
  g_queue_init (&self->dtmf_queue);
}

ConfabAudioStream *
confab_audio_stream_new (const char *bind_address)
{
  ConfabAudioStream *self = g_object_new (CONFAB_TYPE_AUDIO_STREAM, NULL);

  self->bind_address = g_strdup (bind_address);
  self->srtp_mode = CONFAB_SRTP_MODE_OFFER;
  self->ice_accept = TRUE;
  return self;
}

/**
 * confab_audio_stream_set_ice:
 * @offer: whether our offers carry ICE candidates
 * @accept: whether we answer an ICE offer with ICE (else plain RTP)
 * @servers: (nullable): STUN and TURN servers
 *
 * Applies before the first offer or answer.
 */
void
confab_audio_stream_set_ice (ConfabAudioStream      *self,
                             gboolean                offer,
                             gboolean                accept,
                             const ConfabIceServers *servers)
{
  g_return_if_fail (CONFAB_IS_AUDIO_STREAM (self));
  self->ice_offer = offer;
  self->ice_accept = accept;
  confab_ice_servers_free (self->ice_servers);
  self->ice_servers = servers ? confab_ice_servers_copy (servers) : NULL;
}

/**
 * confab_audio_stream_get_ice_pair_type:
 *
 * Returns: (nullable): "host", "srflx", "prflx" or "relay" once ICE has
 *   picked the path for RTP; %NULL without ICE
 */
const char *
confab_audio_stream_get_ice_pair_type (ConfabAudioStream *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), NULL);
  return self->ice ? confab_ice_get_pair_type (self->ice) : NULL;
}

/**
 * confab_audio_stream_dup_ice_candidates:
 * @remote: the peer's instead of ours
 *
 * Returns: (transfer full) (nullable): the types of the ICE candidates for
 *   RTP ("host", "srflx", "relay"); %NULL without ICE
 */
char **
confab_audio_stream_dup_ice_candidates (ConfabAudioStream *self,
                                        gboolean           remote)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), NULL);
  return self->ice ? confab_ice_dup_candidate_types (self->ice, remote) : NULL;
}

/**
 * confab_audio_stream_get_ice_state:
 *
 * Returns: (nullable): "gathering", "checking", "connected", "failed"…;
 *   %NULL without ICE
 */
const char *
confab_audio_stream_get_ice_state (ConfabAudioStream *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), NULL);
  return self->ice ? confab_ice_state_to_string (confab_ice_get_state (self->ice)) : NULL;
}

/**
 * confab_audio_stream_get_ice:
 *
 * Returns: whether the call runs over ICE
 */
gboolean
confab_audio_stream_get_ice (ConfabAudioStream *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), FALSE);
  return self->ice != NULL;
}

void
confab_audio_stream_set_codecs (ConfabAudioStream *self,
                                const char        *codecs)
{
  g_return_if_fail (CONFAB_IS_AUDIO_STREAM (self));
  g_free (self->codec_names);
  self->codec_names = g_strdup (codecs);
}

void
confab_audio_stream_set_srtp_mode (ConfabAudioStream *self,
                                   int                mode)
{
  g_return_if_fail (CONFAB_IS_AUDIO_STREAM (self));
  self->srtp_mode = mode;
}

void
confab_audio_stream_set_files (ConfabAudioStream *self,
                               const char        *play_wav,
                               const char        *record_wav)
{
  g_return_if_fail (CONFAB_IS_AUDIO_STREAM (self));
  g_free (self->play_wav);
  g_free (self->record_wav);
  self->play_wav = g_strdup (play_wav);
  self->record_wav = g_strdup (record_wav);
}

static gboolean
send_next_digit (gpointer user_data)
{
  ConfabAudioStream *self = user_data;
  char digit;

  if (g_queue_is_empty (&self->dtmf_queue) || !self->started) {
    self->dtmf_id = 0;
    return G_SOURCE_REMOVE;
  }
  digit = (char) GPOINTER_TO_INT (g_queue_pop_head (&self->dtmf_queue));
  confab_rtp_audio_send_dtmf (self->rtp, digit, DTMF_TONE_MS);
  return G_SOURCE_CONTINUE;
}

/**
 * confab_audio_stream_send_dtmf:
 * @digits: 0-9, *, #, A-D
 *
 * Sends RFC 4733 events, one after the other.
 */
gboolean
confab_audio_stream_send_dtmf (ConfabAudioStream  *self,
                               const char         *digits,
                               GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), FALSE);
  g_return_val_if_fail (digits != NULL, FALSE);

  if (!self->started || !self->result || !self->result->dtmf) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The peer does not take DTMF events on this call"));
    return FALSE;
  }
  for (const char *p = digits; *p; p++) {
    if (!g_ascii_isdigit (*p) && !strchr ("*#ABCDabcd", *p)) {
      g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%c” is not a DTMF digit"), *p);
      return FALSE;
    }
  }
  for (const char *p = digits; *p; p++)
    g_queue_push_tail (&self->dtmf_queue, GINT_TO_POINTER ((int) g_ascii_toupper (*p)));
  if (!self->dtmf_id) {
    send_next_digit (self);
    self->dtmf_id = g_timeout_add (DTMF_TONE_MS + 90, send_next_digit, self);
  }
  return TRUE;
}

void
confab_audio_stream_set_muted (ConfabAudioStream *self,
                               gboolean           muted)
{
  g_return_if_fail (CONFAB_IS_AUDIO_STREAM (self));
  if (self->rtp)
    g_object_set (self->rtp, "muted", muted, NULL);
}

const char *
confab_audio_stream_get_codec (ConfabAudioStream *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), NULL);
  return self->result && self->result->codec ? self->result->codec->encoding : NULL;
}

guint
confab_audio_stream_get_clock_rate (ConfabAudioStream *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), 0);
  return self->result && self->result->codec ? self->result->codec->clock_rate : 0;
}

gboolean
confab_audio_stream_get_srtp (ConfabAudioStream *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), FALSE);
  return self->result && self->result->srtp;
}

char *
confab_audio_stream_dup_summary (ConfabAudioStream *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  double loss = 0;

  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), NULL);

  if (!self->result || !self->result->codec)
    return g_strdup ("");
  if (g_ascii_strcasecmp (self->result->codec->encoding, "opus") == 0)
    g_string_append (text, "Opus");
  else
    g_string_append (text, self->result->codec->encoding);
  /* G.722 runs at 16 kHz though its RTP clock says 8000 (RFC 3551). */
  g_string_append_printf (text, " %u kHz",
                          g_ascii_strcasecmp (self->result->codec->encoding, "G722") == 0
                          ? 16 : self->result->codec->clock_rate / 1000);
  if (self->result->srtp)
    g_string_append (text, " · SRTP");
  if (self->ice && confab_ice_get_pair_type (self->ice))
    g_string_append_printf (text, " · ICE %s", confab_ice_get_pair_type (self->ice));
  if (self->rtp) {
    g_object_get (self->rtp, "packet-loss", &loss, NULL);
    g_string_append_printf (text, " · %.0f%% loss", loss * 100);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * confab_audio_stream_set_devices:
 * @input_device: (nullable): the microphone's ConfabAudioDevice id
 * @output_device: (nullable): the speaker's
 *
 * Applies when the stream opens its audio; %NULL, or a device not
 * connected then, means the system default.
 */
void
confab_audio_stream_set_devices (ConfabAudioStream *self,
                                 const char        *input_device,
                                 const char        *output_device)
{
  g_return_if_fail (CONFAB_IS_AUDIO_STREAM (self));
  g_free (self->input_device);
  g_free (self->output_device);
  self->input_device = g_strdup (input_device);
  self->output_device = g_strdup (output_device);
}

/* Echo cancellation and noise suppression, on by default; applies when
 * the stream opens its audio. */
void
confab_audio_stream_set_echo_cancel (ConfabAudioStream *self,
                                     gboolean           echo_cancel)
{
  g_return_if_fail (CONFAB_IS_AUDIO_STREAM (self));
  self->echo_cancel = !!echo_cancel;
}

/**
 * confab_audio_stream_start_recording:
 * @wav_path: the file to write; its folder must exist
 *
 * Records both directions, mixed, until
 * confab_audio_stream_stop_recording() or the end of the call.
 */
gboolean
confab_audio_stream_start_recording (ConfabAudioStream  *self,
                                     const char         *wav_path,
                                     GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), FALSE);
  g_return_val_if_fail (wav_path != NULL, FALSE);

  if (!self->started || !self->rtp) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("The call has no audio yet; record once it is connected."));
    return FALSE;
  }
  return confab_rtp_audio_start_recording (self->rtp, wav_path, error);
}

/* Finishes the file; blocks for at most a couple of seconds. */
void
confab_audio_stream_stop_recording (ConfabAudioStream *self)
{
  g_return_if_fail (CONFAB_IS_AUDIO_STREAM (self));
  if (self->rtp)
    confab_rtp_audio_stop_recording (self->rtp);
}

gboolean
confab_audio_stream_is_recording (ConfabAudioStream *self)
{
  g_return_val_if_fail (CONFAB_IS_AUDIO_STREAM (self), FALSE);
  return self->rtp && confab_rtp_audio_is_recording (self->rtp);
}
