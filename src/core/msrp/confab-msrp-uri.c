/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-uri.h"
#include "confab-msrp-private.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include <string.h>

/* MSRP URIs come from SDP and from the wire, so the parser takes a length
 * and no NUL, checks every character class of RFC 4975 §9 / RFC 3986 and
 * bounds the length. */

static gboolean G_GNUC_PRINTF (2, 3)
fail (GError    **error,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_URI, _("Invalid MSRP URI: %s"),
               message);
  return FALSE;
}

static gboolean
is_unreserved (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static gboolean
is_sub_delim (char c)
{
  return c != '\0' && strchr ("!$&'()*+,;=", c) != NULL;
}

/* unreserved / pct-encoded / sub-delims / @extra; ';' only when @allow_semicolon */
static gboolean
check_chars (const char *text,
             gsize       length,
             const char *extra,
             gboolean    allow_semicolon)
{
  for (gsize i = 0; i < length; i++) {
    char c = text[i];

    if (c == '%') {
      if (i + 2 >= length || !g_ascii_isxdigit (text[i + 1]) || !g_ascii_isxdigit (text[i + 2]))
        return FALSE;
      i += 2;
      continue;
    }
    if (c == ';' && !allow_semicolon)
      return FALSE;
    if (!is_unreserved (c) && !is_sub_delim (c) && !(c != '\0' && extra && strchr (extra, c)))
      return FALSE;
  }
  return TRUE;
}

static gboolean
is_session_id_char (char c)
{
  return is_unreserved (c) || c == '+' || c == '=' || c == '/';
}

static gboolean
parse_host (ConfabMsrpUri *uri,
            const char    *text,
            gsize          length,
            GError       **error)
{
  const char *end = text + length;
  const char *port_start = NULL;
  g_autofree char *host = NULL;

  if (length == 0)
    return fail (error, _("the host is missing"));
  if (text[0] == '[') {
    const char *close = memchr (text, ']', length);
    g_autoptr (GInetAddress) address = NULL;

    if (!close)
      return fail (error, _("an IPv6 address is missing its “]”"));
    host = g_strndup (text + 1, close - text - 1);
    address = g_inet_address_new_from_string (host);
    if (!address || g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6)
      return fail (error, _("“%s” is not an IPv6 address"), host);
    if (close + 1 < end) {
      if (close[1] != ':')
        return fail (error, _("unexpected text after the IPv6 address"));
      port_start = close + 2;
    }
  } else {
    const char *colon = memchr (text, ':', length);
    gsize host_length = colon ? (gsize) (colon - text) : length;

    if (host_length == 0)
      return fail (error, _("the host is missing"));
    if (!check_chars (text, host_length, NULL, FALSE))
      return fail (error, _("the host contains characters a host name cannot have"));
    host = g_strndup (text, host_length);
    if (colon)
      port_start = colon + 1;
  }

  if (port_start) {
    guint64 port;

    if (!_confab_msrp_parse_uint (port_start, end - port_start, 65535, &port) || port == 0)
      return fail (error, _("the port is not a number from 1 to 65535"));
    uri->port = (guint) port;
  }
  uri->host = g_steal_pointer (&host);
  return TRUE;
}

/* ;transport *( ;name[=value] ) */
static gboolean
parse_params (ConfabMsrpUri *uri,
              const char    *text,
              gsize          length,
              GError       **error)
{
  const char *end = text + length;
  const char *p = text;
  gboolean first = TRUE;

  while (p < end) {
    const char *semicolon;
    const char *item_end;
    const char *equals;
    gsize item_length;

    g_assert (*p == ';');
    p++;
    semicolon = memchr (p, ';', end - p);
    item_end = semicolon ? semicolon : end;
    item_length = item_end - p;
    if (item_length == 0)
      return fail (error, _("an empty parameter"));
    if (first) {
      for (gsize i = 0; i < item_length; i++) {
        if (!g_ascii_isalnum (p[i]))
          return fail (error, _("the transport is not a word (such as “tcp”)"));
      }
      uri->transport = g_strndup (p, item_length);
      first = FALSE;
    } else {
      equals = memchr (p, '=', item_length);
      if (!_confab_msrp_is_token (p, equals ? (gsize) (equals - p) : item_length) ||
          (equals && !_confab_msrp_is_token (equals + 1, item_end - equals - 1)))
        return fail (error, _("a parameter is not of the form name or name=value"));
      g_ptr_array_add (uri->params, g_strndup (p, item_length));
    }
    p = item_end;
  }
  return TRUE;
}

/**
 * confab_msrp_uri_parse:
 * @text: the URI, not necessarily NUL-terminated
 * @length: its length in bytes
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL with a
 *   %CONFAB_MSRP_ERROR_URI @error
 */
ConfabMsrpUri *
confab_msrp_uri_parse (const char *text,
                       gsize       length,
                       GError    **error)
{
  g_autoptr (ConfabMsrpUri) uri = NULL;
  const char *end = text + length;
  const char *p, *slash, *at, *authority_end, *host_start, *params;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length > CONFAB_MSRP_URI_MAX_LENGTH) {
    fail (error, _("longer than %u bytes"), CONFAB_MSRP_URI_MAX_LENGTH);
    return NULL;
  }
  for (gsize i = 0; i < length; i++) {
    if ((guchar) text[i] <= 0x20 || (guchar) text[i] >= 0x7f) {
      fail (error, _("it contains a space, control or non-ASCII character"));
      return NULL;
    }
  }

  uri = g_new0 (ConfabMsrpUri, 1);
  uri->params = g_ptr_array_new_with_free_func (g_free);
  if (length >= 7 && g_ascii_strncasecmp (text, "msrp://", 7) == 0) {
    p = text + 7;
  } else if (length >= 8 && g_ascii_strncasecmp (text, "msrps://", 8) == 0) {
    uri->secure = TRUE;
    p = text + 8;
  } else {
    fail (error, _("it does not start with msrp:// or msrps://"));
    return NULL;
  }

  /* userinfo may hold ';' but never '/' or '@': the authority ends at the
   * first '/', or else at the first ';' after the last '@'. */
  slash = memchr (p, '/', end - p);
  authority_end = slash ? slash : end;
  at = NULL;
  for (const char *c = p; c < authority_end; c++) {
    if (*c == '@')
      at = c;
  }
  host_start = at ? at + 1 : p;
  if (at) {
    if (!check_chars (p, at - p, ":", TRUE)) {
      fail (error, _("the user part contains characters it cannot have"));
      return NULL;
    }
    uri->userinfo = g_strndup (p, at - p);
  }
  params = memchr (host_start, ';', authority_end - host_start);
  if (params)
    authority_end = params;
  if (!parse_host (uri, host_start, authority_end - host_start, error))
    return NULL;

  p = authority_end;
  if (p < end && *p == '/') {
    const char *sid = p + 1;

    params = memchr (sid, ';', end - sid);
    p = params ? params : end;
    if (p == sid) {
      fail (error, _("the session-id after “/” is empty"));
      return NULL;
    }
    for (const char *c = sid; c < p; c++) {
      if (!is_session_id_char (*c)) {
        fail (error, _("the session-id contains characters it cannot have"));
        return NULL;
      }
    }
    uri->session_id = g_strndup (sid, p - sid);
  }
  if (p < end && !parse_params (uri, p, end - p, error))
    return NULL;
  return g_steal_pointer (&uri);
}

