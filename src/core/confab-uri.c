/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabUri"

#include "config.h"

#include "confab-uri.h"
#include "confab-error.h"

#include <string.h>

/* A tolerant parser for what people type and what links carry: sip:, sips:
 * and tel: URIs (RFC 3261 §19.1, RFC 3966), bare user@host, phone numbers.
 * It never aborts: bad input gives NULL and an error. URI headers (`?...`)
 * are dropped on purpose: a clicked link must not inject SIP headers. */

static gboolean
is_user_char (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("-_.!~*'()&=+$,;?/", c) != NULL;
}

static gboolean
is_host_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_';
}

static gboolean
is_param_char (guchar c)
{
  return g_ascii_isalnum (c) || strchr ("-_.!~*'()[]/:&+$%=;", c) != NULL;
}

static gboolean
is_visual_separator (guchar c)
{
  return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

static gboolean
is_phone_char (guchar c)
{
  return g_ascii_isdigit (c) || c == '*' || c == '#' || (c >= 'A' && c <= 'D') ||
         (c >= 'a' && c <= 'd');
}

void
confab_uri_free (ConfabUri *uri)
{
  if (!uri)
    return;
  g_free (uri->user);
  g_free (uri->host);
  g_free (uri->params);
  g_free (uri);
}

static gboolean
fail (GError    **error,
      const char *message)
{
  g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, message);
  return FALSE;
}

/* %XX-decodes [start, end); refuses NUL and control characters. */
static char *
unescape_user (const char *start,
               const char *end,
               GError    **error)
{
  GString *out = g_string_sized_new (end - start);

  for (const char *p = start; p < end; p++) {
    guchar c = *p;

    if (c == '%') {
      int hi, lo;

      if (end - p < 3 || (hi = g_ascii_xdigit_value (p[1])) < 0 ||
          (lo = g_ascii_xdigit_value (p[2])) < 0) {
        g_string_free (out, TRUE);
        fail (error, "Invalid %-escape in the user part");
        return NULL;
      }
      c = (guchar) (hi << 4 | lo);
      if (c < 0x20 || c == 0x7f) {
        g_string_free (out, TRUE);
        fail (error, "Control character in the user part");
        return NULL;
      }
      p += 2;
    } else if (!is_user_char (c) && c < 0x80) {
      g_string_free (out, TRUE);
      fail (error, "Invalid character in the user part");
      return NULL;
    }
    g_string_append_c (out, (char) c);
  }
  if (out->len == 0) {
    g_string_free (out, TRUE);
    fail (error, "Empty user part");
    return NULL;
  }
  if (!g_utf8_validate (out->str, out->len, NULL)) {
    g_string_free (out, TRUE);
    fail (error, "The user part is not valid UTF-8");
    return NULL;
  }
  return g_string_free (out, FALSE);
}

static gboolean
parse_params (const char *start,
              const char *end,
              ConfabUri  *uri,
              GError    **error)
{
  if (start == end)
    return TRUE;
  for (const char *p = start; p < end; p++) {
    if (!is_param_char (*p))
      return fail (error, "Invalid character in the URI parameters");
  }
  uri->params = g_strndup (start, end - start);
  return TRUE;
}

static gboolean
parse_hostport (const char *start,
                const char *end,
                ConfabUri  *uri,
                GError    **error)
{
  const char *host_end;
  const char *p = start;

  if (p == end)
    return fail (error, "The address has no host");

  if (*p == '[') {
    const char *close = memchr (p, ']', end - p);

    if (!close || close == p + 1)
      return fail (error, "Unterminated IPv6 address");
    for (const char *q = p + 1; q < close; q++) {
      if (!g_ascii_isxdigit (*q) && *q != ':' && *q != '.')
        return fail (error, "Invalid IPv6 address");
    }
    uri->host = g_strndup (p + 1, close - p - 1);
    host_end = close + 1;
  } else {
    host_end = p;
    while (host_end < end && is_host_char (*host_end))
      host_end++;
    if (host_end == p)
      return fail (error, "The address has no host");
    if (host_end - p > 253)
      return fail (error, "The host name is too long");
    uri->host = g_ascii_strdown (p, host_end - p);
  }

  if (host_end < end) {
    guint64 port = 0;

    if (*host_end != ':' || host_end + 1 == end)
      return fail (error, "Invalid character after the host");
    for (p = host_end + 1; p < end; p++) {
      if (!g_ascii_isdigit (*p))
        return fail (error, "Invalid port");
      port = port * 10 + (*p - '0');
      if (port > 65535)
        return fail (error, "Port out of range");
    }
    if (port == 0)
      return fail (error, "Port out of range");
    uri->port = (guint) port;
  }
  return TRUE;
}

