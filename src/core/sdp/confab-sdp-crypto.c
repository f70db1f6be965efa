/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSdp"

#include "config.h"

#include "confab-random.h"
#include "confab-sdp-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <string.h>

/* SDES (RFC 4568): checking a=crypto lines from the peer, making our keys.
 * Keys come from the kernel CSPRNG only: g_random is predictable. */

#define MAX_KEY_PARAMS 16
#define MAX_KEY_BYTES  64

static const struct {
  const char *suite;
  gsize key_length;   /* master key || salt, bytes */
  gboolean supported; /* offered/answered by Confab */
} suites[] = {
  { "AES_CM_128_HMAC_SHA1_80", CONFAB_SDP_KEY_LENGTH_128, TRUE },
  { "AES_CM_128_HMAC_SHA1_32", CONFAB_SDP_KEY_LENGTH_128, TRUE },
  { "AES_256_CM_HMAC_SHA1_80", CONFAB_SDP_KEY_LENGTH_256, TRUE },
  { "AES_256_CM_HMAC_SHA1_32", CONFAB_SDP_KEY_LENGTH_256, TRUE },
  { "AES_192_CM_HMAC_SHA1_80", 38, FALSE },
  { "AES_192_CM_HMAC_SHA1_32", 38, FALSE },
  { "F8_128_HMAC_SHA1_80", 30, FALSE },
  { "AEAD_AES_128_GCM", 28, FALSE },
  { "AEAD_AES_256_GCM", 44, FALSE },
};

static int
suite_index (const char *suite)
{
  for (guint i = 0; i < G_N_ELEMENTS (suites); i++) {
    if (g_strcmp0 (suite, suites[i].suite) == 0)
      return (int) i;
  }
  return -1;
}

/**
 * confab_sdp_crypto_suite_key_length:
 *
 * Returns: the key||salt length @suite needs in bytes, 0 when unknown
 */
gsize
confab_sdp_crypto_suite_key_length (const char *suite)
{
  int i = suite ? suite_index (suite) : -1;

  return i < 0 ? 0 : suites[i].key_length;
}

