/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "confab.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GLogWriterOutput
drop_warnings (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  /* Skipped entries are warned about; that is expected here. Criticals
   * (a broken precondition) still print and abort. */
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return g_log_writer_default (level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* accounts.json may be edited by hand or written by another version. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static ConfabAccountManager *manager;

  if (!manager) {
    g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
    g_log_set_writer_func (drop_warnings, NULL, NULL);
    manager = confab_account_manager_new (NULL, NULL, "/nonexistent/accounts.json");
  }

  if (confab_account_manager_load_from_data (manager, (const char *) data, size, NULL)) {
    guint n = g_list_model_get_n_items (G_LIST_MODEL (manager));

    for (guint i = 0; i < n; i++) {
      g_autoptr (ConfabAccount) account = g_list_model_get_item (G_LIST_MODEL (manager), i);
      g_autoptr (JsonNode) node = confab_account_to_json (account);
      g_autoptr (ConfabAccount) copy = confab_account_new_from_json (node, NULL);

      /* every account we accepted survives a round trip */
      g_assert_nonnull (copy);
      g_assert_cmpstr (confab_account_get_address (copy), ==, confab_account_get_address (account));
    }
  }
  return 0;
}
