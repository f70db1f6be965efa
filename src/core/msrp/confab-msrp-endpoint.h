/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "confab-msrp-message.h"

G_BEGIN_DECLS

typedef struct _ConfabMsrpSession ConfabMsrpSession;

/* The MSRP side of one engine: the listening sockets (TCP and TLS) the
 * passive sessions are reached on, our self-signed TLS identity (whose
 * fingerprint goes into a=fingerprint), the trust for relays (system store
 * plus an extra CA file, as for SIP), and the open connections, shared by
 * sessions to the same host and port (RFC 4975 §6, RFC 6714 matching). */
#define CONFAB_TYPE_MSRP_ENDPOINT (confab_msrp_endpoint_get_type ())
G_DECLARE_FINAL_TYPE (ConfabMsrpEndpoint, confab_msrp_endpoint, CONFAB, MSRP_ENDPOINT, GObject)

/* @bind_address: the address we listen on and write into our MSRP URIs
 * ("127.0.0.1", "::1", or NULL for the machine's primary address). */
ConfabMsrpEndpoint *confab_msrp_endpoint_new             (const char         *bind_address);
void                confab_msrp_endpoint_set_ca_file     (ConfabMsrpEndpoint *self,
                                                          const char         *ca_file);
const char         *confab_msrp_endpoint_get_address     (ConfabMsrpEndpoint *self);
/* Starts the listener on first use; the port is picked by the system. */
guint               confab_msrp_endpoint_get_port        (ConfabMsrpEndpoint *self,
                                                          gboolean            tls,
                                                          GError            **error);
/* "sha-256 AB:CD:…" of our certificate (RFC 8122), made on first use. */
const char         *confab_msrp_endpoint_get_fingerprint (ConfabMsrpEndpoint *self,
                                                          GError            **error);
ConfabMsrpSession  *confab_msrp_endpoint_create_session  (ConfabMsrpEndpoint *self,
                                                          gboolean            tls);
/* Open connections, for tests and benchmarks. */
guint               confab_msrp_endpoint_get_n_connections (ConfabMsrpEndpoint *self);

G_END_DECLS
