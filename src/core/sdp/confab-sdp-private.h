/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-sdp.h"

G_BEGIN_DECLS

/* Shared by the SDP parser, printer and offer/answer; not public API. */

#define CONFAB_SDP_KEY_LENGTH_128 30  /* AES_CM_128: 16-byte key + 14-byte salt */
#define CONFAB_SDP_KEY_LENGTH_256 46  /* AES_256_CM: 32-byte key + 14-byte salt */

const ConfabSdpCodec *_confab_sdp_static_codec     (guint              payload_type);
gboolean              _confab_sdp_is_token         (const char        *text,
                                                    gsize              length);
ConfabSdpCrypto      *_confab_sdp_crypto_parse     (const char        *value);
gboolean              _confab_sdp_crypto_is_usable (const ConfabSdpCrypto *crypto);
char                 *_confab_sdp_crypto_new_key   (gsize              length);

G_END_DECLS
