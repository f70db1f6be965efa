/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSecretStore"

#include "config.h"

#include "confab-secret-store.h"

G_DEFINE_INTERFACE (ConfabSecretStore, confab_secret_store, G_TYPE_OBJECT)

static void
confab_secret_store_default_init (ConfabSecretStoreInterface *iface)
{
}

char *
confab_secret_store_lookup (ConfabSecretStore  *self,
                            const char         *account_id,
                            GCancellable       *cancellable,
                            GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_SECRET_STORE (self), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);
  return CONFAB_SECRET_STORE_GET_IFACE (self)->lookup (self, account_id, cancellable, error);
}

gboolean
confab_secret_store_store (ConfabSecretStore  *self,
                           const char         *account_id,
                           const char         *label,
                           const char         *password,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL && password != NULL, FALSE);
  return CONFAB_SECRET_STORE_GET_IFACE (self)->store (self, account_id, label, password,
                                                      cancellable, error);
}

gboolean
confab_secret_store_clear (ConfabSecretStore  *self,
                           const char         *account_id,
                           GCancellable       *cancellable,
                           GError            **error)
{
  g_return_val_if_fail (CONFAB_IS_SECRET_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL, FALSE);
  return CONFAB_SECRET_STORE_GET_IFACE (self)->clear (self, account_id, cancellable, error);
}

typedef struct
{
  char *account_id;
  char *label;
  char *password;
} SecretOp;

static void
secret_op_free (gpointer data)
{
  SecretOp *op = data;

  g_free (op->account_id);
  g_free (op->label);
  if (op->password)
    memset (op->password, 0, strlen (op->password));
  g_free (op->password);
  g_free (op);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SecretOp *op = task_data;
  GError *error = NULL;
  char *password;

  password = confab_secret_store_lookup (source_object, op->account_id, cancellable, &error);
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, g_free);
}

void
confab_secret_store_lookup_async (ConfabSecretStore   *self,
                                  const char          *account_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SecretOp *op = g_new0 (SecretOp, 1);

  op->account_id = g_strdup (account_id);
  g_task_set_task_data (task, op, secret_op_free);
  g_task_set_source_tag (task, confab_secret_store_lookup_async);
  g_task_run_in_thread (task, lookup_thread);
}

/**
 * confab_secret_store_lookup_finish:
 *
 * Returns: (nullable): the password, %NULL when none is stored (no error)
 */
char *
confab_secret_store_lookup_finish (ConfabSecretStore  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  SecretOp *op = task_data;
  GError *error = NULL;

  if (confab_secret_store_store (source_object, op->account_id, op->label, op->password,
                                 cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
confab_secret_store_store_async (ConfabSecretStore   *self,
                                 const char          *account_id,
                                 const char          *label,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SecretOp *op = g_new0 (SecretOp, 1);

  op->account_id = g_strdup (account_id);
  op->label = g_strdup (label);
  op->password = g_strdup (password);
  g_task_set_task_data (task, op, secret_op_free);
  g_task_set_source_tag (task, confab_secret_store_store_async);
  g_task_run_in_thread (task, store_thread);
}

gboolean
confab_secret_store_store_finish (ConfabSecretStore  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
