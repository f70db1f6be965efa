/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Links and dial input are hostile input: parse, print, re-parse. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr (ConfabUri) uri = confab_uri_parse (text, NULL);
  g_autofree char *normalized = confab_uri_normalize (text, "example.org");

  if (uri) {
    g_autofree char *printed = confab_uri_to_string (uri);
    g_autoptr (ConfabUri) again = confab_uri_parse (printed, NULL);
    g_autofree char *value = NULL;

    /* what we print, we read back the same */
    g_assert_nonnull (again);
    g_assert_cmpint (again->scheme, ==, uri->scheme);
    g_assert_cmpstr (again->host, ==, uri->host);
    g_assert_cmpuint (again->port, ==, uri->port);
    confab_uri_get_param (uri, "transport", &value);
  }
  if (normalized) {
    g_autoptr (ConfabUri) parsed = confab_uri_parse (normalized, NULL);

    g_assert_nonnull (parsed);
  }
  return 0;
}
