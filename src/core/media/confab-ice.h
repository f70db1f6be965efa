/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "sdp/confab-sdp.h"

G_BEGIN_DECLS

/* ConfabIce: ICE (RFC 8445) for one media stream, on libnice. It gathers
 * host candidates on the bind address (or every interface when there is
 * none), server-reflexive ones from a STUN server and a relayed one from a
 * TURN server when configured; it writes and reads the SDP attributes
 * (RFC 8839) and runs the connectivity checks. The media layer sends and
 * receives through its NiceAgent (nicesrc/nicesink). */

typedef struct
{
  char  *stun_host;      /* numeric address or name; NULL: no STUN */
  guint  stun_port;      /* 0: 3478 */
  char  *turn_host;      /* NULL: no TURN */
  guint  turn_port;      /* 0: 3478 */
  char  *turn_username;
  char  *turn_password;
} ConfabIceServers;

ConfabIceServers *confab_ice_servers_new        (void);
ConfabIceServers *confab_ice_servers_copy       (const ConfabIceServers *servers);
void              confab_ice_servers_free       (ConfabIceServers       *servers);
gboolean          confab_ice_servers_set_stun   (ConfabIceServers       *servers,
                                                 const char             *host_port,
                                                 GError                **error);
gboolean          confab_ice_servers_set_turn   (ConfabIceServers       *servers,
                                                 const char             *uri,
                                                 const char             *username,
                                                 const char             *password,
                                                 GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabIceServers, confab_ice_servers_free)

typedef enum
{
  CONFAB_ICE_STATE_GATHERING,
  CONFAB_ICE_STATE_GATHERED,     /* candidates ready, no peer yet */
  CONFAB_ICE_STATE_CHECKING,
  CONFAB_ICE_STATE_CONNECTED,
  CONFAB_ICE_STATE_FAILED,
} ConfabIceState;

#define CONFAB_TYPE_ICE (confab_ice_get_type ())
G_DECLARE_FINAL_TYPE (ConfabIce, confab_ice, CONFAB, ICE, GObject)

ConfabIce      *confab_ice_new                  (const char             *bind_address,
                                                 guint                   n_components,
                                                 const ConfabIceServers *servers);
gboolean        confab_ice_gather               (ConfabIce              *self,
                                                 GError                **error);
ConfabIceState  confab_ice_get_state            (ConfabIce              *self);
gboolean        confab_ice_is_gathering         (ConfabIce              *self);
void            confab_ice_set_controlling      (ConfabIce              *self,
                                                 gboolean                controlling);

/* The default candidate of @component (1 RTP, 2 RTCP): what m=, c= and
 * a=rtcp carry. Server-reflexive first, then a host candidate on
 * @preferred_address. */
gboolean        confab_ice_get_default          (ConfabIce              *self,
                                                 guint                   component,
                                                 const char             *preferred_address,
                                                 char                  **address,
                                                 guint                  *port,
                                                 guint                  *base_port);
char          **confab_ice_dup_candidate_types  (ConfabIce              *self,
                                                 gboolean                remote);
/* Adds a=ice-ufrag, a=ice-pwd and the a=candidate lines to @media. */
void            confab_ice_describe             (ConfabIce              *self,
                                                 ConfabSdpMedia         *media);
/* Whether @media (or its session) offers ICE. */
gboolean        confab_ice_sdp_has_ice          (const ConfabSdp        *sdp,
                                                 const ConfabSdpMedia   *media);
/* The peer's credentials and candidates; starts the checks. */
gboolean        confab_ice_set_remote           (ConfabIce              *self,
                                                 const ConfabSdp        *sdp,
                                                 const ConfabSdpMedia   *media,
                                                 GError                **error);

/* For nicesrc and nicesink. */
GObject        *confab_ice_get_agent            (ConfabIce              *self);
guint           confab_ice_get_stream_id        (ConfabIce              *self);
/* "host", "srflx", "prflx" or "relay": the local side of the pair in use
 * for RTP; NULL until connected. */
const char     *confab_ice_get_pair_type        (ConfabIce              *self);

const char     *confab_ice_state_to_string      (ConfabIceState          state);

G_END_DECLS
