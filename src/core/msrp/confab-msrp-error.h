/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Errors of the MSRP wire layer (RFC 4975). A parser error means the
 * connection must be closed: MSRP framing has no way to resynchronise. */
#define CONFAB_MSRP_ERROR (confab_msrp_error_quark ())

typedef enum
{
  CONFAB_MSRP_ERROR_MALFORMED,      /* start line, header or end-line syntax, NUL bytes */
  CONFAB_MSRP_ERROR_TRANSACTION_ID, /* not 4-32 identifier characters */
  CONFAB_MSRP_ERROR_STATUS,         /* a status code that is not 100-999 */
  CONFAB_MSRP_ERROR_BYTE_RANGE,     /* start 0, end < start, end > total, not a number */
  CONFAB_MSRP_ERROR_MISSING_HEADER, /* To-Path, From-Path, Message-ID, Status */
  CONFAB_MSRP_ERROR_URI,            /* an MSRP URI that does not parse */
  CONFAB_MSRP_ERROR_END_LINE,       /* missing end-line, or one for another transaction */
  CONFAB_MSRP_ERROR_TOO_LARGE,      /* a line, header block, chunk or message over a limit */
  CONFAB_MSRP_ERROR_CLOSED,         /* the parser failed before, or the stream ended mid-message */
  CONFAB_MSRP_ERROR_ABORTED,        /* the sender aborted the message (end-line flag '#') */
  CONFAB_MSRP_ERROR_INVALID,        /* a message we were asked to build or send is not valid */
} ConfabMsrpError;

GQuark confab_msrp_error_quark (void);

G_END_DECLS
