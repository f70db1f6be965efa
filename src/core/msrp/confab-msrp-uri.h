/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-msrp-error.h"

G_BEGIN_DECLS

/* MSRP URIs (RFC 4975 §9) and paths, the space-separated URI lists of
 * To-Path, From-Path, Use-Path and SDP a=path:
 *
 *   msrp[s]://[userinfo@]host[:port][/session-id][;transport][;name[=value]]...
 *
 * The session-id is absent only in relay URIs (RFC 4976 AUTH). */

#define CONFAB_MSRP_URI_MAX_LENGTH 2048 /* bytes in one URI */
#define CONFAB_MSRP_PATH_MAX_URIS  16   /* URIs in one path */
#define CONFAB_MSRP_DEFAULT_PORT   2855 /* RFC 4976 relays, when no port is given */

typedef struct
{
  gboolean   secure;     /* msrps */
  char      *userinfo;   /* as written (percent-encoded), or NULL */
  char      *host;       /* a name, IPv4 or IPv6 address (no brackets) */
  guint      port;       /* 0 when the URI has none */
  char      *session_id; /* or NULL */
  char      *transport;  /* "tcp"; NULL when the URI has none (read as "tcp") */
  GPtrArray *params;     /* char*: "name" or "name=value" after the transport, in order */
} ConfabMsrpUri;

ConfabMsrpUri *confab_msrp_uri_new               (gboolean             secure,
                                                  const char          *host,
                                                  guint                port,
                                                  const char          *session_id);
ConfabMsrpUri *confab_msrp_uri_parse             (const char          *text,
                                                  gsize                length,
                                                  GError             **error);
char          *confab_msrp_uri_to_string         (const ConfabMsrpUri *uri);
void           confab_msrp_uri_append            (const ConfabMsrpUri *uri,
                                                  GString             *out);
ConfabMsrpUri *confab_msrp_uri_copy              (const ConfabMsrpUri *uri);
void           confab_msrp_uri_free              (ConfabMsrpUri       *uri);
gboolean       confab_msrp_uri_equal             (const ConfabMsrpUri *a,
                                                  const ConfabMsrpUri *b);
gboolean       confab_msrp_uri_session_id_equal  (const ConfabMsrpUri *a,
                                                  const ConfabMsrpUri *b);
const char    *confab_msrp_uri_get_param         (const ConfabMsrpUri *uri,
                                                  const char          *name);
guint          confab_msrp_uri_get_port          (const ConfabMsrpUri *uri);

/* Paths: GPtrArray of ConfabMsrpUri*, owning them. */
GPtrArray     *confab_msrp_path_new              (void);
GPtrArray     *confab_msrp_path_new_single       (const ConfabMsrpUri *uri);
GPtrArray     *confab_msrp_path_parse            (const char          *text,
                                                  gsize                length,
                                                  GError             **error);
char          *confab_msrp_path_to_string        (GPtrArray           *path);
GPtrArray     *confab_msrp_path_copy             (GPtrArray           *path);
gboolean       confab_msrp_path_equal            (GPtrArray           *a,
                                                  GPtrArray           *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabMsrpUri, confab_msrp_uri_free)

G_END_DECLS
