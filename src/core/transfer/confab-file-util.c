/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE /* renameat2(), RENAME_NOREPLACE */
#define G_LOG_DOMAIN "ConfabFileTransfer"

#include "config.h"

#include "confab-file-selector.h"

#include <glib/gi18n-lib.h>

#include <gnutls/crypto.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The file side of a transfer: SHA-1 as RFC 5547 writes it, local names
 * for names a peer chose, and final names that never replace a file. */

#define SHA1_LENGTH      20
#define READ_SIZE        (256 * 1024)
#define PROGRESS_EVERY   (1024 * 1024)
#define MAX_NUMBER       10000 /* "name (N).ext" tried before giving up */
#define EXTENSION_MAX    16    /* bytes of an extension confab_file_safe_name() keeps */

char *
confab_file_sha1_to_text (const guint8 *digest)
{
  GString *text = g_string_sized_new (CONFAB_FILE_SHA1_TEXT_LENGTH);

  g_return_val_if_fail (digest != NULL, NULL);

  for (guint i = 0; i < SHA1_LENGTH; i++)
    g_string_append_printf (text, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (text, FALSE);
}

struct _ConfabSha1
{
  gnutls_hash_hd_t gnutls; /* or NULL, and then: */
  GChecksum       *checksum;
};

ConfabSha1 *
confab_sha1_new (void)
{
  ConfabSha1 *self = g_new0 (ConfabSha1, 1);

  if (gnutls_hash_init (&self->gnutls, GNUTLS_DIG_SHA1) < 0) {
    self->gnutls = NULL;
    self->checksum = g_checksum_new (G_CHECKSUM_SHA1);
  }
  return self;
}

void
confab_sha1_update (ConfabSha1 *self,
                    const void *data,
                    gsize       length)
{
  if (self->gnutls)
    gnutls_hash (self->gnutls, data, length);
  else
    g_checksum_update (self->checksum, data, (gssize) length);
}

char *
confab_sha1_end (ConfabSha1 *self)
{
  guint8 digest[SHA1_LENGTH];
  gsize length = sizeof digest;

  if (self->gnutls)
    gnutls_hash_output (self->gnutls, digest);
  else
    g_checksum_get_digest (self->checksum, digest, &length);
  return confab_file_sha1_to_text (digest);
}

void
confab_sha1_free (ConfabSha1 *self)
{
  if (!self)
    return;
  if (self->gnutls)
    gnutls_hash_deinit (self->gnutls, NULL);
  g_clear_pointer (&self->checksum, g_checksum_free);
  g_free (self);
}

char *
confab_file_sha1_stream (GInputStream  *stream,
                         void         (*progress) (guint64  done,
                                                   gpointer user_data),
                         gpointer       user_data,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr (ConfabSha1) sha1 = confab_sha1_new ();
  g_autofree guint8 *buffer = g_malloc (READ_SIZE);
  guint64 done = 0, reported = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  for (;;) {
    gssize n;

    if (g_cancellable_set_error_if_cancelled (cancellable, error))
      return NULL;
    n = g_input_stream_read (stream, buffer, READ_SIZE, cancellable, error);
    if (n < 0)
      return NULL;
    if (n == 0)
      break;
    confab_sha1_update (sha1, buffer, (gsize) n);
    done += n;
    if (progress && done - reported >= PROGRESS_EVERY) {
      progress (done, user_data);
      reported = done;
    }
  }
  if (progress)
    progress (done, user_data);
  return confab_sha1_end (sha1);
}

/* Where the extension of @name starts (its '.'), or its end: after the
 * last dot unless that is the first character, with ".tar" kept before
 * ".gz" and the like. */
static gsize
extension_start (const char *name)
{
  const char *dot = strrchr (name, '.');

  if (!dot || dot == name)
    return strlen (name);
  if (dot - name > 4 && g_ascii_strncasecmp (dot - 4, ".tar", 4) == 0)
    dot -= 4;
  return dot - name;
}

/* Control characters, the characters Windows reserves, and bidi
 * overrides and isolates (they make "evil\u202Etxt.exe" show as
 * "evilexe.txt"). */
static gboolean
is_unsafe_char (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) ||
         (c >= 0x2066 && c <= 0x2069) || (c < 0x80 && strchr ("/\\:*?\"<>|", (int) c));
}

