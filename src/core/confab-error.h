/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CONFAB_ERROR (confab_error_quark ())

/* Kinds of failure the front ends tell apart (confab-cli maps them to exit
 * codes, see ../shared/CLI.md). */
typedef enum
{
  CONFAB_ERROR_FAILED,
  CONFAB_ERROR_INVALID,      /* bad input or configuration */
  CONFAB_ERROR_AUTH,         /* credentials refused */
  CONFAB_ERROR_NETWORK,      /* unreachable, timeout, transport error */
  CONFAB_ERROR_TLS,          /* certificate not trusted */
  CONFAB_ERROR_REJECTED,     /* refused by the peer or server */
  CONFAB_ERROR_NOT_FOUND,
  CONFAB_ERROR_IN_USE,       /* a name already taken (a room nickname: 425) */
} ConfabError;

GQuark confab_error_quark (void);

G_END_DECLS
