/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSecretStore"

#include "config.h"

#include "confab-secret-store.h"

#include <libsecret/secret.h>

/* Passwords in the Secret Service (GNOME Keyring, KWallet, the Flatpak
 * portal), keyed by the account's stable id. */

struct _ConfabLibsecretStore
{
  GObject parent_instance;
};

static void confab_libsecret_store_iface_init (ConfabSecretStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabLibsecretStore, confab_libsecret_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (CONFAB_TYPE_SECRET_STORE,
                                                      confab_libsecret_store_iface_init))

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.confab.Confab.Account", SECRET_SCHEMA_NONE,
    {
      { "account-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "NULL", 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static char *
confab_libsecret_store_lookup (ConfabSecretStore  *store,
                               const char         *account_id,
                               GCancellable       *cancellable,
                               GError            **error)
{
  char *secret = secret_password_lookup_sync (get_schema (), cancellable, error,
                                              "account-id", account_id, NULL);
  char *copy = g_strdup (secret);

  secret_password_free (secret);
  return copy;
}

static gboolean
confab_libsecret_store_store (ConfabSecretStore  *store,
                              const char         *account_id,
                              const char         *label,
                              const char         *password,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autofree char *item_label = g_strdup_printf ("Confab: %s", label ? label : account_id);

  return secret_password_store_sync (get_schema (), SECRET_COLLECTION_DEFAULT, item_label,
                                     password, cancellable, error,
                                     "account-id", account_id, NULL);
}

static gboolean
confab_libsecret_store_clear (ConfabSecretStore  *store,
                              const char         *account_id,
                              GCancellable       *cancellable,
                              GError            **error)
{
  g_autoptr (GError) local_error = NULL;

  /* FALSE without an error only means there was nothing to clear. */
  secret_password_clear_sync (get_schema (), cancellable, &local_error,
                              "account-id", account_id, NULL);
  if (local_error) {
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
  return TRUE;
}

static void
confab_libsecret_store_iface_init (ConfabSecretStoreInterface *iface)
{
  iface->lookup = confab_libsecret_store_lookup;
  iface->store = confab_libsecret_store_store;
  iface->clear = confab_libsecret_store_clear;
}

static void
confab_libsecret_store_class_init (ConfabLibsecretStoreClass *klass)
{
}

static void
confab_libsecret_store_init (ConfabLibsecretStore *self)
{
}

ConfabSecretStore *
confab_libsecret_store_new (void)
{
  return g_object_new (CONFAB_TYPE_LIBSECRET_STORE, NULL);
}
