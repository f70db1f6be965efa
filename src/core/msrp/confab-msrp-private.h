/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-message.h"

G_BEGIN_DECLS

/* Shared by the MSRP parser, printer, builders and URI code; not public API. */

/* RFC 4975 ident: ALPHANUM 3*31(ALPHANUM / "." / "-" / "+" / "%" / "=") */
gboolean _confab_msrp_is_ident_char  (char        c);
gboolean _confab_msrp_is_ident       (const char *text,
                                      gsize       length,
                                      gsize       min_length,
                                      gsize       max_length);
/* RFC 4975 token (as in RFC 3261). */
gboolean _confab_msrp_is_token_char  (char        c);
gboolean _confab_msrp_is_token       (const char *text,
                                      gsize       length);
/* 1*DIGIT up to @max; FALSE on anything else, overflow included. */
gboolean _confab_msrp_parse_uint     (const char *text,
                                      gsize       length,
                                      guint64     max,
                                      guint64    *out);
/* TRUE when @text can be printed as a header value: no CR, LF or NUL. */
gboolean _confab_msrp_is_header_safe (const char *text);
/* Kernel CSPRNG; aborts when there is none (ids must not be guessable). */
void     _confab_msrp_random_bytes   (guint8     *buffer,
                                      gsize       length);
char    *_confab_msrp_random_ident   (gsize       length);

/* Headers (confab-msrp-headers.c): reading one into the model, printing
 * all of them. */
gboolean _confab_msrp_parse_header      (ConfabMsrpMessage         *message,
                                         const char                *line,
                                         gsize                      length,
                                         GError                   **error);
gboolean _confab_msrp_parse_byte_range  (const char                *text,
                                         gsize                      length,
                                         ConfabMsrpByteRange       *range);
void     _confab_msrp_append_byte_range (GString                   *out,
                                         const ConfabMsrpByteRange *range);
gboolean _confab_msrp_append_headers    (const ConfabMsrpMessage   *message,
                                         GString                   *out,
                                         GError                   **error);

G_END_DECLS
