/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Where account passwords live: the Secret Service in the app and CLI, an
 * in-memory store in tests. Never the accounts file. */
#define CONFAB_TYPE_SECRET_STORE (confab_secret_store_get_type ())
G_DECLARE_INTERFACE (ConfabSecretStore, confab_secret_store, CONFAB, SECRET_STORE, GObject)

struct _ConfabSecretStoreInterface
{
  GTypeInterface parent_iface;

  /* Blocking; called from worker threads by the async wrappers. */
  char     *(*lookup) (ConfabSecretStore *self,
                       const char        *account_id,
                       GCancellable      *cancellable,
                       GError           **error);
  gboolean  (*store)  (ConfabSecretStore *self,
                       const char        *account_id,
                       const char        *label,
                       const char        *password,
                       GCancellable      *cancellable,
                       GError           **error);
  gboolean  (*clear)  (ConfabSecretStore *self,
                       const char        *account_id,
                       GCancellable      *cancellable,
                       GError           **error);
};

char     *confab_secret_store_lookup        (ConfabSecretStore   *self,
                                             const char          *account_id,
                                             GCancellable        *cancellable,
                                             GError             **error);
gboolean  confab_secret_store_store         (ConfabSecretStore   *self,
                                             const char          *account_id,
                                             const char          *label,
                                             const char          *password,
                                             GCancellable        *cancellable,
                                             GError             **error);
gboolean  confab_secret_store_clear         (ConfabSecretStore   *self,
                                             const char          *account_id,
                                             GCancellable        *cancellable,
                                             GError             **error);
void      confab_secret_store_lookup_async  (ConfabSecretStore   *self,
                                             const char          *account_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
char     *confab_secret_store_lookup_finish (ConfabSecretStore   *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void      confab_secret_store_store_async   (ConfabSecretStore   *self,
                                             const char          *account_id,
                                             const char          *label,
                                             const char          *password,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean  confab_secret_store_store_finish  (ConfabSecretStore   *self,
                                             GAsyncResult        *result,
                                             GError             **error);

#define CONFAB_TYPE_LIBSECRET_STORE (confab_libsecret_store_get_type ())
G_DECLARE_FINAL_TYPE (ConfabLibsecretStore, confab_libsecret_store, CONFAB, LIBSECRET_STORE, GObject)
ConfabSecretStore *confab_libsecret_store_new (void);

#define CONFAB_TYPE_MEMORY_SECRET_STORE (confab_memory_secret_store_get_type ())
G_DECLARE_FINAL_TYPE (ConfabMemorySecretStore, confab_memory_secret_store, CONFAB,
                      MEMORY_SECRET_STORE, GObject)
ConfabSecretStore *confab_memory_secret_store_new (void);

G_END_DECLS