/* The longest prefix of @text within @max bytes that ends on a character
 * boundary (@text is valid UTF-8). */
static gsize
utf8_prefix (const char *text,
             gsize       length,
             gsize       max)
{
  const char *end;

  if (length <= max)
    return length;
  end = text + max;
  while (end > text && ((guchar) *end & 0xc0) == 0x80)
    end--;
  return end - text;
}

static void
strip_dots_and_spaces (GString *name,
                       gboolean leading)
{
  gsize n = 0;

  if (leading) {
    while (n < name->len && (name->str[n] == '.' || name->str[n] == ' '))
      n++;
    g_string_erase (name, 0, n);
  }
  while (name->len > 0 && (name->str[name->len - 1] == '.' || name->str[name->len - 1] == ' '))
    g_string_truncate (name, name->len - 1);
}

char *
confab_file_safe_name (const char *offered)
{
  g_autoptr (GString) name = g_string_new (NULL);
  const char *base, *p, *end;
  gsize ext, ext_length, kept;

  g_return_val_if_fail (offered != NULL, NULL);

  base = offered;
  for (p = offered; *p; p++) {
    if (*p == '/' || *p == '\\')
      base = p + 1;
  }
  end = p;
  for (p = base; p < end;) {
    gunichar c = g_utf8_get_char_validated (p, end - p);

    if (c == (gunichar) -1 || c == (gunichar) -2) {
      g_string_append_c (name, '_');
      p++;
      continue;
    }
    if (is_unsafe_char (c))
      g_string_append_c (name, '_');
    else
      g_string_append_unichar (name, c);
    p = g_utf8_next_char (p);
  }
  strip_dots_and_spaces (name, TRUE);
  if (name->len == 0)
    g_string_assign (name, "file");
  if (name->len <= CONFAB_FILE_SAFE_NAME_MAX)
    return g_string_free (g_steal_pointer (&name), FALSE);

  /* cut the part before the extension, unless the extension is so long
   * that it is not one */
  ext = extension_start (name->str);
  ext_length = name->len - ext;
  if (ext_length > EXTENSION_MAX) {
    g_string_truncate (name, utf8_prefix (name->str, name->len, CONFAB_FILE_SAFE_NAME_MAX));
    strip_dots_and_spaces (name, FALSE);
  } else {
    g_autofree char *extension = g_strdup (name->str + ext);

    kept = utf8_prefix (name->str, ext, CONFAB_FILE_SAFE_NAME_MAX - ext_length);
    g_string_truncate (name, kept);
    strip_dots_and_spaces (name, FALSE);
    if (name->len == 0)
      g_string_assign (name, "file");
    g_string_append (name, extension);
  }
  return g_string_free (g_steal_pointer (&name), FALSE);
}

char *
confab_file_numbered_name (const char *name,
                           guint       n)
{
  gsize ext;

  g_return_val_if_fail (name != NULL, NULL);

  if (n == 0)
    return g_strdup (name);
  ext = extension_start (name);
  return g_strdup_printf ("%.*s (%u)%s", (int) ext, name, n, name + ext);
}

typedef enum
{
  MOVE_RENAME_NOREPLACE,
  MOVE_LINK,        /* renameat2() unsupported here */
  MOVE_PLACEHOLDER, /* no hard links either (FAT): claim the name, rename onto it */
} MoveMethod;

