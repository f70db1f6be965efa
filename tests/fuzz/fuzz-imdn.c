/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "im/confab-imdn.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* IMDN documents (RFC 5438) and Disposition-Notification values are
 * hostile input: parse, print, re-parse and print again to the same
 * bytes. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (ConfabImdn) imdn = confab_imdn_parse ((const char *) data, size, NULL);
  g_autoptr (ConfabImdn) again = NULL;
  g_autoptr (ConfabImdn) third = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *header = g_strndup ((const char *) data, MIN (size, 2048));
  g_autofree char *request_text = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *xml_again = NULL;
  g_autofree char *xml_third = NULL;
  ConfabImdnRequest request;

  /* the header: what is read is printed, and read back the same */
  request = confab_imdn_request_parse (header);
  request_text = confab_imdn_request_to_string (request);
  g_assert_cmpint (confab_imdn_request_parse (request_text), ==, request);

  if (!imdn)
    return 0;
  g_assert_nonnull (imdn->message_id);
  g_assert_true (confab_imdn_status_is_valid (imdn->kind, imdn->status));

  xml = confab_imdn_to_xml (imdn, &error);
  g_assert_no_error (error);
  again = confab_imdn_parse (xml, strlen (xml), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->message_id, ==, imdn->message_id);
  g_assert_cmpint (again->kind, ==, imdn->kind);
  g_assert_cmpint (again->status, ==, imdn->status);
  g_assert_cmpstr (again->recipient_uri, ==, imdn->recipient_uri);
  g_assert_cmpstr (again->original_recipient_uri, ==, imdn->original_recipient_uri);
  g_assert_cmpstr (again->subject, ==, imdn->subject);
  xml_again = confab_imdn_to_xml (again, &error);
  g_assert_no_error (error);
  third = confab_imdn_parse (xml_again, strlen (xml_again), &error);
  g_assert_no_error (error);
  xml_third = confab_imdn_to_xml (third, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (xml_again, ==, xml_third);
  return 0;
}
