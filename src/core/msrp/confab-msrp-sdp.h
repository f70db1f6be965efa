/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "sdp/confab-sdp.h"
#include "confab-msrp-session.h"

G_BEGIN_DECLS

/* The MSRP side of an m-line (RFC 4975 §8, RFC 6135, RFC 8122): a=path,
 * a=setup, a=fingerprint, a=accept-types and a=accept-wrapped-types,
 * shared by chat, file transfer and screen sharing. */

#define CONFAB_MSRP_PROTO_TCP "TCP/MSRP"
#define CONFAB_MSRP_PROTO_TLS "TCP/TLS/MSRP"

typedef struct
{
  gboolean        tls;                 /* TCP/TLS/MSRP */
  char           *path;                /* a=path, checked to parse */
  gboolean        has_setup;
  ConfabMsrpSetup setup;               /* as written; ACTIVE when absent in an offer */
  char           *fingerprint;         /* a=fingerprint (media, else session), or NULL */
  char          **accept_types;        /* never NULL */
  char          **accept_wrapped_types; /* never NULL */
} ConfabMsrpSdpInfo;

gboolean        confab_msrp_sdp_is_msrp          (const ConfabSdpMedia    *media);
gboolean        confab_msrp_sdp_info_read        (ConfabMsrpSdpInfo       *info,
                                                  const ConfabSdp         *sdp,
                                                  const ConfabSdpMedia    *media,
                                                  GError                 **error);
void            confab_msrp_sdp_info_clear       (ConfabMsrpSdpInfo       *info);

/* Our m-line: port and c= from the first URI of @path. */
ConfabSdpMedia *confab_msrp_sdp_media_new        (const char              *media,
                                                  gboolean                 tls,
                                                  const char              *path,
                                                  ConfabMsrpSetup          setup,
                                                  const char              *fingerprint,
                                                  const char              *session_address);
/* Our role when answering an offer with @info (RFC 6135: actpass or passive
 * → we connect; active → we wait; none → the offerer connects, RFC 4975). */
ConfabMsrpSetup confab_msrp_sdp_answer_role      (const ConfabMsrpSdpInfo *offer);
/* Our role given the answer to our actpass offer. */
ConfabMsrpSetup confab_msrp_sdp_offer_role       (const ConfabMsrpSdpInfo *answer);
/* Whether @content_type matches a list with "*" and "type/…" wildcards. */
gboolean        confab_msrp_sdp_accepts          (char * const            *types,
                                                  const char              *content_type);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConfabMsrpSdpInfo, confab_msrp_sdp_info_clear)

G_END_DECLS
