/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabTls"

#include "config.h"

#include "confab-tls-trust.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <string.h>

/* sofia-sip's TLS takes its trust anchors from <dir>/cafile.pem and, once a
 * directory is given, no longer loads the system store. So each TLS account
 * gets a private directory whose cafile.pem is the system bundle plus the
 * account's own CA. */

#define CAFILE_NAME "cafile.pem"
#define MAX_CA_FILE_SIZE (8 * 1024 * 1024)

static const char *const system_bundles[] = {
  "/etc/ssl/certs/ca-certificates.crt",   /* Debian, Ubuntu, Flatpak runtimes */
  "/etc/pki/tls/certs/ca-bundle.crt",     /* Fedora, RHEL */
  "/etc/ssl/ca-bundle.pem",               /* openSUSE */
  "/etc/ssl/cert.pem",                    /* Alpine, BSDs */
};

const char *
confab_tls_trust_find_system_bundle (void)
{
  const char *env = g_getenv ("SSL_CERT_FILE");

  if (env && g_file_test (env, G_FILE_TEST_IS_REGULAR))
    return env;
  for (guint i = 0; i < G_N_ELEMENTS (system_bundles); i++) {
    if (g_file_test (system_bundles[i], G_FILE_TEST_IS_REGULAR))
      return system_bundles[i];
  }
  return NULL;
}

static gboolean
append_file (GString    *out,
             const char *path,
             GError    **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  if (length > MAX_CA_FILE_SIZE) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The CA file “%s” is too large."), path);
    return FALSE;
  }
  if (!g_strstr_len (contents, length, "-----BEGIN CERTIFICATE-----")) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The CA file “%s” holds no PEM certificate."), path);
    return FALSE;
  }
  g_string_append_len (out, contents, length);
  if (length && contents[length - 1] != '\n')
    g_string_append_c (out, '\n');
  return TRUE;
}

/**
 * confab_tls_trust_make_dir:
 * @extra_ca_file: (nullable): a PEM file to trust besides the system store
 *
 * Returns: (transfer full): a private directory holding cafile.pem
 */
char *
confab_tls_trust_make_dir (const char  *extra_ca_file,
                           GError     **error)
{
  g_autoptr (GString) bundle = g_string_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree char *cafile = NULL;
  const char *system = confab_tls_trust_find_system_bundle ();

  if (system && !append_file (bundle, system, error))
    return NULL;
  if (extra_ca_file && !append_file (bundle, extra_ca_file, error))
    return NULL;

  dir = g_dir_make_tmp ("confab-tls-XXXXXX", error);
  if (!dir)
    return NULL;
  cafile = g_build_filename (dir, CAFILE_NAME, NULL);
  if (!g_file_set_contents_full (cafile, bundle->str, bundle->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error)) {
    g_rmdir (dir);
    return NULL;
  }
  return g_steal_pointer (&dir);
}

void
confab_tls_trust_remove_dir (const char *dir)
{
  g_autofree char *cafile = NULL;

  g_return_if_fail (dir != NULL);

  cafile = g_build_filename (dir, CAFILE_NAME, NULL);
  g_unlink (cafile);
  g_rmdir (dir);
}

char *
confab_tls_trust_dir_get_bundle (const char *dir)
{
  return g_build_filename (dir, CAFILE_NAME, NULL);
}

/**
 * confab_tls_trust_describe_errors:
 *
 * Returns: "certificate not trusted: …" in words a user can act on
 */
char *
confab_tls_trust_describe_errors (GTlsCertificateFlags errors)
{
  const char *what;

  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    what = _("issued by an unknown authority");
  else if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    what = _("issued for another server name");
  else if (errors & G_TLS_CERTIFICATE_EXPIRED)
    what = _("expired");
  else if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    what = _("not valid yet");
  else if (errors & G_TLS_CERTIFICATE_REVOKED)
    what = _("revoked");
  else if (errors & G_TLS_CERTIFICATE_INSECURE)
    what = _("uses an insecure algorithm");
  else
    what = _("could not be verified");
  return g_strdup_printf (_("certificate not trusted: %s"), what);
}

typedef struct
{
  char                *host;
  GTlsCertificateFlags errors;
  gboolean             rejected;
} ProbeData;

static void
probe_data_free (gpointer data)
{
  ProbeData *probe = data;

  g_free (probe->host);
  g_free (probe);
}

static gboolean
on_accept_certificate (GTlsConnection       *conn,
                       GTlsCertificate      *peer_cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  ProbeData *probe = user_data;

  probe->errors = errors;
  probe->rejected = TRUE;
  return FALSE;
}

