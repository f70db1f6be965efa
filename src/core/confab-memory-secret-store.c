/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSecretStore"

#include "config.h"

#include "confab-secret-store.h"

/* Keeps passwords for the life of the process only: tests, and a CLI
 * started with an inline --password. */

struct _ConfabMemorySecretStore
{
  GObject     parent_instance;

  GMutex      lock;
  GHashTable *secrets;   /* account id -> password */
};

static void confab_memory_secret_store_iface_init (ConfabSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabMemorySecretStore, confab_memory_secret_store,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CONFAB_TYPE_SECRET_STORE,
                                                      confab_memory_secret_store_iface_init))

static void
free_secret (gpointer data)
{
  char *secret = data;

  memset (secret, 0, strlen (secret));
  g_free (secret);
}

static char *
confab_memory_secret_store_lookup (ConfabSecretStore  *store,
                                   const char         *account_id,
                                   GCancellable       *cancellable,
                                   GError            **error)
{
  ConfabMemorySecretStore *self = CONFAB_MEMORY_SECRET_STORE (store);
  char *secret;

  g_mutex_lock (&self->lock);
  secret = g_strdup (g_hash_table_lookup (self->secrets, account_id));
  g_mutex_unlock (&self->lock);
  return secret;
}

static gboolean
confab_memory_secret_store_store (ConfabSecretStore  *store,
                                  const char         *account_id,
                                  const char         *label,
                                  const char         *password,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  ConfabMemorySecretStore *self = CONFAB_MEMORY_SECRET_STORE (store);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->secrets, g_strdup (account_id), g_strdup (password));
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
confab_memory_secret_store_clear (ConfabSecretStore  *store,
                                  const char         *account_id,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  ConfabMemorySecretStore *self = CONFAB_MEMORY_SECRET_STORE (store);

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->secrets, account_id);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
confab_memory_secret_store_iface_init (ConfabSecretStoreInterface *iface)
{
  iface->lookup = confab_memory_secret_store_lookup;
  iface->store = confab_memory_secret_store_store;
  iface->clear = confab_memory_secret_store_clear;
}

static void
confab_memory_secret_store_finalize (GObject *object)
{
  ConfabMemorySecretStore *self = CONFAB_MEMORY_SECRET_STORE (object);

  g_hash_table_unref (self->secrets);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (confab_memory_secret_store_parent_class)->finalize (object);
}

static void
confab_memory_secret_store_class_init (ConfabMemorySecretStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = confab_memory_secret_store_finalize;
}

static void
confab_memory_secret_store_init (ConfabMemorySecretStore *self)
{
  g_mutex_init (&self->lock);
  self->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_secret);
}

ConfabSecretStore *
confab_memory_secret_store_new (void)
{
  return g_object_new (CONFAB_TYPE_MEMORY_SECRET_STORE, NULL);
}
