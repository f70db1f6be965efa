/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabApp"

#include "config.h"

#include "confab-account-restart.h"

/* Settings such as the address, password or port only take effect when the
 * account's user agent starts, so an edited account goes offline and comes
 * back. Its old agent must be gone first (it still holds the port and
 * reports "disabled" when it is), hence the wait for that state. */

#define RESTART_BOUND_MS 6000

/* Lives as data on the account, so it holds no reference to it. */
typedef struct
{
  ConfabAccountManager *manager;        /* weak */
  ConfabAccount        *account;
  gulong                state_handler;
  guint                 timeout_id;
} Restart;

static void
restart_free (Restart *restart)
{
  if (restart->state_handler &&
      g_signal_handler_is_connected (restart->account, restart->state_handler))
    g_signal_handler_disconnect (restart->account, restart->state_handler);
  g_clear_handle_id (&restart->timeout_id, g_source_remove);
  g_clear_weak_pointer (&restart->manager);
  g_free (restart);
}

static void
go_online (ConfabAccountManager *manager,
           ConfabAccount        *account)
{
  ConfabEngine *engine = confab_account_manager_get_engine (manager);
  g_autoptr (GError) error = NULL;

  if (!engine || !confab_account_manager_get_online (manager) ||
      !confab_account_get_enabled (account) || confab_account_is_online (account))
    return;
  /* A failure shows as the account's state; the log gets the detail. */
  if (!confab_account_go_online (account, engine, &error))
    g_warning ("%s: %s", confab_account_get_address (account), error->message);
}

static void
finish (Restart *restart)
{
  if (restart->manager)
    go_online (restart->manager, restart->account);
  g_object_set_data (G_OBJECT (restart->account), "confab-restart", NULL);
}

static void
on_state_changed (ConfabAccount *account,
                  GParamSpec    *pspec,
                  Restart       *restart)
{
  if (confab_account_get_state (account) == CONFAB_ACCOUNT_STATE_DISABLED)
    finish (restart);
}

static gboolean
on_timeout (gpointer user_data)
{
  Restart *restart = user_data;

  restart->timeout_id = 0;
  g_debug ("%s: the old user agent did not stop in time; starting anyway",
           confab_account_get_address (restart->account));
  finish (restart);
  return G_SOURCE_REMOVE;
}

/**
 * confab_account_restart:
 * @manager: the manager that owns @account
 * @account: a provider account or the local account
 *
 * Takes @account offline and brings it back online with its current
 * settings, if the manager is online and the account enabled.
 */
void
confab_account_restart (ConfabAccountManager *manager,
                        ConfabAccount        *account)
{
  Restart *restart;
  ConfabAccountState state;

  g_return_if_fail (CONFAB_IS_ACCOUNT_MANAGER (manager));
  g_return_if_fail (CONFAB_IS_ACCOUNT (account));

  /* A restart already waiting picks up the new settings by itself. */
  if (g_object_get_data (G_OBJECT (account), "confab-restart"))
    return;

  state = confab_account_get_state (account);
  if (confab_account_is_online (account)) {
    confab_account_go_offline (account);
  } else if (state == CONFAB_ACCOUNT_STATE_DISABLED || state == CONFAB_ACCOUNT_STATE_FAILED) {
    go_online (manager, account);
    return;
  }
  if (confab_account_get_state (account) == CONFAB_ACCOUNT_STATE_DISABLED) {
    go_online (manager, account);
    return;
  }

  restart = g_new0 (Restart, 1);
  g_set_weak_pointer (&restart->manager, manager);
  restart->account = account;
  restart->state_handler = g_signal_connect (account, "notify::state",
                                             G_CALLBACK (on_state_changed), restart);
  restart->timeout_id = g_timeout_add (RESTART_BOUND_MS, on_timeout, restart);
  g_object_set_data_full (G_OBJECT (account), "confab-restart", restart,
                          (GDestroyNotify) restart_free);
}
