/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-message.h"

G_BEGIN_DECLS

/* An incremental MSRP parser for one direction of one connection: feed it
 * whatever the socket returned (any slice, one byte at a time included) and
 * pop the complete messages (each SEND is one chunk). Every size is bounded,
 * and where a stream fails does not depend on how it was sliced. Any error
 * is final, since MSRP cannot resynchronise: close the connection.
 *
 * A body ends at "\n-------<tid>" + '$', '+' or '#' + [CR] LF, the CR LF
 * before it being framing. Anything else in a body is data, end-lines of
 * other transactions included (a chat message may quote MSRP); an end-line
 * of another transaction among the headers is an error. */

#define CONFAB_MSRP_DEFAULT_MAX_LINE         16384            /* start line or header line */
#define CONFAB_MSRP_DEFAULT_MAX_HEADERS      64               /* header lines per message */
#define CONFAB_MSRP_DEFAULT_MAX_HEADER_BLOCK 65536            /* start line plus headers */
#define CONFAB_MSRP_DEFAULT_MAX_BODY         (4 * 1024 * 1024) /* body of one chunk */

typedef struct
{
  gsize max_line;
  guint max_headers;
  gsize max_header_block;
  gsize max_body;
} ConfabMsrpLimits;

typedef struct _ConfabMsrpParser ConfabMsrpParser;

void               confab_msrp_limits_init_default   (ConfabMsrpLimits       *limits);

ConfabMsrpParser  *confab_msrp_parser_new            (const ConfabMsrpLimits *limits);
void               confab_msrp_parser_free           (ConfabMsrpParser       *parser);
gboolean           confab_msrp_parser_feed           (ConfabMsrpParser       *parser,
                                                      const guint8           *data,
                                                      gsize                   length,
                                                      GError                **error);
ConfabMsrpMessage *confab_msrp_parser_pop            (ConfabMsrpParser       *parser);
guint              confab_msrp_parser_get_n_pending  (ConfabMsrpParser       *parser);
gboolean           confab_msrp_parser_finish         (ConfabMsrpParser       *parser,
                                                      GError                **error);
gboolean           confab_msrp_parser_has_failed     (ConfabMsrpParser       *parser);
gboolean           confab_msrp_parser_is_idle        (ConfabMsrpParser       *parser);
gsize              confab_msrp_parser_get_buffered   (ConfabMsrpParser       *parser);
const char        *confab_msrp_parser_get_transaction_id (ConfabMsrpParser   *parser);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabMsrpParser, confab_msrp_parser_free)

G_END_DECLS
