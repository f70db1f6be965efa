/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-random.h"
#include "confab-msrp-private.h"

#include <errno.h>
#include <string.h>

/* Character classes, numbers and randomness shared by the MSRP code. */

G_DEFINE_QUARK (confab-msrp-error-quark, confab_msrp_error)

gboolean
_confab_msrp_is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '+' || c == '%' || c == '=';
}

gboolean
_confab_msrp_is_ident (const char *text,
                       gsize       length,
                       gsize       min_length,
                       gsize       max_length)
{
  if (length < min_length || length > max_length || length == 0 || !g_ascii_isalnum (text[0]))
    return FALSE;
  for (gsize i = 1; i < length; i++) {
    if (!_confab_msrp_is_ident_char (text[i]))
      return FALSE;
  }
  return TRUE;
}

gboolean
_confab_msrp_is_token_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("-.!%*_+`'~", c) != NULL);
}

gboolean
_confab_msrp_is_token (const char *text,
                       gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++) {
    if (!_confab_msrp_is_token_char (text[i]))
      return FALSE;
  }
  return TRUE;
}

gboolean
_confab_msrp_parse_uint (const char *text,
                         gsize       length,
                         guint64     max,
                         guint64    *out)
{
  guint64 value = 0;

  if (length == 0 || length > 20)
    return FALSE;
  for (gsize i = 0; i < length; i++) {
    guint digit;

    if (!g_ascii_isdigit (text[i]))
      return FALSE;
    digit = text[i] - '0';
    if (value > (G_MAXUINT64 - digit) / 10)
      return FALSE;
    value = value * 10 + digit;
  }
  if (value > max)
    return FALSE;
  *out = value;
  return TRUE;
}

gboolean
_confab_msrp_is_header_safe (const char *text)
{
  return text && strpbrk (text, "\r\n") == NULL;
}

/* Transaction and message ids must not be guessable (a third party that
 * guesses them can inject into or report on a session), so they come from
 * the kernel CSPRNG only, never g_random. */
void
_confab_msrp_random_bytes (guint8 *buffer,
                           gsize   length)
{
  if (!_confab_random_fill (buffer, length))
    g_error ("No random source for MSRP identifiers: %s", g_strerror (errno));
}

/* @length letters and digits, uniformly chosen (rejection sampling). */
char *
_confab_msrp_random_ident (gsize length)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  char *ident = g_malloc (length + 1);
  gsize n = 0;

  while (n < length) {
    guint8 buffer[64];

    _confab_msrp_random_bytes (buffer, sizeof buffer);
    for (gsize i = 0; i < sizeof buffer && n < length; i++) {
      /* 62 * 4 = 248: bytes from 248 up would favour the first letters */
      if (buffer[i] < 248)
        ident[n++] = alphabet[buffer[i] % 62];
    }
  }
  ident[length] = '\0';
  return ident;
}
