/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-sdp.h"
#include "confab-msrp-uri.h"

#include <glib/gi18n-lib.h>

#define MAX_TYPES 64 /* entries of one accept-types line */

gboolean
confab_msrp_sdp_is_msrp (const ConfabSdpMedia *media)
{
  return media && (g_ascii_strcasecmp (media->proto, CONFAB_MSRP_PROTO_TCP) == 0 ||
                   g_ascii_strcasecmp (media->proto, CONFAB_MSRP_PROTO_TLS) == 0);
}

static char **
split_types (const char *value)
{
  g_auto (GStrv) words = g_strsplit_set (value ? value : "", " \t", -1);
  GPtrArray *types = g_ptr_array_new ();

  for (guint i = 0; words[i] && types->len < MAX_TYPES; i++) {
    if (words[i][0])
      g_ptr_array_add (types, g_ascii_strdown (words[i], -1));
  }
  g_ptr_array_add (types, NULL);
  return (char **) g_ptr_array_free (types, FALSE);
}

gboolean
confab_msrp_sdp_info_read (ConfabMsrpSdpInfo     *info,
                           const ConfabSdp       *sdp,
                           const ConfabSdpMedia  *media,
                           GError               **error)
{
  g_autoptr (GPtrArray) path = NULL;
  const char *value;

  g_return_val_if_fail (info != NULL && media != NULL, FALSE);

  memset (info, 0, sizeof *info);
  info->accept_types = split_types (NULL);
  info->accept_wrapped_types = split_types (NULL);
  if (!confab_msrp_sdp_is_msrp (media)) {
    g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                 _("The stream is not MSRP (%s)"), media->proto);
    return FALSE;
  }
  info->tls = g_ascii_strcasecmp (media->proto, CONFAB_MSRP_PROTO_TLS) == 0;

  value = confab_sdp_media_get_attribute (media, "path");
  if (!value) {
    g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                 _("The MSRP stream has no a=path"));
    return FALSE;
  }
  path = confab_msrp_path_parse (value, strlen (value), error);
  if (!path)
    return FALSE;
  info->path = g_strdup (value);

  value = confab_sdp_media_get_attribute (media, "setup");
  info->setup = CONFAB_MSRP_SETUP_ACTIVE;
  if (value) {
    if (!confab_msrp_setup_parse (value, &info->setup)) {
      g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                   _("Unknown a=setup:%s"), value);
      return FALSE;
    }
    info->has_setup = TRUE;
  }

  value = confab_sdp_media_get_attribute (media, "fingerprint");
  if (!value && sdp)
    value = confab_sdp_get_attribute (sdp, "fingerprint");
  info->fingerprint = g_strdup (value);

  g_strfreev (info->accept_types);
  info->accept_types = split_types (confab_sdp_media_get_attribute (media, "accept-types"));
  g_strfreev (info->accept_wrapped_types);
  info->accept_wrapped_types =
    split_types (confab_sdp_media_get_attribute (media, "accept-wrapped-types"));
  return TRUE;
}

void
confab_msrp_sdp_info_clear (ConfabMsrpSdpInfo *info)
{
  g_clear_pointer (&info->path, g_free);
  g_clear_pointer (&info->fingerprint, g_free);
  g_clear_pointer (&info->accept_types, g_strfreev);
  g_clear_pointer (&info->accept_wrapped_types, g_strfreev);
}

ConfabSdpMedia *
confab_msrp_sdp_media_new (const char      *media,
                           gboolean         tls,
                           const char      *path,
                           ConfabMsrpSetup  setup,
                           const char      *fingerprint,
                           const char      *session_address)
{
  g_autoptr (GPtrArray) uris = confab_msrp_path_parse (path, strlen (path), NULL);
  ConfabSdpMedia *m;
  const ConfabMsrpUri *first;

  g_return_val_if_fail (uris != NULL && uris->len > 0, NULL);

  first = g_ptr_array_index (uris, 0);
  m = confab_sdp_media_new (media, confab_msrp_uri_get_port (first),
                            tls ? CONFAB_MSRP_PROTO_TLS : CONFAB_MSRP_PROTO_TCP);
  g_ptr_array_add (m->formats, g_strdup ("*"));
  if (g_strcmp0 (first->host, session_address) != 0)
    m->connection = g_strdup (first->host);
  confab_sdp_media_add_attribute (m, "path", path);
  confab_sdp_media_add_attribute (m, "setup", confab_msrp_setup_to_string (setup));
  if (tls && fingerprint)
    confab_sdp_media_add_attribute (m, "fingerprint", fingerprint);
  return m;
}

ConfabMsrpSetup
confab_msrp_sdp_answer_role (const ConfabMsrpSdpInfo *offer)
{
  if (!offer->has_setup)
    return CONFAB_MSRP_SETUP_PASSIVE;
  return offer->setup == CONFAB_MSRP_SETUP_ACTIVE ? CONFAB_MSRP_SETUP_PASSIVE
                                                  : CONFAB_MSRP_SETUP_ACTIVE;
}

ConfabMsrpSetup
confab_msrp_sdp_offer_role (const ConfabMsrpSdpInfo *answer)
{
  /* An answer without a=setup is a pre-RFC 6135 peer: the offerer connects. */
  if (!answer->has_setup || answer->setup == CONFAB_MSRP_SETUP_PASSIVE)
    return CONFAB_MSRP_SETUP_ACTIVE;
  return CONFAB_MSRP_SETUP_PASSIVE;
}

gboolean
confab_msrp_sdp_accepts (char * const *types,
                         const char   *content_type)
{
  g_autofree char *wanted = NULL;
  const char *slash;

  if (!types || !content_type)
    return FALSE;
  wanted = g_ascii_strdown (content_type, strcspn (content_type, "; \t"));
  slash = strchr (wanted, '/');
  for (guint i = 0; types[i]; i++) {
    const char *t = types[i];
    gsize len = strlen (t);

    if (strcmp (t, "*") == 0 || strcmp (t, wanted) == 0)
      return TRUE;
    if (slash && len >= 2 && t[len - 1] == '*' && t[len - 2] == '/' &&
        (gsize) (slash - wanted) == len - 2 && strncmp (t, wanted, len - 2) == 0)
      return TRUE;
  }
  return FALSE;
}
