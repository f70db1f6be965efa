/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSdp"

#include "config.h"

#include "confab-sdp-private.h"

#include <string.h>

/* The SDP model: constructors, deep copies, look-ups and direction helpers.
 * Parsing is in confab-sdp-parse.c, printing in confab-sdp-serialize.c. */

G_DEFINE_QUARK (confab-sdp-error-quark, confab_sdp_error)

/* RFC 3551 §6: payload types that need no a=rtpmap. */
static const ConfabSdpCodec static_codecs[] = {
  { 0, (char *) "PCMU", 8000, 1, NULL },
  { 3, (char *) "GSM", 8000, 1, NULL },
  { 4, (char *) "G723", 8000, 1, NULL },
  { 8, (char *) "PCMA", 8000, 1, NULL },
  { 9, (char *) "G722", 8000, 1, NULL },
  { 13, (char *) "CN", 8000, 1, NULL },
  { 18, (char *) "G729", 8000, 1, NULL },
};

const ConfabSdpCodec *
_confab_sdp_static_codec (guint payload_type)
{
  for (guint i = 0; i < G_N_ELEMENTS (static_codecs); i++) {
    if (static_codecs[i].payload_type == payload_type)
      return &static_codecs[i];
  }
  return NULL;
}

/* RFC 4566 token: what attribute names and media types are made of. */
gboolean
_confab_sdp_is_token (const char *text,
                      gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++) {
    guchar c = text[i];

    if (!g_ascii_isalnum (c) && !strchr ("!#$%&'*+-.^_`{|}~", c))
      return FALSE;
    if (c == '\0')
      return FALSE;
  }
  return TRUE;
}

void
confab_sdp_attribute_free (ConfabSdpAttribute *attribute)
{
  if (!attribute)
    return;
  g_free (attribute->name);
  g_free (attribute->value);
  g_free (attribute);
}

static ConfabSdpAttribute *
attribute_new (const char *name,
               const char *value)
{
  ConfabSdpAttribute *attribute = g_new0 (ConfabSdpAttribute, 1);

  attribute->name = g_strdup (name);
  attribute->value = g_strdup (value);
  return attribute;
}

static gpointer
attribute_copy (gconstpointer src,
                gpointer      user_data)
{
  const ConfabSdpAttribute *attribute = src;

  return attribute_new (attribute->name, attribute->value);
}

static gpointer
string_copy (gconstpointer src,
             gpointer      user_data)
{
  return g_strdup (src);
}

static GPtrArray *
attributes_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) confab_sdp_attribute_free);
}

static const ConfabSdpAttribute *
find_attribute (GPtrArray  *attributes,
                const char *name)
{
  for (guint i = 0; i < attributes->len; i++) {
    const ConfabSdpAttribute *attribute = g_ptr_array_index (attributes, i);

    if (g_ascii_strcasecmp (attribute->name, name) == 0)
      return attribute;
  }
  return NULL;
}

ConfabSdpCodec *
confab_sdp_codec_new (guint       payload_type,
                      const char *encoding,
                      guint       clock_rate,
                      guint       channels,
                      const char *fmtp)
{
  ConfabSdpCodec *codec;

  g_return_val_if_fail (encoding != NULL, NULL);

  codec = g_new0 (ConfabSdpCodec, 1);
  codec->payload_type = payload_type;
  codec->encoding = g_strdup (encoding);
  codec->clock_rate = clock_rate;
  codec->channels = channels ? channels : 1;
  codec->fmtp = g_strdup (fmtp);
  return codec;
}

ConfabSdpCodec *
confab_sdp_codec_copy (const ConfabSdpCodec *codec)
{
  g_return_val_if_fail (codec != NULL, NULL);
  return confab_sdp_codec_new (codec->payload_type, codec->encoding, codec->clock_rate,
                               codec->channels, codec->fmtp);
}

