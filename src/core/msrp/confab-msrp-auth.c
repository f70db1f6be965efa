/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-random.h"
#include "confab-msrp-auth-private.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* Digest authentication of MSRP AUTH requests to a relay (RFC 4976 §5.1):
 * reading the relay's WWW-Authenticate challenge and computing the
 * Authorization answer (RFC 2617, RFC 7616). SIP requests are answered by
 * sofia-sip (confab-sip-auth.c); MSRP is our own wire code, so is this. */

#define MAX_AUTH_INPUT 4096       /* bytes of a challenge, URI, user name or password */
#define CNONCE_LEN     16         /* random bytes, printed as 32 hex digits */
#define NONCE_COUNT    "00000001" /* every AUTH answers a fresh challenge */

typedef struct
{
  char *realm;
  char *nonce;
  char *opaque;
  char *qop;
  char *algorithm;
  char *stale; /* read only to refuse it twice: a stale challenge is answered alike */
} Challenge;

static void
challenge_clear (Challenge *challenge)
{
  g_clear_pointer (&challenge->realm, g_free);
  g_clear_pointer (&challenge->nonce, g_free);
  g_clear_pointer (&challenge->opaque, g_free);
  g_clear_pointer (&challenge->qop, g_free);
  g_clear_pointer (&challenge->algorithm, g_free);
  g_clear_pointer (&challenge->stale, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Challenge, challenge_clear)

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
  g_set_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID,
               _("Cannot answer the MSRP relay’s authentication challenge: %s"), message);
  return FALSE;
}

static gboolean
is_ows (char c)
{
  return c == ' ' || c == '\t';
}

