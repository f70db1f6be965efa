/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabIm"

#include "config.h"

#include "confab-cpim-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#include <string.h>

/* CPIM addresses (`Name <uri>`) and the character classes the CPIM reader
 * and printer share. */

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
  g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("Invalid CPIM message: %s"), message);
  return FALSE;
}

gboolean
_confab_cpim_is_token_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("-.!%*_+`'~", c) != NULL);
}

gboolean
_confab_cpim_is_token (const char *text,
                       gsize       length)
{
  if (length == 0)
    return FALSE;
  for (gsize i = 0; i < length; i++) {
    if (!_confab_cpim_is_token_char (text[i]))
      return FALSE;
  }
  return TRUE;
}

gboolean
_confab_cpim_is_printable (const char *text)
{
  for (const char *c = text; *c; c++) {
    if (((guchar) *c < 0x20 && *c != '\t') || *c == 0x7f)
      return FALSE;
  }
  return TRUE;
}

/* scheme ":" and no spaces, controls, quotes or angle brackets */
gboolean
_confab_cpim_is_uri_text (const char *text)
{
  const char *c = text;

  if (!g_ascii_isalpha (*c))
    return FALSE;
  while (g_ascii_isalnum (*c) || *c == '+' || *c == '-' || *c == '.')
    c++;
  if (*c != ':')
    return FALSE;
  for (c = text; *c; c++) {
    if ((guchar) *c <= 0x20 || *c == 0x7f || *c == '<' || *c == '>' || *c == '"')
      return FALSE;
  }
  return TRUE;
}

ConfabCpimAddress *
confab_cpim_address_new (const char *display_name,
                         const char *uri)
{
  ConfabCpimAddress *address;

  g_return_val_if_fail (uri != NULL, NULL);

  address = g_new0 (ConfabCpimAddress, 1);
  address->display_name = display_name && *display_name ? g_strdup (display_name) : NULL;
  address->uri = g_strdup (uri);
  return address;
}

ConfabCpimAddress *
confab_cpim_address_copy (const ConfabCpimAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  return confab_cpim_address_new (address->display_name, address->uri);
}

void
confab_cpim_address_free (ConfabCpimAddress *address)
{
  if (!address)
    return;
  g_free (address->display_name);
  g_free (address->uri);
  g_free (address);
}

/**
 * confab_cpim_address_parse:
 * @text: `Name <uri>`, `"Quoted \"Name\"" <uri>`, `<uri>` or a bare URI
 *
 * Returns: (transfer full) (nullable): the address
 */
ConfabCpimAddress *
confab_cpim_address_parse (const char *text,
                           GError    **error)
{
  g_autofree char *display = NULL;
  g_autofree char *uri = NULL;
  const char *p = text;
  const char *open, *close;

  g_return_val_if_fail (text != NULL, NULL);

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '"') {
    GString *name = g_string_new (NULL);

    for (p++; *p && *p != '"'; p++) {
      if (*p == '\\' && p[1])
        p++;
      g_string_append_c (name, *p);
    }
    display = g_string_free (name, FALSE);
    if (*p != '"') {
      fail (error, _("a quoted name has no closing quote"));
      return NULL;
    }
    p++;
    open = strchr (p, '<');
    if (!open) {
      fail (error, _("an address has a name but no <URI>"));
      return NULL;
    }
    for (const char *c = p; c < open; c++) {
      if (*c != ' ' && *c != '\t') {
        fail (error, _("text between a quoted name and its <URI>"));
        return NULL;
      }
    }
  } else {
    open = strchr (p, '<');
    if (open) {
      const char *end = open;

      while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
      if (end > p)
        display = g_strndup (p, end - p);
    }
  }

  if (open) {
    close = strchr (open, '>');
    if (!close) {
      fail (error, _("an address has no closing “>”"));
      return NULL;
    }
    for (const char *c = close + 1; *c; c++) {
      if (*c != ' ' && *c != '\t') {
        fail (error, _("text after an address’s “>”"));
        return NULL;
      }
    }
    uri = g_strndup (open + 1, close - open - 1);
  } else {
    gsize length = strlen (p);

    while (length > 0 && (p[length - 1] == ' ' || p[length - 1] == '\t'))
      length--;
    uri = g_strndup (p, length);
  }
  if (!_confab_cpim_is_uri_text (uri)) {
    fail (error, _("an address has an empty or malformed URI"));
    return NULL;
  }
  if (display && !_confab_cpim_is_printable (display)) {
    fail (error, _("a display name contains control characters"));
    return NULL;
  }
  return confab_cpim_address_new (display, uri);
}

/* A name of words separated by single spaces is written bare. */
static gboolean
is_plain_name (const char *name)
{
  if (!*name || name[0] == ' ')
    return FALSE;
  for (const char *c = name; *c; c++) {
    if (*c == ' ' ? (c[1] == ' ' || c[1] == '\0') : !_confab_cpim_is_token_char (*c))
      return FALSE;
  }
  return TRUE;
}

gboolean
_confab_cpim_append_address (GString                 *out,
                             const ConfabCpimAddress *address,
                             GError                 **error)
{
  if (!_confab_cpim_is_uri_text (address->uri))
    return fail (error, _("the URI “%s” cannot be written in an address"), address->uri);
  if (address->display_name && *address->display_name) {
    if (!_confab_cpim_is_printable (address->display_name))
      return fail (error, _("a display name contains control characters"));
    if (is_plain_name (address->display_name)) {
      g_string_append (out, address->display_name);
    } else {
      g_string_append_c (out, '"');
      for (const char *c = address->display_name; *c; c++) {
        if (*c == '"' || *c == '\\')
          g_string_append_c (out, '\\');
        g_string_append_c (out, *c);
      }
      g_string_append_c (out, '"');
    }
    g_string_append_c (out, ' ');
  }
  g_string_append_printf (out, "<%s>", address->uri);
  return TRUE;
}

char *
confab_cpim_address_to_string (const ConfabCpimAddress *address)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (address != NULL, NULL);

  if (!_confab_cpim_append_address (out, address, NULL)) {
    g_string_free (out, TRUE);
    return NULL;
  }
  return g_string_free (out, FALSE);
}
