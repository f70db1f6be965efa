/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "transfer/confab-file-selector.h"
#include "sdp/confab-sdp.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
assert_selector_equal (const ConfabFileSelector *a,
                       const ConfabFileSelector *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->type, ==, b->type);
  g_assert_cmpint (a->has_size, ==, b->has_size);
  g_assert_cmpuint (a->size, ==, b->size);
  g_assert_cmpstr (a->hash, ==, b->hash);
}

/* Whatever a peer offers as a name, the local name keeps its promises. */
static void
check_safe_name (const char *offered)
{
  g_autofree char *safe = confab_file_safe_name (offered);
  g_autofree char *numbered = confab_file_numbered_name (safe, 10000);

  g_assert_nonnull (safe);
  g_assert_cmpuint (strlen (safe), >, 0);
  g_assert_cmpuint (strlen (safe), <=, CONFAB_FILE_SAFE_NAME_MAX);
  g_assert_true (g_utf8_validate (safe, -1, NULL));
  g_assert_null (strchr (safe, '/'));
  g_assert_null (strchr (safe, '\\'));
  g_assert_cmpint (safe[0], !=, '.');
  g_assert_null (strchr (numbered, '/'));
  g_assert_cmpint (numbered[0], !=, '.');
}

/* The input as the value of every RFC 5547 attribute of one m= line: an
 * offer we read we write, and read back the same. */
static void
check_offer (const char *text)
{
  g_autoptr (ConfabSdpMedia) media = confab_sdp_media_new ("message", 2855, "TCP/MSRP");
  g_autoptr (ConfabSdpMedia) written = confab_sdp_media_new ("message", 2855, "TCP/MSRP");
  g_auto (ConfabFileOffer) offer = { 0 };
  g_auto (ConfabFileOffer) again = { 0 };
  g_autoptr (GError) error = NULL;

  confab_sdp_media_add_attribute (media, "file-selector", text);
  confab_sdp_media_add_attribute (media, "file-transfer-id", text);
  confab_sdp_media_add_attribute (media, "file-date", text);
  confab_sdp_media_add_attribute (media, "file-range", text);
  if (!confab_file_offer_read (&offer, media, NULL))
    return;
  confab_file_offer_write (&offer, written);
  g_assert_true (confab_file_offer_read (&again, written, &error));
  g_assert_no_error (error);
  assert_selector_equal (&offer.selector, &again.selector);
  g_assert_cmpstr (offer.transfer_id, ==, again.transfer_id);
  g_assert_cmpint (offer.modification, ==, again.modification);
  g_assert_cmpint (offer.has_range, ==, again.has_range);
  g_assert_cmpuint (offer.range_start, ==, again.range_start);
  g_assert_cmpuint (offer.range_stop, ==, again.range_stop);
}

/* a=file-selector values are hostile input: parse, print, re-parse to the
 * same selector and print to the same text. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_auto (ConfabFileSelector) selector = { 0 };
  g_auto (ConfabFileSelector) again = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *printed = NULL;
  g_autofree char *printed_again = NULL;

  check_safe_name (text);
  if (size <= CONFAB_FILE_SELECTOR_MAX_LENGTH && strlen (text) == size)
    check_offer (text);
  if (!confab_file_selector_parse (&selector, (const char *) data, size, NULL))
    return 0;

  printed = confab_file_selector_to_string (&selector);
  g_assert_cmpuint (strlen (printed), <=, CONFAB_FILE_SELECTOR_MAX_LENGTH);
  g_assert_true (confab_file_selector_parse (&again, printed, strlen (printed), &error));
  g_assert_no_error (error);
  assert_selector_equal (&selector, &again);
  printed_again = confab_file_selector_to_string (&again);
  g_assert_cmpstr (printed, ==, printed_again);
  if (selector.name || selector.hash)
    g_assert_true (confab_file_selector_matches (&selector, &again));
  if (selector.name)
    check_safe_name (selector.name);
  return 0;
}
