/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabAccount"

#include "config.h"

#include "confab-account-private.h"
#include "confab-uri.h"

#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip.h>

/**
 * _confab_account_build_credentials:
 * @sip: a 401/407 response
 *
 * Digest credentials for every challenge in @sip, in sofia's
 * `scheme:"realm":user:password` form (REGISTER, INVITE, REFER…).
 *
 * Returns: (transfer full) (nullable): the credentials, %NULL when the
 *   account has no password or the response no usable challenge
 */
char *
_confab_account_build_credentials (ConfabAccount *account,
                                   const sip_t   *sip)
{
  const char *user = confab_account_get_auth_username (account);
  const char *password = confab_account_get_password (account);
  const msg_auth_t *challenges[2];
  g_autoptr (GString) creds = g_string_new (NULL);
  g_autoptr (ConfabUri) aor = NULL;

  if (!password || !sip)
    return NULL;
  if (!user) {
    aor = confab_uri_parse (confab_account_get_address (account), NULL);
    user = aor ? aor->user : NULL;
  }
  if (!user)
    return NULL;

  challenges[0] = sip->sip_www_authenticate;
  challenges[1] = sip->sip_proxy_authenticate;
  for (guint i = 0; i < G_N_ELEMENTS (challenges); i++) {
    for (const msg_auth_t *au = challenges[i]; au; au = au->au_next) {
      const char *realm = msg_params_find (au->au_params, "realm=");

      if (!au->au_scheme || !realm)
        continue;
      if (creds->len)
        g_string_append_c (creds, ',');
      /* the realm keeps its quotes */
      g_string_append_printf (creds, "%s:%s%s%s:%s:%s", au->au_scheme,
                              realm[0] == '"' ? "" : "\"", realm,
                              realm[0] == '"' ? "" : "\"", user, password);
    }
  }
  if (creds->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&creds), FALSE);
}