void
confab_sdp_codec_free (ConfabSdpCodec *codec)
{
  if (!codec)
    return;
  g_free (codec->encoding);
  g_free (codec->fmtp);
  g_free (codec);
}

ConfabSdpCrypto *
confab_sdp_crypto_new (guint       tag,
                       const char *suite,
                       const char *key_params,
                       const char *session_params)
{
  ConfabSdpCrypto *crypto;

  g_return_val_if_fail (suite != NULL && key_params != NULL, NULL);

  crypto = g_new0 (ConfabSdpCrypto, 1);
  crypto->tag = tag;
  crypto->suite = g_strdup (suite);
  crypto->key_params = g_strdup (key_params);
  crypto->session_params = g_strdup (session_params);
  return crypto;
}

ConfabSdpCrypto *
confab_sdp_crypto_copy (const ConfabSdpCrypto *crypto)
{
  g_return_val_if_fail (crypto != NULL, NULL);
  return confab_sdp_crypto_new (crypto->tag, crypto->suite, crypto->key_params,
                                crypto->session_params);
}

void
confab_sdp_crypto_free (ConfabSdpCrypto *crypto)
{
  if (!crypto)
    return;
  /* The key is a secret: do not leave it in freed memory. */
  if (crypto->key_params)
    explicit_bzero (crypto->key_params, strlen (crypto->key_params));
  g_free (crypto->suite);
  g_free (crypto->key_params);
  g_free (crypto->session_params);
  g_free (crypto);
}

/**
 * confab_sdp_new:
 * @address: (nullable): our address, for o= and the session c=
 *
 * Returns: (transfer full): an SDP with no media
 */
ConfabSdp *
confab_sdp_new (const char *address,
                guint64     session_id,
                guint64     version)
{
  ConfabSdp *sdp = g_new0 (ConfabSdp, 1);

  sdp->origin_username = g_strdup ("-");
  sdp->session_id = session_id;
  sdp->session_version = version;
  sdp->origin_address = g_strdup (address ? address : "0.0.0.0");
  sdp->session_name = g_strdup ("-");
  sdp->connection = g_strdup (address);
  sdp->attributes = attributes_new ();
  sdp->other_lines = g_ptr_array_new_with_free_func (g_free);
  sdp->media = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_sdp_media_free);
  sdp->direction = CONFAB_SDP_DIRECTION_SENDRECV;
  return sdp;
}

/* Takes ownership of @media. */
void
confab_sdp_add_media (ConfabSdp      *sdp,
                      ConfabSdpMedia *media)
{
  g_return_if_fail (sdp != NULL && media != NULL);
  g_ptr_array_add (sdp->media, media);
}

ConfabSdp *
confab_sdp_copy (const ConfabSdp *sdp)
{
  ConfabSdp *copy;

  g_return_val_if_fail (sdp != NULL, NULL);

  copy = g_new0 (ConfabSdp, 1);
  copy->origin_username = g_strdup (sdp->origin_username);
  copy->session_id = sdp->session_id;
  copy->session_version = sdp->session_version;
  copy->origin_address = g_strdup (sdp->origin_address);
  copy->session_name = g_strdup (sdp->session_name);
  copy->connection = g_strdup (sdp->connection);
  copy->attributes = g_ptr_array_copy (sdp->attributes, attribute_copy, NULL);
  g_ptr_array_set_free_func (copy->attributes, (GDestroyNotify) confab_sdp_attribute_free);
  copy->other_lines = g_ptr_array_copy (sdp->other_lines, string_copy, NULL);
  g_ptr_array_set_free_func (copy->other_lines, g_free);
  copy->media = g_ptr_array_new_full (sdp->media->len, (GDestroyNotify) confab_sdp_media_free);
  for (guint i = 0; i < sdp->media->len; i++)
    g_ptr_array_add (copy->media, confab_sdp_media_copy (g_ptr_array_index (sdp->media, i)));
  copy->direction = sdp->direction;
  return copy;
}

