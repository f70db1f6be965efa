/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "im/confab-cpim.h"
#include "im/confab-is-composing.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_is_composing (const char *data,
                    gsize       size)
{
  g_autoptr (ConfabIsComposing) composing = confab_is_composing_parse (data, size, NULL);
  g_autoptr (ConfabIsComposing) again = NULL;
  g_autoptr (ConfabIsComposing) third = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_again = NULL;
  g_autofree char *xml_third = NULL;

  if (!composing)
    return;
  /* what we read we print, and read back the same */
  xml = confab_is_composing_to_xml (composing, &error);
  g_assert_no_error (error);
  again = confab_is_composing_parse (xml, strlen (xml), &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->state, ==, composing->state);
  g_assert_cmpuint (again->refresh, ==, composing->refresh);
  g_assert_true ((again->last_active == NULL) == (composing->last_active == NULL));
  xml_again = confab_is_composing_to_xml (again, &error);
  g_assert_no_error (error);
  third = confab_is_composing_parse (xml_again, strlen (xml_again), &error);
  g_assert_no_error (error);
  xml_third = confab_is_composing_to_xml (third, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (xml_again, ==, xml_third);
  confab_is_composing_get_timeout (composing);
}

/* CPIM bodies and is-composing documents are hostile input: parse, print,
 * re-parse and print again to the same bytes. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr (ConfabCpimMessage) m = confab_cpim_message_parse (bytes, NULL);
  g_autoptr (ConfabCpimMessage) again = NULL;
  g_autoptr (GBytes) printed = NULL;
  g_autoptr (GBytes) printed_again = NULL;
  g_autoptr (GError) error = NULL;

  check_is_composing ((const char *) data, size);
  if (!m)
    return 0;

  printed = confab_cpim_message_to_bytes (m, &error);
  g_assert_no_error (error);
  again = confab_cpim_message_parse (printed, &error);
  g_assert_no_error (error);
  printed_again = confab_cpim_message_to_bytes (again, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (printed, printed_again));
  g_assert_true (g_bytes_equal (m->body, again->body));

  for (guint i = 0; i < m->to->len; i++) {
    g_autofree char *text = confab_cpim_address_to_string (g_ptr_array_index (m->to, i));
    g_autoptr (ConfabCpimAddress) address = confab_cpim_address_parse (text, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (address->uri, ==, ((ConfabCpimAddress *) g_ptr_array_index (m->to, i))->uri);
  }
  if (m->content_type && g_str_has_prefix (m->content_type, "application/im-iscomposing+xml"))
    check_is_composing (g_bytes_get_data (m->body, NULL), g_bytes_get_size (m->body));
  return 0;
}
