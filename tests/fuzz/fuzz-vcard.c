/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A dropped contact card is hostile input: what comes out is a SIP
 * address we can read back and a name that is valid UTF-8 on one line. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *display = NULL;
  g_autofree char *address =
    confab_vcard_find_sip_address ((const char *) data, (gssize) size, &display);

  if (address) {
    g_autoptr (ConfabUri) uri = confab_uri_parse (address, NULL);

    g_assert_nonnull (uri);
    g_assert_true (confab_vcard_looks_like ((const char *) data, (gssize) size));
  } else {
    g_assert_null (display);
  }
  if (display) {
    g_assert_true (g_utf8_validate (display, -1, NULL));
    g_assert_cmpuint (g_utf8_strlen (display, -1), <=, 200);
    for (const char *p = display; *p; p++)
      g_assert_true ((guchar) *p >= 0x20 && *p != 0x7f);
  }
  return 0;
}