void
confab_sdp_free (ConfabSdp *sdp)
{
  if (!sdp)
    return;
  g_free (sdp->origin_username);
  g_free (sdp->origin_address);
  g_free (sdp->session_name);
  g_free (sdp->connection);
  g_clear_pointer (&sdp->attributes, g_ptr_array_unref);
  g_clear_pointer (&sdp->other_lines, g_ptr_array_unref);
  g_clear_pointer (&sdp->media, g_ptr_array_unref);
  g_free (sdp);
}

/**
 * confab_sdp_get_attribute:
 *
 * Returns: (nullable): the first session-level value of @name, "" for a
 *   flag, %NULL when absent
 */
const char *
confab_sdp_get_attribute (const ConfabSdp *sdp,
                          const char      *name)
{
  const ConfabSdpAttribute *attribute;

  g_return_val_if_fail (sdp != NULL && name != NULL, NULL);
  attribute = find_attribute (sdp->attributes, name);
  if (!attribute)
    return NULL;
  return attribute->value ? attribute->value : "";
}

ConfabSdpMedia *
confab_sdp_media_new (const char *media,
                      guint       port,
                      const char *proto)
{
  ConfabSdpMedia *m;

  g_return_val_if_fail (media != NULL && proto != NULL, NULL);
  g_return_val_if_fail (port <= 65535, NULL);

  m = g_new0 (ConfabSdpMedia, 1);
  m->media = g_strdup (media);
  m->port = port;
  m->n_ports = 1;
  m->proto = g_strdup (proto);
  m->formats = g_ptr_array_new_with_free_func (g_free);
  m->codecs = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_sdp_codec_free);
  m->crypto = g_ptr_array_new_with_free_func ((GDestroyNotify) confab_sdp_crypto_free);
  m->attributes = attributes_new ();
  m->other_lines = g_ptr_array_new_with_free_func (g_free);
  m->direction = CONFAB_SDP_DIRECTION_SENDRECV;
  return m;
}

/**
 * confab_sdp_media_new_rejected:
 * @offer: an offered m-line we decline
 *
 * RFC 3264 §6: a declined stream is answered with port 0 and the same
 * media type, transport and formats.
 *
 * Returns: (transfer full): the m-line for the answer
 */
ConfabSdpMedia *
confab_sdp_media_new_rejected (const ConfabSdpMedia *offer)
{
  ConfabSdpMedia *m;

  g_return_val_if_fail (offer != NULL, NULL);

  m = confab_sdp_media_new (offer->media, 0, offer->proto);
  for (guint i = 0; i < offer->formats->len; i++)
    g_ptr_array_add (m->formats, g_strdup (g_ptr_array_index (offer->formats, i)));
  if (m->formats->len == 0)
    g_ptr_array_add (m->formats, g_strdup (confab_sdp_media_is_rtp (offer) ? "0" : "*"));
  m->direction = offer->direction;
  return m;
}

ConfabSdpMedia *
confab_sdp_media_copy (const ConfabSdpMedia *media)
{
  ConfabSdpMedia *m;

  g_return_val_if_fail (media != NULL, NULL);

  m = confab_sdp_media_new (media->media, media->port, media->proto);
  m->n_ports = media->n_ports;
  for (guint i = 0; i < media->formats->len; i++)
    g_ptr_array_add (m->formats, g_strdup (g_ptr_array_index (media->formats, i)));
  for (guint i = 0; i < media->codecs->len; i++)
    g_ptr_array_add (m->codecs, confab_sdp_codec_copy (g_ptr_array_index (media->codecs, i)));
  for (guint i = 0; i < media->crypto->len; i++)
    g_ptr_array_add (m->crypto, confab_sdp_crypto_copy (g_ptr_array_index (media->crypto, i)));
  for (guint i = 0; i < media->attributes->len; i++)
    g_ptr_array_add (m->attributes, attribute_copy (g_ptr_array_index (media->attributes, i), NULL));
  for (guint i = 0; i < media->other_lines->len; i++)
    g_ptr_array_add (m->other_lines, g_strdup (g_ptr_array_index (media->other_lines, i)));
  m->connection = g_strdup (media->connection);
  m->direction = media->direction;
  m->rtcp_mux = media->rtcp_mux;
  m->rtcp_port = media->rtcp_port;
  m->ptime = media->ptime;
  m->crypto_invalid = media->crypto_invalid;
  return m;
}