/* 0, or an errno; EEXIST when @destination is taken. */
static int
move_no_replace (const char *source,
                 const char *destination,
                 MoveMethod *method)
{
  int fd, saved_errno;

  if (*method == MOVE_RENAME_NOREPLACE) {
    if (renameat2 (AT_FDCWD, source, AT_FDCWD, destination, RENAME_NOREPLACE) == 0)
      return 0;
    if (errno != EINVAL && errno != ENOSYS)
      return errno;
    *method = MOVE_LINK;
  }
  if (*method == MOVE_LINK) {
    if (link (source, destination) == 0) {
      if (unlink (source) == 0)
        return 0;
      saved_errno = errno;
      unlink (destination);
      return saved_errno;
    }
    if (errno != EPERM && errno != EOPNOTSUPP)
      return errno;
    *method = MOVE_PLACEHOLDER;
  }
  fd = open (destination, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    return errno;
  close (fd);
  if (rename (source, destination) == 0)
    return 0;
  saved_errno = errno;
  unlink (destination);
  return saved_errno;
}

/**
 * confab_file_move_unique:
 * @name: a name from confab_file_safe_name()
 *
 * Returns: (transfer full) (nullable): where @source now is
 */
GFile *
confab_file_move_unique (GFile       *source,
                         GFile       *directory,
                         const char  *name,
                         GError     **error)
{
  g_autofree char *source_path = NULL;
  g_autofree char *directory_path = NULL;
  MoveMethod method = MOVE_RENAME_NOREPLACE;

  g_return_val_if_fail (G_IS_FILE (source) && G_IS_FILE (directory), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0' && !strchr (name, '/'), NULL);

  source_path = g_file_get_path (source);
  directory_path = g_file_get_path (directory);
  if (!source_path || !directory_path) {
    g_autofree char *shown = g_file_get_parse_name (source_path ? directory : source);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 _("“%s” is not a local file: save downloads to a local folder"), shown);
    return NULL;
  }
  for (guint n = 0; n <= MAX_NUMBER; n++) {
    g_autofree char *candidate = confab_file_numbered_name (name, n);
    g_autofree char *path = g_build_filename (directory_path, candidate, NULL);
    int saved_errno = move_no_replace (source_path, path, &method);

    if (saved_errno == 0)
      return g_file_new_for_path (path);
    if (saved_errno != EEXIST) {
      g_autofree char *shown = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not move the file to “%s”: %s"), shown, g_strerror (saved_errno));
      return NULL;
    }
  }
  {
    g_autofree char *shown = g_file_get_parse_name (directory);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("Every name like “%s” is taken in “%s”: remove or rename some of those files"),
                 name, shown);
  }
  return NULL;
}

/**
 * confab_file_create_unique:
 * @name: a name from confab_file_safe_name()
 * @suffix: (nullable): appended to the numbered name
 * @created: (out) (optional): the file created
 *
 * Returns: (transfer full) (nullable): the new file, open for writing
 */
GFileOutputStream *
confab_file_create_unique (GFile       *directory,
                           const char  *name,
                           const char  *suffix,
                           GFile      **created,
                           GError     **error)
{
  g_return_val_if_fail (G_IS_FILE (directory), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0' && !strchr (name, '/'), NULL);
  g_return_val_if_fail (!suffix || !strchr (suffix, '/'), NULL);

  for (guint n = 0; n <= MAX_NUMBER; n++) {
    g_autofree char *candidate = confab_file_numbered_name (name, n);
    g_autofree char *child_name = g_strconcat (candidate, suffix, NULL);
    g_autoptr (GFile) child = g_file_get_child (directory, child_name);
    g_autoptr (GError) local_error = NULL;
    GFileOutputStream *stream;

    stream = g_file_create (child, G_FILE_CREATE_NONE, NULL, &local_error);
    if (stream) {
      if (created)
        *created = g_steal_pointer (&child);
      return stream;
    }
    if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS)) {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  }
  {
    g_autofree char *shown = g_file_get_parse_name (directory);

    g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                 _("Every name like “%s” is taken in “%s”: remove or rename some of those files"),
                 name, shown);
  }
  return NULL;
}