/**
 * confab_msrp_uri_new:
 * @session_id: (nullable): %NULL for a relay URI
 *
 * Returns: (transfer full): msrp[s]://host[:port][/session-id];tcp
 */
ConfabMsrpUri *
confab_msrp_uri_new (gboolean    secure,
                     const char *host,
                     guint       port,
                     const char *session_id)
{
  ConfabMsrpUri *uri;

  g_return_val_if_fail (host != NULL && *host, NULL);
  g_return_val_if_fail (port <= 65535, NULL);

  uri = g_new0 (ConfabMsrpUri, 1);
  uri->secure = secure;
  uri->host = g_strdup (host[0] == '[' ? host + 1 : host);
  if (host[0] == '[' && g_str_has_suffix (uri->host, "]"))
    uri->host[strlen (uri->host) - 1] = '\0';
  uri->port = port;
  uri->session_id = g_strdup (session_id);
  uri->transport = g_strdup ("tcp");
  uri->params = g_ptr_array_new_with_free_func (g_free);
  return uri;
}

void
confab_msrp_uri_append (const ConfabMsrpUri *uri,
                        GString             *out)
{
  g_return_if_fail (uri != NULL);

  g_string_append (out, uri->secure ? "msrps://" : "msrp://");
  if (uri->userinfo)
    g_string_append_printf (out, "%s@", uri->userinfo);
  if (strchr (uri->host, ':'))
    g_string_append_printf (out, "[%s]", uri->host);
  else
    g_string_append (out, uri->host);
  if (uri->port)
    g_string_append_printf (out, ":%u", uri->port);
  if (uri->session_id)
    g_string_append_printf (out, "/%s", uri->session_id);
  if (uri->transport)
    g_string_append_printf (out, ";%s", uri->transport);
  for (guint i = 0; i < uri->params->len; i++)
    g_string_append_printf (out, ";%s", (const char *) g_ptr_array_index (uri->params, i));
}