void
confab_sdp_media_free (ConfabSdpMedia *media)
{
  if (!media)
    return;
  g_free (media->media);
  g_free (media->proto);
  g_clear_pointer (&media->formats, g_ptr_array_unref);
  g_clear_pointer (&media->codecs, g_ptr_array_unref);
  g_clear_pointer (&media->crypto, g_ptr_array_unref);
  g_clear_pointer (&media->attributes, g_ptr_array_unref);
  g_clear_pointer (&media->other_lines, g_ptr_array_unref);
  g_free (media->connection);
  g_free (media);
}

/* Appends a copy of @codec, and its payload type to the m= line. */
void
confab_sdp_media_add_codec (ConfabSdpMedia       *media,
                            const ConfabSdpCodec *codec)
{
  g_autofree char *pt = NULL;
  gboolean listed = FALSE;

  g_return_if_fail (media != NULL && codec != NULL);
  g_return_if_fail (codec->payload_type <= 127);

  pt = g_strdup_printf ("%u", codec->payload_type);
  for (guint i = 0; i < media->formats->len && !listed; i++)
    listed = g_str_equal (g_ptr_array_index (media->formats, i), pt);
  if (!listed)
    g_ptr_array_add (media->formats, g_steal_pointer (&pt));
  g_ptr_array_add (media->codecs, confab_sdp_codec_copy (codec));
}

/**
 * confab_sdp_media_add_attribute:
 * @value: (nullable): %NULL for a flag attribute
 *
 * Line breaks in @value (a file name, say) become spaces: they would start
 * new SDP lines.
 */
void
confab_sdp_media_add_attribute (ConfabSdpMedia *media,
                                const char     *name,
                                const char     *value)
{
  ConfabSdpAttribute *attribute;

  g_return_if_fail (media != NULL && name != NULL);
  g_return_if_fail (_confab_sdp_is_token (name, strlen (name)));

  attribute = attribute_new (name, value);
  for (char *p = attribute->value; p && *p; p++) {
    if (*p == '\r' || *p == '\n')
      *p = ' ';
  }
  g_ptr_array_add (media->attributes, attribute);
}

/**
 * confab_sdp_media_get_attribute:
 *
 * Returns: (nullable): the first value of @name, "" for a flag, %NULL when
 *   absent. Attributes the model holds in fields (rtpmap, fmtp, crypto,
 *   directions, rtcp, rtcp-mux, ptime on RTP media) are not listed.
 */
const char *
confab_sdp_media_get_attribute (const ConfabSdpMedia *media,
                                const char           *name)
{
  const ConfabSdpAttribute *attribute;

  g_return_val_if_fail (media != NULL && name != NULL, NULL);
  attribute = find_attribute (media->attributes, name);
  if (!attribute)
    return NULL;
  return attribute->value ? attribute->value : "";
}

gboolean
confab_sdp_media_has_attribute (const ConfabSdpMedia *media,
                                const char           *name)
{
  g_return_val_if_fail (media != NULL && name != NULL, FALSE);
  return find_attribute (media->attributes, name) != NULL;
}

const ConfabSdpCodec *
confab_sdp_media_find_codec (const ConfabSdpMedia *media,
                             guint                 payload_type)
{
  g_return_val_if_fail (media != NULL, NULL);
  for (guint i = 0; i < media->codecs->len; i++) {
    const ConfabSdpCodec *codec = g_ptr_array_index (media->codecs, i);

    if (codec->payload_type == payload_type)
      return codec;
  }
  return NULL;
}