static int
base64_value (guchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Strict base64 (RFC 4648 §4): padding optional but only at the end, no
 * stray characters, unused bits zero. g_base64_decode() skips garbage. */
static guint8 *
base64_decode_strict (const char *text,
                      gsize       length,
                      gsize      *out_length)
{
  g_autofree guint8 *out = NULL;
  gsize pad = 0, n = 0;
  guint32 acc = 0;
  guint bits = 0;

  while (pad < 2 && length > 0 && text[length - 1] == '=') {
    length--;
    pad++;
  }
  if (length == 0 || length % 4 == 1 || (pad && (length + pad) % 4 != 0))
    return NULL;
  out = g_malloc (length * 3 / 4 + 1);
  for (gsize i = 0; i < length; i++) {
    int v = base64_value (text[i]);

    if (v < 0)
      return NULL;
    acc = (acc << 6) | (guint32) v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (guint8) (acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0)
    return NULL;
  *out_length = n;
  return g_steal_pointer (&out);
}

static void
wipe_free (guint8 *bytes,
           gsize   length)
{
  if (!bytes)
    return;
  explicit_bzero (bytes, length);
  g_free (bytes);
}

/* Lifetime: "2^31" or decimal. MKI: "value:length", length 1..128. */
static gboolean
is_digits (const char *text,
           gsize       length,
           gsize       max_digits)
{
  if (length == 0 || length > max_digits)
    return FALSE;
  for (gsize i = 0; i < length; i++) {
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  }
  return TRUE;
}

static gboolean
check_key_info (const char *info,
                gsize       expected,
                gboolean   *has_mki)
{
  g_auto (GStrv) fields = g_strsplit (info, "|", 4);
  guint n = g_strv_length (fields);
  guint8 *key;
  gsize key_length = 0;

  if (n < 1 || n > 3)
    return FALSE;
  key = base64_decode_strict (fields[0], strlen (fields[0]), &key_length);
  if (!key)
    return FALSE;
  wipe_free (key, key_length);
  if (expected ? key_length != expected : key_length > MAX_KEY_BYTES)
    return FALSE;

  for (guint i = 1; i < n; i++) {
    const char *field = fields[i];
    const char *colon = strchr (field, ':');

    if (colon) {
      guint64 mki_length;

      if (!is_digits (field, colon - field, 32) || !is_digits (colon + 1, strlen (colon + 1), 3))
        return FALSE;
      mki_length = g_ascii_strtoull (colon + 1, NULL, 10);
      if (mki_length < 1 || mki_length > 128 || i != n - 1)
        return FALSE;
      *has_mki = TRUE;
    } else if (g_str_has_prefix (field, "2^")) {
      if (!is_digits (field + 2, strlen (field + 2), 2))
        return FALSE;
    } else if (!is_digits (field, strlen (field), 20) || i != 1) {
      return FALSE;
    }
  }
  return TRUE;
}

/**
 * _confab_sdp_crypto_parse:
 * @value: what follows "a=crypto:"
 *
 * Returns: (transfer full) (nullable): the line, or %NULL when it is
 *   malformed: no inline: key, bad base64, wrong key length for the suite
 */
ConfabSdpCrypto *
_confab_sdp_crypto_parse (const char *value)
{
  g_auto (GStrv) words = g_strsplit_set (value, " \t", -1);
  g_autoptr (GPtrArray) tokens = g_ptr_array_new ();
  g_auto (GStrv) params = NULL;
  g_autofree char *session_params = NULL;
  gsize expected;
  guint n_params;

  for (guint i = 0; words[i]; i++) {
    if (*words[i])
      g_ptr_array_add (tokens, words[i]);
  }
  if (tokens->len < 3)
    return NULL;
  if (!is_digits (tokens->pdata[0], strlen (tokens->pdata[0]), 9))
    return NULL;
  for (const char *p = tokens->pdata[1]; *p; p++) {
    if (!g_ascii_isalnum (*p) && *p != '_')
      return NULL;
  }
  expected = confab_sdp_crypto_suite_key_length (tokens->pdata[1]);

  params = g_strsplit (tokens->pdata[2], ";", MAX_KEY_PARAMS + 1);
  n_params = g_strv_length (params);
  if (n_params == 0 || n_params > MAX_KEY_PARAMS)
    return NULL;
  for (guint i = 0; i < n_params; i++) {
    gboolean has_mki = FALSE;

    if (g_ascii_strncasecmp (params[i], "inline:", 7) != 0)
      return NULL;
    if (!check_key_info (params[i] + 7, expected, &has_mki))
      return NULL;
    /* Several keys need MKIs to tell them apart. */
    if (n_params > 1 && !has_mki)
      return NULL;
  }
  if (tokens->len > 3) {
    g_ptr_array_add (tokens, NULL);
    session_params = g_strjoinv (" ", (char **) tokens->pdata + 3);
  }
  return confab_sdp_crypto_new ((guint) g_ascii_strtoull (tokens->pdata[0], NULL, 10),
                                tokens->pdata[1], tokens->pdata[2], session_params);
}

/* A line Confab can answer or accept: a suite we run, one key of the right
 * length, no MKI, no session parameters we would have to honour. */
gboolean
_confab_sdp_crypto_is_usable (const ConfabSdpCrypto *crypto)
{
  int i = suite_index (crypto->suite);
  g_autofree char *key = NULL;
  guint8 *raw;
  gsize length = 0;

  if (i < 0 || !suites[i].supported || crypto->session_params)
    return FALSE;
  if (g_ascii_strncasecmp (crypto->key_params, "inline:", 7) != 0 ||
      strpbrk (crypto->key_params + 7, ";:"))
    return FALSE;
  key = confab_sdp_crypto_dup_inline_key (crypto);
  raw = key ? base64_decode_strict (key, strlen (key), &length) : NULL;
  if (!raw)
    return FALSE;
  wipe_free (raw, length);
  return length == suites[i].key_length;
}

/**
 * confab_sdp_crypto_dup_inline_key:
 *
 * Returns: (transfer full) (nullable): the base64 key||salt of the first
 *   inline key, without lifetime or MKI
 */
char *
confab_sdp_crypto_dup_inline_key (const ConfabSdpCrypto *crypto)
{
  const char *start;
  gsize length;

  g_return_val_if_fail (crypto != NULL, NULL);

  if (!crypto->key_params || g_ascii_strncasecmp (crypto->key_params, "inline:", 7) != 0)
    return NULL;
  start = crypto->key_params + 7;
  length = strcspn (start, "|;");
  return length ? g_strndup (start, length) : NULL;
}

/**
 * confab_sdp_crypto_decode_key:
 * @key: a base64 key||salt, as in #ConfabSdpAudioResult
 * @length: (out): the number of bytes returned
 *
 * Decodes an SRTP master key and salt and checks its length: 30 bytes for
 * the AES_CM_128 suites, 46 for AES_256_CM.
 *
 * Returns: (transfer full) (nullable): the raw bytes, or %NULL with @error
 */
guint8 *
confab_sdp_crypto_decode_key (const char  *key,
                              gsize       *length,
                              GError     **error)
{
  guint8 *raw;
  gsize raw_length = 0;

  g_return_val_if_fail (length != NULL, NULL);

  *length = 0;
  raw = key ? base64_decode_strict (key, strlen (key), &raw_length) : NULL;
  if (!raw) {
    g_set_error_literal (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                         _("The SRTP key is not valid base64."));
    return NULL;
  }
  if (raw_length != CONFAB_SDP_KEY_LENGTH_128 && raw_length != CONFAB_SDP_KEY_LENGTH_256) {
    wipe_free (raw, raw_length);
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The SRTP key has %lu bytes; 30 or 46 were expected."),
                 (unsigned long) raw_length);
    return NULL;
  }
  *length = raw_length;
  return raw;
}

/* A fresh base64 master key||salt of @length bytes. Without a CSPRNG there
 * is no safe key to send, so that aborts rather than weakening SRTP. */
char *
_confab_sdp_crypto_new_key (gsize length)
{
  guint8 buffer[MAX_KEY_BYTES];
  char *key;

  g_assert (length <= sizeof buffer);
  if (!_confab_random_fill (buffer, length))
    g_error ("No random source for SRTP keys: %s", g_strerror (errno));
  key = g_base64_encode (buffer, length);
  explicit_bzero (buffer, sizeof buffer);
  return key;
}