static gboolean
name_matches (const char *pattern,
              gsize       length,
              const char *host)
{
  g_autofree char *name = g_strndup (pattern, length);

  if (g_ascii_strcasecmp (name, host) == 0)
    return TRUE;
  /* *.example.org matches one label */
  if (g_str_has_prefix (name, "*.")) {
    const char *dot = strchr (host, '.');

    return dot && dot != host && g_ascii_strcasecmp (name + 1, dot) == 0;
  }
  return FALSE;
}

/* sofia-sip 1.12.11 checks the server name its own way: against the DNS
 * names of the certificate, and against the CN only when there are none; an
 * IP address entry never matches. GIO is more lenient, so the probe applies
 * sofia's rule to explain a refusal GIO would not see. */
static gboolean
sofia_accepts_name (GTlsCertificate *cert,
                    const char      *host)
{
  g_autoptr (GPtrArray) names = g_tls_certificate_get_dns_names (cert);
  g_autofree char *subject = NULL;
  const char *cn;

  if (names && names->len > 0) {
    for (guint i = 0; i < names->len; i++) {
      gsize length = 0;
      const char *data = g_bytes_get_data (g_ptr_array_index (names, i), &length);

      if (data && name_matches (data, length, host))
        return TRUE;
    }
    return FALSE;
  }
  subject = g_tls_certificate_get_subject_name (cert);
  cn = subject ? strstr (subject, "CN=") : NULL;
  if (!cn)
    return FALSE;
  cn += 3;
  return name_matches (cn, strcspn (cn, ",+"), host);
}

static void
on_handshake_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  ProbeData *probe = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error)) {
    GTlsCertificate *cert = g_tls_connection_get_peer_certificate (G_TLS_CONNECTION (source));

    if (cert && !sofia_accepts_name (cert, probe->host))
      g_task_return_pointer (task, confab_tls_trust_describe_errors (G_TLS_CERTIFICATE_BAD_IDENTITY),
                             g_free);
    else /* the certificate is fine */
      g_task_return_pointer (task, NULL, NULL);
  } else if (probe->rejected) {
    g_task_return_pointer (task, confab_tls_trust_describe_errors (probe->errors), g_free);
  } else {
    g_task_return_error (task, g_steal_pointer (&error));
  }
  g_io_stream_close_async (G_IO_STREAM (source), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (GTask) task = user_data;
  ProbeData *probe = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GSocketConnection) conn = NULL;
  g_autoptr (GIOStream) tls = NULL;
  g_autoptr (GSocketConnectable) identity = NULL;
  GTlsDatabase *database = g_object_get_data (G_OBJECT (task), "database");
  GCancellable *cancellable;

  conn = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (!conn) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  identity = g_network_address_new (probe->host, 0);
  tls = g_tls_client_connection_new (G_IO_STREAM (conn), identity, &error);
  if (!tls) {
    g_task_return_error (task, g_steal_pointer (&error));
    return;
  }
  if (database)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  g_signal_connect (tls, "accept-certificate", G_CALLBACK (on_accept_certificate), probe);
  cancellable = g_task_get_cancellable (task);
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, cancellable,
                                    on_handshake_done, g_steal_pointer (&task));
}

/**
 * confab_tls_trust_probe_async:
 *
 * @ca_bundle: (nullable): the PEM file to trust, %NULL for the system store
 *
 * Opens a TLS connection to @host:@port with the same trust as the account
 * and finds out what, if anything, is wrong with the server's certificate.
 * The result is a sentence saying why the certificate is not trusted, %NULL
 * when it is fine, or an error when the server could not be asked.
 */
void
confab_tls_trust_probe_async (const char          *host,
                              guint                port,
                              const char          *ca_bundle,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  ProbeData *probe = g_new0 (ProbeData, 1);
  g_autoptr (GError) error = NULL;

  probe->host = g_strdup (host);
  g_task_set_task_data (task, probe, probe_data_free);
  g_task_set_source_tag (task, confab_tls_trust_probe_async);

  if (ca_bundle) {
    GTlsDatabase *database = g_tls_file_database_new (ca_bundle, &error);

    if (!database) {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
    g_object_set_data_full (G_OBJECT (task), "database", database, g_object_unref);
  }

  g_socket_client_set_timeout (client, 10);
  g_socket_client_connect_to_host_async (client, host, port, cancellable, on_connected,
                                         g_steal_pointer (&task));
}

char *
confab_tls_trust_probe_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