static gboolean
parse_sip (const char *p,
           const char *end,
           ConfabUri  *uri,
           GError    **error)
{
  const char *at, *semi, *hostport_end, *params_end;

  /* Some browsers hand over sip://user@host. */
  if (end - p >= 2 && p[0] == '/' && p[1] == '/')
    p += 2;

  params_end = memchr (p, '?', end - p);
  if (!params_end)
    params_end = end;

  /* The user part may hold ';' and '?', so find '@' first. */
  at = NULL;
  for (const char *q = params_end - 1; q >= p; q--) {
    if (*q == '@') {
      at = q;
      break;
    }
  }
  if (at) {
    const char *colon = memchr (p, ':', at - p);

    /* user:password@ is deprecated (RFC 3261 §19.1.1); keep the user only. */
    uri->user = unescape_user (p, colon ? colon : at, error);
    if (!uri->user)
      return FALSE;
    p = at + 1;
    /* '?' inside the user part was not a header separator. */
    params_end = memchr (p, '?', end - p);
    if (!params_end)
      params_end = end;
  }

  semi = memchr (p, ';', params_end - p);
  hostport_end = semi ? semi : params_end;
  if (!parse_hostport (p, hostport_end, uri, error))
    return FALSE;
  return parse_params (hostport_end, params_end, uri, error);
}

static gboolean
parse_tel (const char *p,
           const char *end,
           ConfabUri  *uri,
           GError    **error)
{
  const char *semi = memchr (p, ';', end - p);
  const char *number_end = semi ? semi : end;
  GString *number = g_string_new (NULL);

  for (const char *q = p; q < number_end; q++) {
    if (*q == '+' && number->len == 0)
      g_string_append_c (number, '+');
    else if (is_phone_char (*q))
      g_string_append_c (number, g_ascii_toupper (*q));
    else if (!is_visual_separator (*q)) {
      g_string_free (number, TRUE);
      return fail (error, "Invalid character in the phone number");
    }
  }
  if (number->len == 0 || (number->len == 1 && number->str[0] == '+')) {
    g_string_free (number, TRUE);
    return fail (error, "The phone number is empty");
  }
  uri->user = g_string_free (number, FALSE);
  return parse_params (number_end, end, uri, error);
}

/**
 * confab_uri_parse:
 * @text: a sip:, sips: or tel: URI
 *
 * Returns: (transfer full) (nullable): the parsed URI, or %NULL with @error
 */
ConfabUri *
confab_uri_parse (const char  *text,
                  GError     **error)
{
  g_autoptr (ConfabUri) uri = NULL;
  const char *start, *end, *colon;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  len = strnlen (text, CONFAB_URI_MAX_LENGTH + 1);
  if (len > CONFAB_URI_MAX_LENGTH) {
    fail (error, "The address is too long");
    return NULL;
  }
  start = text;
  end = text + len;
  while (start < end && g_ascii_isspace (*start))
    start++;
  while (end > start && g_ascii_isspace (end[-1]))
    end--;
  for (const char *p = start; p < end; p++) {
    if ((guchar) *p < 0x20 || *p == 0x7f) {
      fail (error, "The address contains control characters");
      return NULL;
    }
  }

  colon = memchr (start, ':', end - start);
  if (!colon) {
    fail (error, "The address has no scheme");
    return NULL;
  }

  uri = g_new0 (ConfabUri, 1);
  if (colon - start == 3 && g_ascii_strncasecmp (start, "sip", 3) == 0)
    uri->scheme = CONFAB_URI_SCHEME_SIP;
  else if (colon - start == 4 && g_ascii_strncasecmp (start, "sips", 4) == 0)
    uri->scheme = CONFAB_URI_SCHEME_SIPS;
  else if (colon - start == 3 && g_ascii_strncasecmp (start, "tel", 3) == 0)
    uri->scheme = CONFAB_URI_SCHEME_TEL;
  else {
    fail (error, "Only sip:, sips: and tel: addresses are supported");
    return NULL;
  }

  if (uri->scheme == CONFAB_URI_SCHEME_TEL) {
    if (!parse_tel (colon + 1, end, uri, error))
      return NULL;
  } else if (!parse_sip (colon + 1, end, uri, error)) {
    return NULL;
  }
  return g_steal_pointer (&uri);
}

static void
append_escaped_user (GString    *out,
                     const char *user)
{
  for (const guchar *p = (const guchar *) user; *p; p++) {
    if (is_user_char (*p) && *p != '?' && *p != ';' && *p != '/')
      g_string_append_c (out, (char) *p);
    else
      g_string_append_printf (out, "%%%02X", *p);
  }
}

