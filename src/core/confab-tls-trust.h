/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

const char *confab_tls_trust_find_system_bundle (void);
char       *confab_tls_trust_make_dir           (const char          *extra_ca_file,
                                                 GError             **error);
void        confab_tls_trust_remove_dir         (const char          *dir);
char       *confab_tls_trust_dir_get_bundle     (const char          *dir);
char       *confab_tls_trust_describe_errors    (GTlsCertificateFlags errors);
void        confab_tls_trust_probe_async        (const char          *host,
                                                 guint                port,
                                                 const char          *ca_bundle,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char       *confab_tls_trust_probe_finish       (GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
