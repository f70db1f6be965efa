/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-endpoint.h"
#include "confab-msrp-connection.h"

G_BEGIN_DECLS

/* What sessions ask of their endpoint: our certificate, connections (made
 * or shared) and the routing of incoming requests by session-id. */

GTlsCertificate      *_confab_msrp_endpoint_get_certificate  (ConfabMsrpEndpoint *self,
                                                              GError            **error);
/* A connection to @host:@port, shared when one is open or being opened;
 * wait for it with confab_msrp_connection_wait_open_async(). */
ConfabMsrpConnection *_confab_msrp_endpoint_connect          (ConfabMsrpEndpoint *self,
                                                              const char         *host,
                                                              guint               port,
                                                              gboolean            tls,
                                                              gboolean            relay,
                                                              GError            **error);
/* A session stopped using @connection: closed once no session does. */
void                  _confab_msrp_endpoint_release_connection (ConfabMsrpEndpoint   *self,
                                                                ConfabMsrpConnection *connection);
void                  _confab_msrp_endpoint_add_session      (ConfabMsrpEndpoint *self,
                                                              ConfabMsrpSession  *session);
void                  _confab_msrp_endpoint_remove_session   (ConfabMsrpEndpoint *self,
                                                              ConfabMsrpSession  *session);

G_END_DECLS