char *
confab_uri_to_string (const ConfabUri *uri)
{
  GString *out;

  g_return_val_if_fail (uri != NULL, NULL);

  out = g_string_new (NULL);
  switch (uri->scheme) {
  case CONFAB_URI_SCHEME_TEL:
    g_string_append (out, "tel:");
    g_string_append (out, uri->user);
    if (uri->params)
      g_string_append (out, uri->params);
    return g_string_free (out, FALSE);
  case CONFAB_URI_SCHEME_SIPS:
    g_string_append (out, "sips:");
    break;
  case CONFAB_URI_SCHEME_SIP:
  default:
    g_string_append (out, "sip:");
    break;
  }
  if (uri->user) {
    append_escaped_user (out, uri->user);
    g_string_append_c (out, '@');
  }
  if (strchr (uri->host, ':'))
    g_string_append_printf (out, "[%s]", uri->host);
  else
    g_string_append (out, uri->host);
  if (uri->port)
    g_string_append_printf (out, ":%u", uri->port);
  if (uri->params)
    g_string_append (out, uri->params);
  return g_string_free (out, FALSE);
}

/**
 * confab_uri_get_param:
 * @name: parameter name, case-insensitive
 * @value: (out) (optional): its value, or %NULL for a flag parameter
 *
 * Returns: (nullable): @name when present, else %NULL
 */
const char *
confab_uri_get_param (const ConfabUri  *uri,
                      const char       *name,
                      char            **value)
{
  g_auto (GStrv) parts = NULL;
  gsize name_len;

  g_return_val_if_fail (uri != NULL && name != NULL, NULL);

  if (value)
    *value = NULL;
  if (!uri->params)
    return NULL;
  name_len = strlen (name);
  parts = g_strsplit (uri->params + 1, ";", 64);
  for (guint i = 0; parts[i]; i++) {
    if (g_ascii_strncasecmp (parts[i], name, name_len) != 0)
      continue;
    if (parts[i][name_len] == '\0')
      return name;
    if (parts[i][name_len] == '=') {
      if (value)
        *value = g_strdup (parts[i] + name_len + 1);
      return name;
    }
  }
  return NULL;
}

static gboolean
looks_like_phone_number (const char *text)
{
  guint digits = 0;

  for (const char *p = text; *p; p++) {
    if (g_ascii_isdigit (*p))
      digits++;
    else if (!(*p == '+' && p == text) && !is_visual_separator (*p) && *p != '*' && *p != '#')
      return FALSE;
  }
  return digits > 0;
}

/**
 * confab_uri_skip_scheme:
 * @uri: (nullable): a URI
 *
 * Returns: @uri after "sip:" or "sips:", as people are shown ("alice@example.org");
 *   "" for %NULL
 */
const char *
confab_uri_skip_scheme (const char *uri)
{
  if (uri == NULL)
    return "";
  if (g_str_has_prefix (uri, "sip:"))
    return uri + 4;
  if (g_str_has_prefix (uri, "sips:"))
    return uri + 5;
  return uri;
}

/**
 * confab_uri_normalize:
 * @text: what the user typed or a link carried
 * @default_domain: (nullable): domain for bare user names and numbers
 *
 * Turns "alice@example.org", "sip:Alice@Example.org", "+49 30 1234" or a link
 * into one canonical URI string.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL when @text is not an
 *   address
 */
char *
confab_uri_normalize (const char *text,
                      const char *default_domain)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *candidate = NULL;
  g_autoptr (ConfabUri) uri = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (strnlen (text, CONFAB_URI_MAX_LENGTH + 1) > CONFAB_URI_MAX_LENGTH)
    return NULL;
  trimmed = g_strstrip (g_strdup (text));
  if (!*trimmed)
    return NULL;

  if (g_str_has_prefix (trimmed, "sip:") || g_str_has_prefix (trimmed, "sips:") ||
      g_str_has_prefix (trimmed, "tel:") || g_ascii_strncasecmp (trimmed, "sip:", 4) == 0 ||
      g_ascii_strncasecmp (trimmed, "sips:", 5) == 0 ||
      g_ascii_strncasecmp (trimmed, "tel:", 4) == 0) {
    candidate = g_strdup (trimmed);
  } else if (strchr (trimmed, '@')) {
    candidate = g_strconcat ("sip:", trimmed, NULL);
  } else if (looks_like_phone_number (trimmed)) {
    if (default_domain) {
      g_autoptr (ConfabUri) tel = NULL;
      g_autofree char *tel_text = g_strconcat ("tel:", trimmed, NULL);

      tel = confab_uri_parse (tel_text, NULL);
      if (!tel)
        return NULL;
      candidate = g_strdup_printf ("sip:%s@%s", tel->user, default_domain);
    } else {
      candidate = g_strconcat ("tel:", trimmed, NULL);
    }
  } else if (default_domain && !strchr (trimmed, '.') && !strchr (trimmed, ':')) {
    candidate = g_strdup_printf ("sip:%s@%s", trimmed, default_domain);
  } else {
    /* A bare host: sip:192.0.2.7:5060 */
    candidate = g_strconcat ("sip:", trimmed, NULL);
  }

  uri = confab_uri_parse (candidate, NULL);
  if (!uri)
    return NULL;
  return confab_uri_to_string (uri);
}
