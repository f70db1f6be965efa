/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-stream.h"
#include "msrp/confab-msrp-endpoint.h"
#include "msrp/confab-msrp-sdp.h"
#include "msrp/confab-msrp-session.h"

G_BEGIN_DECLS

/* What every MSRP m-line has in common (chat, file transfer, screen
 * sharing): the MSRP session on the shared endpoint, with its relay; the
 * a=path / a=setup / a=fingerprint offer-answer (RFC 4975, 6135, 8122);
 * starting the session once negotiated; and ending it so the last 200s
 * and REPORTs still arrive. Subclasses add their own attributes and use
 * the session. */
#define CONFAB_TYPE_MSRP_STREAM (confab_msrp_stream_get_type ())
G_DECLARE_DERIVABLE_TYPE (ConfabMsrpStream, confab_msrp_stream, CONFAB, MSRP_STREAM, ConfabStream)

struct _ConfabMsrpStreamClass
{
  ConfabStreamClass parent_class;

  /* "chat", "file transfer": for messages to the user. */
  const char *label;

  /* The MSRP session was just created: connect to its signals. */
  void     (*session_created) (ConfabMsrpStream      *self,
                               ConfabMsrpSession     *msrp);
  /* Our m-line's own attributes (accept-types, file-selector, direction). */
  void     (*describe)        (ConfabMsrpStream      *self,
                               ConfabSdpMedia        *media,
                               gboolean               offer);
  /* The peer's m-line (offer or answer) beyond the MSRP attributes; FALSE
   * refuses it. */
  gboolean (*read_remote)     (ConfabMsrpStream      *self,
                               const ConfabSdpMedia  *media,
                               gboolean               offer,
                               GError               **error);
  /* The MSRP session was started (may still be connecting). */
  void     (*started)         (ConfabMsrpStream      *self);
  /* The stream is ending; @lingering: the session still waits for the
   * last responses and REPORTs, and "finished" comes once it is over. */
  void     (*stopping)        (ConfabMsrpStream      *self,
                               gboolean               lingering);
  /* The lingering session is over (closed or failed). */
  void     (*finished)        (ConfabMsrpStream      *self);
};

void               confab_msrp_stream_set_relay         (ConfabMsrpStream   *self,
                                                         const char         *relay,
                                                         const char         *username,
                                                         const char         *password);
/* NULL until the stream prepared or negotiated. */
ConfabMsrpSession *confab_msrp_stream_get_session       (ConfabMsrpStream   *self);
gboolean           confab_msrp_stream_get_tls           (ConfabMsrpStream   *self);
gboolean           confab_msrp_stream_get_peer_verified (ConfabMsrpStream   *self);
/* Whether the MSRP connection is up (notify::connected). */
gboolean           confab_msrp_stream_is_connected      (ConfabMsrpStream   *self);
/* Whether the session was started (it may still be connecting). */
gboolean           confab_msrp_stream_is_started        (ConfabMsrpStream   *self);
/* The peer's MSRP attributes; NULL until negotiated. */
const ConfabMsrpSdpInfo *confab_msrp_stream_get_remote  (ConfabMsrpStream   *self);

/* For subclasses: set up the endpoint and the transport before use. */
void               _confab_msrp_stream_construct        (ConfabMsrpStream   *self,
                                                         ConfabMsrpEndpoint *endpoint,
                                                         gboolean            tls);

G_END_DECLS
