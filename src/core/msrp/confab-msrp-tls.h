/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TLS for MSRP (RFC 4975 §14.2, RFC 8122): our self-signed identity and
 * certificate fingerprints. Internal to the MSRP transport. */

GTlsCertificate *_confab_msrp_tls_make_identity       (GError          **error);
/* "sha-256 AB:CD:…" of @certificate's DER; @algorithm "sha-1", "sha-256",
 * "sha-384" or "sha-512". NULL for an unknown algorithm. */
char            *_confab_msrp_tls_fingerprint         (GTlsCertificate  *certificate,
                                                       const char       *algorithm);
/* Whether @certificate has the a=fingerprint value @fingerprint. */
gboolean         _confab_msrp_tls_fingerprint_matches (GTlsCertificate  *certificate,
                                                       const char       *fingerprint);

G_END_DECLS