char *
confab_msrp_uri_to_string (const ConfabMsrpUri *uri)
{
  GString *out = g_string_new (NULL);

  confab_msrp_uri_append (uri, out);
  return g_string_free (out, FALSE);
}

ConfabMsrpUri *
confab_msrp_uri_copy (const ConfabMsrpUri *uri)
{
  ConfabMsrpUri *copy;

  g_return_val_if_fail (uri != NULL, NULL);

  copy = g_new0 (ConfabMsrpUri, 1);
  copy->secure = uri->secure;
  copy->userinfo = g_strdup (uri->userinfo);
  copy->host = g_strdup (uri->host);
  copy->port = uri->port;
  copy->session_id = g_strdup (uri->session_id);
  copy->transport = g_strdup (uri->transport);
  copy->params = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < uri->params->len; i++)
    g_ptr_array_add (copy->params, g_strdup (g_ptr_array_index (uri->params, i)));
  return copy;
}

void
confab_msrp_uri_free (ConfabMsrpUri *uri)
{
  if (!uri)
    return;
  g_free (uri->userinfo);
  g_free (uri->host);
  g_free (uri->session_id);
  g_free (uri->transport);
  g_clear_pointer (&uri->params, g_ptr_array_unref);
  g_free (uri);
}

/* Lower case, with percent-encoded unreserved characters decoded. */
static char *
normalize_host (const char *host)
{
  GString *out = g_string_new (NULL);

  for (const char *c = host; *c; c++) {
    if (c[0] == '%' && g_ascii_isxdigit (c[1]) && g_ascii_isxdigit (c[2])) {
      char decoded = (char) (g_ascii_xdigit_value (c[1]) * 16 + g_ascii_xdigit_value (c[2]));

      if (is_unreserved (decoded)) {
        g_string_append_c (out, g_ascii_tolower (decoded));
        c += 2;
        continue;
      }
    }
    g_string_append_c (out, g_ascii_tolower (*c));
  }
  return g_string_free (out, FALSE);
}

static gboolean
host_equal (const char *a,
            const char *b)
{
  g_autofree char *norm_a = normalize_host (a);
  g_autofree char *norm_b = normalize_host (b);
  g_autoptr (GInetAddress) address_a = g_inet_address_new_from_string (norm_a);
  g_autoptr (GInetAddress) address_b = g_inet_address_new_from_string (norm_b);

  if (address_a && address_b)
    return g_inet_address_equal (address_a, address_b);
  return strcmp (norm_a, norm_b) == 0;
}

/**
 * confab_msrp_uri_equal:
 *
 * RFC 4975 §6.1: schemes and transports equal (case-insensitive, a missing
 * transport being "tcp"), hosts equal (case-insensitive, IP addresses as
 * addresses), ports equal (an explicit port never equals none), session-ids
 * equal (case-sensitive). Userinfo and other parameters are not compared.
 */
