/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabMsrp"

#include "config.h"

#include "confab-msrp-tls.h"
#include "confab-msrp-private.h"

#include <glib/gi18n-lib.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <string.h>

/* Peers check our certificate against the a=fingerprint we put into SDP,
 * not against a CA (RFC 4572), so a self-signed one made on first use is
 * all MSRP over TLS needs. */

#define IDENTITY_VALIDITY_DAYS 365
#define IDENTITY_COMMON_NAME   "Confab"

static gboolean
gnutls_failed (int         status,
               const char *what,
               GError    **error)
{
  if (status >= 0)
    return FALSE;
  g_set_error (error, G_TLS_ERROR, G_TLS_ERROR_MISC,
               _("Could not make the TLS certificate for chat and file transfer (%s: %s)."),
               what, gnutls_strerror (status));
  return TRUE;
}

static char *
export_pem (int (*export) (void *, gnutls_x509_crt_fmt_t, gnutls_datum_t *),
            void *object)
{
  gnutls_datum_t out = { NULL, 0 };
  char *pem;

  if (export (object, GNUTLS_X509_FMT_PEM, &out) < 0)
    return NULL;
  pem = g_strndup ((const char *) out.data, out.size);
  gnutls_free (out.data);
  return pem;
}

static int
export_key (void                 *key,
            gnutls_x509_crt_fmt_t format,
            gnutls_datum_t       *out)
{
  return gnutls_x509_privkey_export2 (key, format, out);
}

static int
export_crt (void                 *crt,
            gnutls_x509_crt_fmt_t format,
            gnutls_datum_t       *out)
{
  return gnutls_x509_crt_export2 (crt, format, out);
}

/**
 * _confab_msrp_tls_make_identity:
 *
 * An ECDSA P-256 key and a self-signed certificate for it, CN "Confab",
 * valid for a year (from an hour ago, for clocks a little behind).
 *
 * Returns: (transfer full) (nullable): the certificate with its key
 */
GTlsCertificate *
_confab_msrp_tls_make_identity (GError **error)
{
  gnutls_x509_privkey_t key = NULL;
  gnutls_x509_crt_t crt = NULL;
  g_autofree char *key_pem = NULL;
  g_autofree char *crt_pem = NULL;
  g_autofree char *pem = NULL;
  guint8 serial[16];
  time_t now = time (NULL);
  GTlsCertificate *certificate = NULL;

  _confab_msrp_random_bytes (serial, sizeof serial);
  serial[0] &= 0x7f; /* a positive serial number */

#define CHECK(call, what)                                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (gnutls_failed ((call), (what), error))                                                     \
      goto out;                                                                                    \
  }                                                                                                \
  G_STMT_END

  CHECK (gnutls_x509_privkey_init (&key), "privkey_init");
  CHECK (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                       GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
         "privkey_generate");
  CHECK (gnutls_x509_crt_init (&crt), "crt_init");
  CHECK (gnutls_x509_crt_set_version (crt, 3), "set_version");
  CHECK (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "set_serial");
  CHECK (gnutls_x509_crt_set_activation_time (crt, now - 3600), "set_activation_time");
  CHECK (gnutls_x509_crt_set_expiration_time (crt, now + IDENTITY_VALIDITY_DAYS * 86400),
         "set_expiration_time");
  CHECK (gnutls_x509_crt_set_dn_by_oid (crt, GNUTLS_OID_X520_COMMON_NAME, 0, IDENTITY_COMMON_NAME,
                                        strlen (IDENTITY_COMMON_NAME)),
         "set_dn_by_oid");
  CHECK (gnutls_x509_crt_set_key (crt, key), "set_key");
  CHECK (gnutls_x509_crt_set_basic_constraints (crt, 0, -1), "set_basic_constraints");
  CHECK (gnutls_x509_crt_set_key_usage (crt, GNUTLS_KEY_DIGITAL_SIGNATURE), "set_key_usage");
  CHECK (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "sign2");
#undef CHECK

  key_pem = export_pem (export_key, key);
  crt_pem = export_pem (export_crt, crt);
  if (!key_pem || !crt_pem) {
    gnutls_failed (GNUTLS_E_INTERNAL_ERROR, "export", error);
    goto out;
  }
  pem = g_strconcat (crt_pem, key_pem, NULL);
  certificate = g_tls_certificate_new_from_pem (pem, -1, error);
  memset (key_pem, 0, strlen (key_pem));
  memset (pem, 0, strlen (pem));

out:
  if (crt)
    gnutls_x509_crt_deinit (crt);
  if (key)
    gnutls_x509_privkey_deinit (key);
  return certificate;
}

static gboolean
checksum_type_for (const char    *algorithm,
                   GChecksumType *type)
{
  static const struct
  {
    const char   *name;
    GChecksumType type;
  } types[] = {
    { "sha-1", G_CHECKSUM_SHA1 },
    { "sha-256", G_CHECKSUM_SHA256 },
    { "sha-384", G_CHECKSUM_SHA384 },
    { "sha-512", G_CHECKSUM_SHA512 },
    { "sha1", G_CHECKSUM_SHA1 }, /* seen in old SDP */
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++) {
    if (g_ascii_strcasecmp (algorithm, types[i].name) == 0) {
      *type = types[i].type;
      return TRUE;
    }
  }
  return FALSE;
}

char *
_confab_msrp_tls_fingerprint (GTlsCertificate *certificate,
                              const char      *algorithm)
{
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (GChecksum) checksum = NULL;
  guint8 digest[64];
  gsize length = sizeof digest;
  GChecksumType type;
  GString *out;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  if (!checksum_type_for (algorithm, &type))
    return NULL;
  g_object_get (certificate, "certificate", &der, NULL);
  if (!der)
    return NULL;
  checksum = g_checksum_new (type);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &length);

  out = g_string_new (algorithm);
  g_string_ascii_down (out);
  for (gsize i = 0; i < length; i++)
    g_string_append_printf (out, "%c%02X", i == 0 ? ' ' : ':', digest[i]);
  return g_string_free (out, FALSE);
}

gboolean
_confab_msrp_tls_fingerprint_matches (GTlsCertificate *certificate,
                                      const char      *fingerprint)
{
  g_autofree char *algorithm = NULL;
  g_autofree char *value = NULL;
  g_autofree char *ours = NULL;
  const char *space;

  g_return_val_if_fail (fingerprint != NULL, FALSE);

  if (!certificate)
    return FALSE;
  fingerprint += strspn (fingerprint, " \t");
  space = strpbrk (fingerprint, " \t");
  if (!space)
    return FALSE;
  algorithm = g_strndup (fingerprint, space - fingerprint);
  value = g_strstrip (g_strdup (space));
  ours = _confab_msrp_tls_fingerprint (certificate, algorithm);
  /* hex digits in either case (RFC 8122 §5) */
  return ours && g_ascii_strcasecmp (ours + strlen (algorithm) + 1, value) == 0;
}
