/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "msrp/confab-msrp-auth.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A relay's WWW-Authenticate is hostile input: an answer or an error,
 * never both, and an answer is one header line (no CR, LF or other
 * control characters but HTAB). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *challenge = g_strndup ((const char *) data, size);
  g_autoptr (GError) error = NULL;
  g_autofree char *answer = confab_msrp_auth_build_authorization (
    challenge, "msrps://relay.example.com:2855;tcp", "alice", "secret", &error);

  g_assert_true ((answer == NULL) != (error == NULL));
  if (answer) {
    g_assert_true (g_str_has_prefix (answer, "Digest username=\"alice\", realm=\""));
    for (const char *c = answer; *c; c++)
      g_assert_true (((guchar) *c >= 0x20 || *c == '\t') && *c != 0x7f);
  } else {
    g_assert_error (error, CONFAB_MSRP_ERROR, CONFAB_MSRP_ERROR_INVALID);
  }
  return 0;
}
