/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The SDP model (RFC 4566): plain structs that the parser fills, the
 * builders assemble and confab_sdp_to_string() prints. Offer/answer for
 * audio lives in confab-sdp-audio.h. */

#define CONFAB_SDP_MAX_LENGTH     65536  /* bytes in one body */
#define CONFAB_SDP_MAX_LINE       4096   /* bytes in one line */
#define CONFAB_SDP_MAX_MEDIA      32     /* m= lines */
#define CONFAB_SDP_MAX_ATTRIBUTES 256    /* a= (and other) lines per section */
#define CONFAB_SDP_MAX_FORMATS    256    /* formats on one m= line */

typedef enum
{
  CONFAB_SDP_DIRECTION_SENDRECV,
  CONFAB_SDP_DIRECTION_SENDONLY,
  CONFAB_SDP_DIRECTION_RECVONLY,
  CONFAB_SDP_DIRECTION_INACTIVE,
} ConfabSdpDirection;

/* SRTP keyed in SDP (SDES, RFC 4568); see confab-sdp-audio.h. */
typedef enum
{
  CONFAB_SRTP_MODE_OFF,      /* plain RTP; an RTP/SAVP offer is refused */
  CONFAB_SRTP_MODE_OFFER,    /* a=crypto on RTP/AVP, as Blink and baresip do; plain if refused */
  CONFAB_SRTP_MODE_REQUIRE,  /* RTP/SAVP; no call without SRTP */
} ConfabSrtpMode;

/* Why an offer or answer could not be used; the SIP layer answers any of
 * them with 488 Not Acceptable Here (or ends the call for an answer). */
#define CONFAB_SDP_ERROR (confab_sdp_error_quark ())

typedef enum
{
  CONFAB_SDP_ERROR_DISABLED,             /* port 0 */
  CONFAB_SDP_ERROR_UNSUPPORTED,          /* not RTP audio, or a transport we lack */
  CONFAB_SDP_ERROR_NO_COMMON_CODEC,
  CONFAB_SDP_ERROR_SRTP_REQUIRED,        /* we require SRTP, the peer did not offer it */
  CONFAB_SDP_ERROR_SRTP_REFUSED,         /* the peer requires SRTP, ours is off */
  CONFAB_SDP_ERROR_NO_ACCEPTABLE_CRYPTO, /* SRTP offered, no suite/key we can use */
  CONFAB_SDP_ERROR_INVALID_CRYPTO,       /* every a=crypto line was malformed */
  CONFAB_SDP_ERROR_ANSWER_MISMATCH,      /* the answer does not fit our offer */
} ConfabSdpError;

typedef struct
{
  guint payload_type;
  char *encoding;     /* "opus", "PCMU", "telephone-event" */
  guint clock_rate;
  guint channels;     /* 1 unless the rtpmap says otherwise */
  char *fmtp;         /* parameters of a=fmtp, or NULL */
} ConfabSdpCodec;

/* One a=crypto line (RFC 4568). */
typedef struct
{
  guint tag;
  char *suite;           /* "AES_CM_128_HMAC_SHA1_80" */
  char *key_params;      /* "inline:<base64>[|lifetime][|MKI:len]" (';'-separated list) */
  char *session_params;  /* "UNENCRYPTED_SRTCP ..." or NULL */
} ConfabSdpCrypto;

typedef struct
{
  char *name;
  char *value;  /* NULL for a flag such as a=x-file-offset */
} ConfabSdpAttribute;

typedef struct
{
  char              *media;       /* "audio", "message", "application" */
  guint              port;        /* 0: the stream is disabled */
  guint              n_ports;     /* 1 unless m=<media> <port>/<n> */
  char              *proto;       /* "RTP/AVP", "RTP/SAVP", "TCP/TLS/MSRP" */
  GPtrArray         *formats;     /* char*, as on the m= line */
  GPtrArray         *codecs;      /* ConfabSdpCodec*, in m= order (RTP media only) */
  GPtrArray         *crypto;      /* ConfabSdpCrypto*, the well-formed lines */
  GPtrArray         *attributes;  /* ConfabSdpAttribute*: every other a= line, in order */
  GPtrArray         *other_lines; /* char*: i=, b=, k= and unknown lines, verbatim */
  char              *connection;  /* the media's c= address, or NULL */
  ConfabSdpDirection direction;   /* the media's own, else the session's */
  gboolean           rtcp_mux;
  guint              rtcp_port;   /* a=rtcp, or 0 */
  guint              ptime;       /* a=ptime, or 0 */
  gboolean           crypto_invalid; /* SAVP and every a=crypto line was malformed */
} ConfabSdpMedia;