static gboolean
is_ctl (char c)
{
  return (guchar) c < 0x20 || c == 0x7f;
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Unquoted values: a token, leniently also token68 characters ("/", "=")
 * that some servers leave unquoted in nonces. */
static gboolean
is_bare_value_char (char c)
{
  return (guchar) c > 0x20 && (guchar) c < 0x7f && c != '"' && c != ',' && c != '\\';
}

static gboolean
has_ctl (const char *text)
{
  for (; *text; text++) {
    if (is_ctl (*text))
      return TRUE;
  }
  return FALSE;
}

static const char *
skip_ows (const char *p,
          const char *end)
{
  while (p < end && is_ows (*p))
    p++;
  return p;
}

/* quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; @p is past the
 * opening quote. Returns the position after the closing quote, or NULL. */
static const char *
read_quoted (const char *p,
             const char *end,
             GString    *value)
{
  while (p < end) {
    char c = *p++;

    if (c == '"')
      return p;
    if (c == '\\') {
      if (p >= end || (is_ctl (*p) && *p != '\t'))
        return NULL;
      c = *p++;
    } else if (is_ctl (c) && c != '\t') {
      return NULL;
    }
    g_string_append_c (value, c);
  }
  return NULL;
}

static char **
challenge_field (Challenge  *challenge,
                 const char *name,
                 gsize       length)
{
  static const struct {
    const char *name;
    gsize offset;
  } fields[] = {
    { "realm", G_STRUCT_OFFSET (Challenge, realm) },
    { "nonce", G_STRUCT_OFFSET (Challenge, nonce) },
    { "opaque", G_STRUCT_OFFSET (Challenge, opaque) },
    { "qop", G_STRUCT_OFFSET (Challenge, qop) },
    { "algorithm", G_STRUCT_OFFSET (Challenge, algorithm) },
    { "stale", G_STRUCT_OFFSET (Challenge, stale) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++) {
    if (strlen (fields[i].name) == length && g_ascii_strncasecmp (fields[i].name, name, length) == 0)
      return G_STRUCT_MEMBER_P (challenge, fields[i].offset);
  }
  return NULL;
}

/* challenge = "Digest" 1*SP #auth-param, auth-param = token BWS "=" BWS
 * ( token / quoted-string ). Unknown parameters (domain, charset, userhash)
 * are checked for syntax and ignored, as RFC 7616 §3.3 asks. */
static gboolean
parse_challenge (const char *text,
                 Challenge  *challenge,
                 GError    **error)
{
  const char *end = text + strlen (text);
  const char *p = skip_ows (text, end);
  const char *scheme = p;

  while (p < end && is_token_char (*p))
    p++;
  if (p - scheme != 6 || g_ascii_strncasecmp (scheme, "Digest", 6) != 0)
    return fail (error, _("it is not a Digest challenge"));
  if (p < end && !is_ows (*p))
    return fail (error, _("it is not a Digest challenge"));

  for (;;) {
    g_autoptr (GString) value = g_string_new (NULL);
    const char *name;
    gsize name_length;
    char **field;

    while (p < end && (is_ows (*p) || *p == ','))
      p++;
    if (p >= end)
      break;

    name = p;
    while (p < end && is_token_char (*p))
      p++;
    name_length = p - name;
    p = skip_ows (p, end);
    if (name_length == 0 || p >= end || *p != '=')
      return fail (error, _("a parameter is malformed"));
    p = skip_ows (p + 1, end);
    if (p < end && *p == '"') {
      p = read_quoted (p + 1, end, value);
      if (!p)
        return fail (error, _("a quoted value is not terminated or holds control characters"));
    } else {
      const char *start = p;

      while (p < end && is_bare_value_char (*p))
        p++;
      if (p == start)
        return fail (error, _("a parameter has no value"));
      g_string_append_len (value, start, p - start);
    }
    p = skip_ows (p, end);
    if (p < end && *p != ',')
      return fail (error, _("a parameter is malformed"));

    field = challenge_field (challenge, name, name_length);
    if (field && *field)
      return fail (error, _("a parameter appears twice"));
    if (field)
      *field = g_string_free (g_steal_pointer (&value), FALSE);
  }

  if (!challenge->nonce || !*challenge->nonce)
    return fail (error, _("it has no nonce"));
  if (!challenge->realm)
    return fail (error, _("it has no realm"));
  return TRUE;
}

/* TRUE when the comma-separated @list holds the token @wanted. */
static gboolean
list_has (const char *list,
          const char *wanted)
{
  g_auto (GStrv) items = g_strsplit (list, ",", -1);

  for (guint i = 0; items[i]; i++) {
    if (g_ascii_strcasecmp (g_strstrip (items[i]), wanted) == 0)
      return TRUE;
  }
  return FALSE;
}

/* The lowercase hex hash of @first and the further strings up to NULL,
 * joined with ':' as RFC 2617 §3.2.2 writes them. */
static char * G_GNUC_NULL_TERMINATED
hash_joined (GChecksumType type,
             const char   *first,
             ...)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (type);
  va_list args;

  va_start (args, first);
  for (const char *part = first; part; part = va_arg (args, const char *)) {
    if (part != first)
      g_checksum_update (checksum, (const guchar *) ":", 1);
    g_checksum_update (checksum, (const guchar *) part, strlen (part));
  }
  va_end (args);
  return g_strdup (g_checksum_get_string (checksum));
}

/* Parameters after the first one ("Digest ") are separated by ", ". */
static void
append_separator (GString *out)
{
  if (out->str[out->len - 1] != ' ')
    g_string_append (out, ", ");
}

static void
append_quoted (GString    *out,
               const char *name,
               const char *value)
{
  append_separator (out);
  g_string_append_printf (out, "%s=\"", name);
  for (const char *c = value; *c; c++) {
    if (*c == '"' || *c == '\\')
      g_string_append_c (out, '\\');
    g_string_append_c (out, *c);
  }
  g_string_append_c (out, '"');
}

static char *
random_cnonce (void)
{
  guint8 bytes[CNONCE_LEN];
  GString *hex = g_string_sized_new (2 * CNONCE_LEN);

  if (!_confab_random_fill (bytes, sizeof bytes)) {
    g_string_free (hex, TRUE);
    return NULL;
  }
  for (guint i = 0; i < sizeof bytes; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

char *
_confab_msrp_auth_build_authorization_full (const char  *www_authenticate,
                                            const char  *method,
                                            const char  *uri,
                                            const char  *username,
                                            const char  *password,
                                            const char  *cnonce,
                                            GError     **error)
{
  g_auto (Challenge) challenge = { 0 };
  g_autofree char *own_cnonce = NULL;
  g_autofree char *ha1 = NULL;
  g_autofree char *ha2 = NULL;
  g_autofree char *response = NULL;
  g_autoptr (GString) out = NULL;
  const char *algorithm = "MD5";
  GChecksumType type = G_CHECKSUM_MD5;
  gboolean session = FALSE;
  gboolean use_qop;

  g_return_val_if_fail (method && *method, NULL);
  g_return_val_if_fail (uri, NULL);
  g_return_val_if_fail (username, NULL);
  g_return_val_if_fail (password, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!www_authenticate) {
    fail (error, _("the relay sent no WWW-Authenticate header"));
    return NULL;
  }
  if (strnlen (www_authenticate, MAX_AUTH_INPUT + 1) > MAX_AUTH_INPUT ||
      strnlen (uri, MAX_AUTH_INPUT + 1) > MAX_AUTH_INPUT ||
      strnlen (username, MAX_AUTH_INPUT + 1) > MAX_AUTH_INPUT ||
      strnlen (password, MAX_AUTH_INPUT + 1) > MAX_AUTH_INPUT) {
    fail (error, _("a value is longer than %d bytes"), MAX_AUTH_INPUT);
    return NULL;
  }
  /* The answer is an MSRP header line: nothing may break it. */
  if (!*uri || has_ctl (uri) || !*username || has_ctl (username)) {
    fail (error, _("the user name or relay URI is empty or holds control characters"));
    return NULL;
  }
  if (!parse_challenge (www_authenticate, &challenge, error))
    return NULL;

  if (challenge.algorithm) {
    static const struct {
      const char *name;
      GChecksumType type;
      gboolean session;
    } algorithms[] = {
      { "MD5", G_CHECKSUM_MD5, FALSE },
      { "MD5-sess", G_CHECKSUM_MD5, TRUE },
      { "SHA-256", G_CHECKSUM_SHA256, FALSE },
      { "SHA-256-sess", G_CHECKSUM_SHA256, TRUE },
    };
    guint i;

    for (i = 0; i < G_N_ELEMENTS (algorithms); i++) {
      if (g_ascii_strcasecmp (challenge.algorithm, algorithms[i].name) == 0)
        break;
    }
    if (i == G_N_ELEMENTS (algorithms)) {
      fail (error, _("the algorithm “%s” is not supported"), challenge.algorithm);
      return NULL;
    }
    algorithm = algorithms[i].name;
    type = algorithms[i].type;
    session = algorithms[i].session;
  }

  /* RFC 4976 relays offer qop="auth"; a challenge without qop gets the
   * RFC 2069 answer, which has no client nonce for a -sess algorithm. */
  use_qop = challenge.qop != NULL;
  if (use_qop && !list_has (challenge.qop, "auth")) {
    fail (error, _("the relay does not offer qop “auth”"));
    return NULL;
  }
  if (!use_qop && session) {
    fail (error, _("the algorithm “%s” needs qop"), algorithm);
    return NULL;
  }

  if (use_qop && !cnonce) {
    own_cnonce = random_cnonce ();
    if (!own_cnonce) {
      fail (error, _("no random numbers are available"));
      return NULL;
    }
    cnonce = own_cnonce;
  }

  ha1 = hash_joined (type, username, challenge.realm, password, NULL);
  if (session) {
    g_autofree char *inner = g_steal_pointer (&ha1);

    ha1 = hash_joined (type, inner, challenge.nonce, cnonce, NULL);
  }
  ha2 = hash_joined (type, method, uri, NULL);
  if (use_qop)
    response = hash_joined (type, ha1, challenge.nonce, NONCE_COUNT, cnonce, "auth", ha2, NULL);
  else
    response = hash_joined (type, ha1, challenge.nonce, ha2, NULL);

  out = g_string_new ("Digest ");
  append_quoted (out, "username", username);
  append_quoted (out, "realm", challenge.realm);
  append_quoted (out, "nonce", challenge.nonce);
  append_quoted (out, "uri", uri);
  append_quoted (out, "response", response);
  g_string_append_printf (out, ", algorithm=%s", algorithm);
  if (use_qop)
    append_quoted (out, "cnonce", cnonce);
  if (challenge.opaque)
    append_quoted (out, "opaque", challenge.opaque);
  if (use_qop)
    g_string_append (out, ", qop=auth, nc=" NONCE_COUNT);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * confab_msrp_auth_build_authorization:
 * @www_authenticate: the WWW-Authenticate value of the relay's 401
 * @uri: the relay's MSRP URI the AUTH went to (the digest-uri)
 * @username: the account's authentication user
 * @password: its password
 * @error: return location for a %CONFAB_MSRP_ERROR_INVALID error
 *
 * Answers a Digest challenge (MD5, MD5-sess, SHA-256, SHA-256-sess;
 * qop=auth with a fresh random cnonce) for method AUTH. A `stale=true`
 * challenge is answered the same way: only the nonce has changed.
 *
 * Returns: (transfer full) (nullable): the Authorization header value,
 *   `Digest username="…", realm="…", …`, or %NULL with @error set
 */
char *
confab_msrp_auth_build_authorization (const char  *www_authenticate,
                                      const char  *uri,
                                      const char  *username,
                                      const char  *password,
                                      GError     **error)
{
  return _confab_msrp_auth_build_authorization_full (www_authenticate, "AUTH", uri, username,
                                                     password, NULL, error);
}