gboolean
confab_msrp_uri_equal (const ConfabMsrpUri *a,
                       const ConfabMsrpUri *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->secure == b->secure && a->port == b->port &&
         g_strcmp0 (a->session_id, b->session_id) == 0 &&
         g_ascii_strcasecmp (a->transport ? a->transport : "tcp",
                             b->transport ? b->transport : "tcp") == 0 &&
         host_equal (a->host, b->host);
}

/* RFC 6714: sessions are matched on the session-id alone. */
gboolean
confab_msrp_uri_session_id_equal (const ConfabMsrpUri *a,
                                  const ConfabMsrpUri *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->session_id && b->session_id && strcmp (a->session_id, b->session_id) == 0;
}

/**
 * confab_msrp_uri_get_param:
 *
 * Returns: (nullable): the value of parameter @name (case-insensitive), ""
 *   for a parameter without a value, %NULL when absent
 */
const char *
confab_msrp_uri_get_param (const ConfabMsrpUri *uri,
                           const char          *name)
{
  gsize name_length;

  g_return_val_if_fail (uri != NULL && name != NULL, NULL);

  name_length = strlen (name);
  for (guint i = 0; i < uri->params->len; i++) {
    const char *param = g_ptr_array_index (uri->params, i);

    if (g_ascii_strncasecmp (param, name, name_length) != 0)
      continue;
    if (param[name_length] == '\0')
      return "";
    if (param[name_length] == '=')
      return param + name_length + 1;
  }
  return NULL;
}

/* The port to connect to: the URI's, else 2855 (RFC 4976). */
guint
confab_msrp_uri_get_port (const ConfabMsrpUri *uri)
{
  g_return_val_if_fail (uri != NULL, 0);

  return uri->port ? uri->port : CONFAB_MSRP_DEFAULT_PORT;
}

GPtrArray *
confab_msrp_path_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) confab_msrp_uri_free);
}

GPtrArray *
confab_msrp_path_new_single (const ConfabMsrpUri *uri)
{
  GPtrArray *path = confab_msrp_path_new ();

  g_ptr_array_add (path, confab_msrp_uri_copy (uri));
  return path;
}

/**
 * confab_msrp_path_parse:
 * @text: one or more URIs separated by spaces, not necessarily NUL-terminated
 *
 * Returns: (transfer full) (nullable): a path of at least one URI
 */
GPtrArray *
confab_msrp_path_parse (const char *text,
                        gsize       length,
                        GError    **error)
{
  g_autoptr (GPtrArray) path = confab_msrp_path_new ();
  gsize pos = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  while (pos < length) {
    gsize start;
    ConfabMsrpUri *uri;

    while (pos < length && (text[pos] == ' ' || text[pos] == '\t'))
      pos++;
    if (pos == length)
      break;
    start = pos;
    while (pos < length && text[pos] != ' ' && text[pos] != '\t')
      pos++;
    if (path->len == CONFAB_MSRP_PATH_MAX_URIS) {
      fail (error, _("a path of more than %u URIs"), CONFAB_MSRP_PATH_MAX_URIS);
      return NULL;
    }
    uri = confab_msrp_uri_parse (text + start, pos - start, error);
    if (!uri)
      return NULL;
    g_ptr_array_add (path, uri);
  }
  if (path->len == 0) {
    fail (error, _("the path is empty"));
    return NULL;
  }
  return g_steal_pointer (&path);
}

char *
confab_msrp_path_to_string (GPtrArray *path)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < path->len; i++) {
    if (i)
      g_string_append_c (out, ' ');
    confab_msrp_uri_append (g_ptr_array_index (path, i), out);
  }
  return g_string_free (out, FALSE);
}

GPtrArray *
confab_msrp_path_copy (GPtrArray *path)
{
  GPtrArray *copy;

  if (!path)
    return NULL;
  copy = confab_msrp_path_new ();
  for (guint i = 0; i < path->len; i++)
    g_ptr_array_add (copy, confab_msrp_uri_copy (g_ptr_array_index (path, i)));
  return copy;
}

gboolean
confab_msrp_path_equal (GPtrArray *a,
                        GPtrArray *b)
{
  if (!a || !b)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++) {
    if (!confab_msrp_uri_equal (g_ptr_array_index (a, i), g_ptr_array_index (b, i)))
      return FALSE;
  }
  return TRUE;
}