/**
 * confab_sdp_media_get_connection:
 * @sdp: (nullable): the description @media belongs to
 *
 * Returns: (nullable): the media's c= address, else the session's
 */
const char *
confab_sdp_media_get_connection (const ConfabSdp      *sdp,
                                 const ConfabSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, NULL);
  if (media->connection)
    return media->connection;
  return sdp ? sdp->connection : NULL;
}

/**
 * confab_sdp_media_is_hold:
 * @sdp: (nullable): the description @media belongs to
 *
 * Whether the side that wrote @media holds the stream: it does not want to
 * receive (a=sendonly or a=inactive, RFC 3264 §8.4), or it set the old
 * RFC 2543 hold address c=IN IP4 0.0.0.0.
 */
gboolean
confab_sdp_media_is_hold (const ConfabSdp      *sdp,
                          const ConfabSdpMedia *media)
{
  const char *address;

  g_return_val_if_fail (media != NULL, FALSE);

  if (media->direction == CONFAB_SDP_DIRECTION_SENDONLY ||
      media->direction == CONFAB_SDP_DIRECTION_INACTIVE)
    return TRUE;
  address = confab_sdp_media_get_connection (sdp, media);
  return g_strcmp0 (address, "0.0.0.0") == 0;
}

static const char *
find_ascii_case (const char *haystack,
                 const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = haystack; *p; p++) {
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p;
  }
  return NULL;
}

/* RTP/AVP, RTP/SAVP, RTP/AVPF, RTP/SAVPF, UDP/TLS/RTP/SAVPF, TCP/RTP/AVP */
gboolean
confab_sdp_media_is_rtp (const ConfabSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, FALSE);
  return media->proto && find_ascii_case (media->proto, "RTP/") != NULL;
}

gboolean
confab_sdp_media_is_savp (const ConfabSdpMedia *media)
{
  g_return_val_if_fail (media != NULL, FALSE);
  return confab_sdp_media_is_rtp (media) && find_ascii_case (media->proto, "/SAVP") != NULL;
}

ConfabSdpDirection
confab_sdp_direction_reverse (ConfabSdpDirection direction)
{
  switch (direction) {
  case CONFAB_SDP_DIRECTION_SENDONLY:
    return CONFAB_SDP_DIRECTION_RECVONLY;
  case CONFAB_SDP_DIRECTION_RECVONLY:
    return CONFAB_SDP_DIRECTION_SENDONLY;
  case CONFAB_SDP_DIRECTION_INACTIVE:
    return CONFAB_SDP_DIRECTION_INACTIVE;
  case CONFAB_SDP_DIRECTION_SENDRECV:
  default:
    return CONFAB_SDP_DIRECTION_SENDRECV;
  }
}

const char *
confab_sdp_direction_to_string (ConfabSdpDirection direction)
{
  switch (direction) {
  case CONFAB_SDP_DIRECTION_SENDONLY:
    return "sendonly";
  case CONFAB_SDP_DIRECTION_RECVONLY:
    return "recvonly";
  case CONFAB_SDP_DIRECTION_INACTIVE:
    return "inactive";
  case CONFAB_SDP_DIRECTION_SENDRECV:
  default:
    return "sendrecv";
  }
}

gboolean
confab_sdp_direction_from_string (const char         *text,
                                  ConfabSdpDirection *direction)
{
  static const ConfabSdpDirection all[] = {
    CONFAB_SDP_DIRECTION_SENDRECV, CONFAB_SDP_DIRECTION_SENDONLY,
    CONFAB_SDP_DIRECTION_RECVONLY, CONFAB_SDP_DIRECTION_INACTIVE,
  };

  g_return_val_if_fail (text != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
    if (g_ascii_strcasecmp (text, confab_sdp_direction_to_string (all[i])) == 0) {
      if (direction)
        *direction = all[i];
      return TRUE;
    }
  }
  return FALSE;
}
