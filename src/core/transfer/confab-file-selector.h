/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "sdp/confab-sdp.h"

G_BEGIN_DECLS

/* RFC 5547 file transfer attributes of an m=message line, and the file
 * helpers both ends of a transfer need: the SHA-1 form peers write, safe
 * local names for offered names, and never-overwriting final names.
 *
 *   a=file-selector:name:"x.pdf" type:application/pdf size:1234 hash:sha-1:72:24:…:2E
 *   a=file-transfer-id:<token>
 *   a=file-disposition:attachment
 *   a=file-date:modification:"Sat, 21 Nov 2026 10:00:00 +0000"
 *   a=file-range:1-*            (or START-STOP, 1-based, inclusive)
 *   a=x-file-offset             (SIP SIMPLE resume: FILE_OFFSET)
 *
 * Parsing is bounded (CONFAB_FILE_SELECTOR_MAX_LENGTH) and never trusts
 * the name: confab_file_safe_name() turns it into a base name. */

#define CONFAB_FILE_SELECTOR_MAX_LENGTH 16384 /* bytes of one a=file-selector value */
#define CONFAB_FILE_SHA1_TEXT_LENGTH    59    /* "XX:" × 20 without the last ':' */
#define CONFAB_FILE_SAFE_NAME_MAX       200   /* bytes of a name we create */

typedef struct
{
  char    *name;       /* as offered (UTF-8, unescaped), or NULL */
  char    *type;       /* "application/pdf", or NULL */
  gboolean has_size;
  guint64  size;
  char    *hash;       /* "14:F9:…:BA": 20 bytes, upper-case colon hex, or NULL */
} ConfabFileSelector;

typedef struct
{
  ConfabFileSelector selector;
  char              *transfer_id;    /* a=file-transfer-id, or NULL */
  char              *disposition;    /* a=file-disposition, or NULL */
  gint64             modification;   /* a=file-date modification, unix seconds; -1 unknown */
  gboolean           has_range;      /* a=file-range */
  guint64            range_start;    /* 1-based */
  guint64            range_stop;     /* inclusive, or G_MAXUINT64 for '*' */
  gboolean           x_file_offset;  /* a=x-file-offset */
} ConfabFileOffer;

/* "name:\"a b.txt\" type:text/plain size:68 hash:sha-1:14:F9:…" (the
 * attribute value). Accepts: any order, unknown fields ignored, a quoted
 * name with %XX escapes or backslash-quote, a legacy "sha1:" hash prefix,
 * lower-case hex (normalized to upper), type with parameters, hashes of
 * other algorithms (ignored). Refuses, with CONFAB_SDP_ERROR_UNSUPPORTED:
 * empty, over the length bound (as given or as we would print it), a NUL
 * byte, a SHA-1 hash that is not 20 bytes, a size that is not a number, an
 * unterminated quote, a control character in the name, a field given
 * twice, no name, type, size or SHA-1 hash at all. */
gboolean            confab_file_selector_parse      (ConfabFileSelector       *selector,
                                                     const char               *text,
                                                     gsize                     length,
                                                     GError                  **error);
/* The attribute value we write: name quoted (with '"', '%', '\\' and
 * control bytes escaped as %XX), type, size, hash:sha-1:… (fields left out
 * when unset). */
char               *confab_file_selector_to_string  (const ConfabFileSelector *selector);
void                confab_file_selector_clear      (ConfabFileSelector       *selector);
void                confab_file_selector_copy       (ConfabFileSelector       *dest,
                                                     const ConfabFileSelector *src);
/* Whether @offered (a pull request: name and/or hash) names @file's
 * selector: the hash when it has one, else the name and size. */
gboolean            confab_file_selector_matches    (const ConfabFileSelector *offered,
                                                     const ConfabFileSelector *file);

/* All RFC 5547 attributes of @media (the direction is media->direction).
 * FALSE with an error when there is no valid a=file-selector; an
 * unreadable a=file-date or a=file-range is ignored. */
gboolean            confab_file_offer_read          (ConfabFileOffer          *offer,
                                                     const ConfabSdpMedia     *media,
                                                     GError                  **error);
void                confab_file_offer_clear         (ConfabFileOffer          *offer);
/* Writes a=file-selector, a=file-transfer-id, a=file-disposition,
 * a=file-date, a=file-range (when has_range) and a=x-file-offset (when
 * set) onto @media; the direction attribute is the caller's. */
void                confab_file_offer_write         (const ConfabFileOffer    *offer,
                                                     ConfabSdpMedia           *media);

/* "14:F9:…:BA" from 20 raw bytes. */
char               *confab_file_sha1_to_text        (const guint8             *digest);
/* An incremental SHA-1: GnuTLS's (about 2.5 times GLib's), else GLib's.
 * confab_sha1_end() gives the "14:F9:…:BA" text; the hash is then spent. */
typedef struct _ConfabSha1 ConfabSha1;
ConfabSha1         *confab_sha1_new                 (void);
void                confab_sha1_update              (ConfabSha1               *sha1,
                                                     const void               *data,
                                                     gsize                     length);
char               *confab_sha1_end                 (ConfabSha1               *sha1);
void                confab_sha1_free                (ConfabSha1               *sha1);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabSha1, confab_sha1_free)
/* The SHA-1 of @stream's remaining bytes, in 256 KiB reads; @progress
 * (may be NULL) is called on the calling thread with the bytes read so
 * far, about every 1 MiB and once at the end. For worker threads. */
char               *confab_file_sha1_stream         (GInputStream             *stream,
                                                     void                    (*progress) (guint64  done,
                                                                                         gpointer user_data),
                                                     gpointer                  user_data,
                                                     GCancellable             *cancellable,
                                                     GError                  **error);

/* A name safe to create inside the downloads folder from a name a peer
 * offered: the part after the last '/' or '\\'; control characters (and
 * bidi overrides), invalid UTF-8 and the characters / \ : * ? " < > |
 * replaced by '_'; leading dots and spaces and trailing dots and spaces
 * removed; empty, "." or ".." become "file"; cut to
 * CONFAB_FILE_SAFE_NAME_MAX bytes on a character boundary keeping the
 * extension (up to 16 bytes). Never NULL, never starts with '.', never
 * contains '/'. */
char               *confab_file_safe_name           (const char               *offered);
/* "name (N).ext" for N = @n (n = 0: @name itself); the extension is the
 * part after the last dot unless the dot is the first character;
 * ".tar.gz"-style double extensions are kept together. */
char               *confab_file_numbered_name       (const char               *name,
                                                     guint                     n);
/* Moves @source (a .part file) to @directory/@name without overwriting
 * anything: the first of name, "name (1).ext", … that does not exist
 * (renameat2 RENAME_NOREPLACE, else link + unlink, else claiming the name
 * with O_EXCL and renaming onto it). Returns the final file. */
GFile              *confab_file_move_unique         (GFile                    *source,
                                                     GFile                    *directory,
                                                     const char               *name,
                                                     GError                  **error);
/* Creates a new, empty file @directory/@name@suffix (O_EXCL), numbering
 * the name as confab_file_numbered_name() does when taken; returns it
 * opened for writing. @suffix is e.g. ".part". */
GFileOutputStream  *confab_file_create_unique       (GFile                    *directory,
                                                     const char               *name,
                                                     const char               *suffix,
                                                     GFile                   **created,
                                                     GError                  **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConfabFileSelector, confab_file_selector_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConfabFileOffer, confab_file_offer_clear)

G_END_DECLS