typedef struct
{
  char              *origin_username;
  guint64            session_id;
  guint64            session_version;
  char              *origin_address;
  char              *session_name;
  char              *connection;   /* the session c= address, or NULL */
  GPtrArray         *attributes;   /* ConfabSdpAttribute*, session level */
  GPtrArray         *other_lines;  /* char*: i=, u=, e=, p=, b=, r=, z=, k=, unknown */
  GPtrArray         *media;        /* ConfabSdpMedia* */
  ConfabSdpDirection direction;    /* session-level a=sendonly etc. */
} ConfabSdp;

GQuark              confab_sdp_error_quark            (void);

/* Parsing and printing */
ConfabSdp          *confab_sdp_parse                  (const char            *text,
                                                       gsize                  length,
                                                       GError               **error);
char               *confab_sdp_to_string              (const ConfabSdp       *sdp);

/* Building */
ConfabSdp          *confab_sdp_new                    (const char            *address,
                                                       guint64                session_id,
                                                       guint64                version);
void                confab_sdp_add_media              (ConfabSdp             *sdp,
                                                       ConfabSdpMedia        *media);
ConfabSdp          *confab_sdp_copy                   (const ConfabSdp       *sdp);
void                confab_sdp_free                   (ConfabSdp             *sdp);
const char         *confab_sdp_get_attribute          (const ConfabSdp       *sdp,
                                                       const char            *name);

ConfabSdpMedia     *confab_sdp_media_new              (const char            *media,
                                                       guint                  port,
                                                       const char            *proto);
ConfabSdpMedia     *confab_sdp_media_new_rejected     (const ConfabSdpMedia  *offer);
ConfabSdpMedia     *confab_sdp_media_copy             (const ConfabSdpMedia  *media);
void                confab_sdp_media_free             (ConfabSdpMedia        *media);
void                confab_sdp_media_add_codec        (ConfabSdpMedia        *media,
                                                       const ConfabSdpCodec  *codec);
void                confab_sdp_media_add_attribute    (ConfabSdpMedia        *media,
                                                       const char            *name,
                                                       const char            *value);
const char         *confab_sdp_media_get_attribute    (const ConfabSdpMedia  *media,
                                                       const char            *name);
gboolean            confab_sdp_media_has_attribute    (const ConfabSdpMedia  *media,
                                                       const char            *name);
const ConfabSdpCodec *confab_sdp_media_find_codec     (const ConfabSdpMedia  *media,
                                                       guint                  payload_type);
const char         *confab_sdp_media_get_connection   (const ConfabSdp       *sdp,
                                                       const ConfabSdpMedia  *media);
gboolean            confab_sdp_media_is_hold          (const ConfabSdp       *sdp,
                                                       const ConfabSdpMedia  *media);
gboolean            confab_sdp_media_is_rtp           (const ConfabSdpMedia  *media);
gboolean            confab_sdp_media_is_savp          (const ConfabSdpMedia  *media);

ConfabSdpCodec     *confab_sdp_codec_new              (guint                  payload_type,
                                                       const char            *encoding,
                                                       guint                  clock_rate,
                                                       guint                  channels,
                                                       const char            *fmtp);
ConfabSdpCodec     *confab_sdp_codec_copy             (const ConfabSdpCodec  *codec);
void                confab_sdp_codec_free             (ConfabSdpCodec        *codec);

ConfabSdpCrypto    *confab_sdp_crypto_new             (guint                  tag,
                                                       const char            *suite,
                                                       const char            *key_params,
                                                       const char            *session_params);
ConfabSdpCrypto    *confab_sdp_crypto_copy            (const ConfabSdpCrypto *crypto);
void                confab_sdp_crypto_free            (ConfabSdpCrypto       *crypto);
gsize               confab_sdp_crypto_suite_key_length (const char           *suite);
char               *confab_sdp_crypto_dup_inline_key  (const ConfabSdpCrypto *crypto);
guint8             *confab_sdp_crypto_decode_key      (const char            *key,
                                                       gsize                 *length,
                                                       GError               **error);

void                confab_sdp_attribute_free         (ConfabSdpAttribute    *attribute);

/* Directions */
ConfabSdpDirection  confab_sdp_direction_reverse      (ConfabSdpDirection     direction);
const char         *confab_sdp_direction_to_string    (ConfabSdpDirection     direction);
gboolean            confab_sdp_direction_from_string  (const char            *text,
                                                       ConfabSdpDirection    *direction);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabSdp, confab_sdp_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabSdpMedia, confab_sdp_media_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabSdpCodec, confab_sdp_codec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabSdpCrypto, confab_sdp_crypto_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabSdpAttribute, confab_sdp_attribute_free)

G_END_DECLS
