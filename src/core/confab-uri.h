/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  CONFAB_URI_SCHEME_SIP,
  CONFAB_URI_SCHEME_SIPS,
  CONFAB_URI_SCHEME_TEL,
} ConfabUriScheme;

/* A parsed sip:, sips: or tel: address. For tel: the number is in `user`. */
typedef struct
{
  ConfabUriScheme scheme;
  char           *user;       /* unescaped; NULL when absent */
  char           *host;       /* without brackets for IPv6 */
  guint           port;       /* 0 when absent */
  char           *params;     /* ";transport=tcp;lr", verbatim, or NULL */
} ConfabUri;

#define CONFAB_URI_MAX_LENGTH 2048

ConfabUri  *confab_uri_parse     (const char  *text,
                                  GError     **error);
void        confab_uri_free      (ConfabUri   *uri);
char       *confab_uri_to_string (const ConfabUri *uri);
const char *confab_uri_get_param (const ConfabUri *uri,
                                  const char      *name,
                                  char           **value);
const char *confab_uri_skip_scheme (const char *uri);
char       *confab_uri_normalize (const char  *text,
                                  const char  *default_domain);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabUri, confab_uri_free)

G_END_DECLS
