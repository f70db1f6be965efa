/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabHistory"

#include "config.h"

#include "im/confab-history.h"
#include "im/confab-history-private.h"
#include "confab-enums.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Every statement the store runs, prepared once on first use. Pages and
 * search results read newest first so that LIMIT takes the right end;
 * the (conversation, timestamp) index, which carries the row id, gives
 * that order without sorting. */
#define MESSAGE_COLUMNS \
  "id, message_id, conversation, direction, sender_uri, sender_display, " \
  "content_type, body, text, timestamp, state, error, recipient_uri, status_kind"
#define NEWEST_FIRST " ORDER BY timestamp DESC, id DESC LIMIT ?3"

static const char *const statement_sql[CONFAB_HISTORY_N_STATEMENTS] = {
  [CONFAB_HISTORY_STMT_BEGIN] = "BEGIN IMMEDIATE",
  [CONFAB_HISTORY_STMT_COMMIT] = "COMMIT",
  [CONFAB_HISTORY_STMT_ROLLBACK] = "ROLLBACK",
  [CONFAB_HISTORY_STMT_INSERT] =
    "INSERT INTO messages (message_id, conversation, direction, sender_uri, sender_display,"
    " content_type, body, text, timestamp, state, error, unread, recipient_uri, status_kind)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
  [CONFAB_HISTORY_STMT_UPDATE_STATE] =
    "UPDATE messages SET state = ?2, error = ?3 WHERE id = ?1",
  [CONFAB_HISTORY_STMT_FAIL_UNSENT] =
    "UPDATE messages SET state = 'failed', error = ?1 WHERE state = 'sending'",
  [CONFAB_HISTORY_STMT_LOAD_NEWEST] =
    "SELECT " MESSAGE_COLUMNS " FROM messages WHERE conversation = ?1" NEWEST_FIRST,
  [CONFAB_HISTORY_STMT_LOAD_BEFORE] =
    "SELECT " MESSAGE_COLUMNS " FROM messages WHERE conversation = ?1"
    " AND (timestamp, id) < (SELECT timestamp, id FROM messages WHERE id = ?2)"
    NEWEST_FIRST,
  [CONFAB_HISTORY_STMT_FIND] =
    "SELECT " MESSAGE_COLUMNS " FROM messages WHERE message_id = ?1 ORDER BY id DESC LIMIT 1",
  [CONFAB_HISTORY_STMT_SEARCH_FULLTEXT] =
    "SELECT " MESSAGE_COLUMNS " FROM messages WHERE id IN"
    " (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1)"
    NEWEST_FIRST,
  [CONFAB_HISTORY_STMT_SEARCH_FULLTEXT_IN] =
    "SELECT " MESSAGE_COLUMNS " FROM messages WHERE id IN"
    " (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1) AND conversation = ?2"
    NEWEST_FIRST,
  [CONFAB_HISTORY_STMT_SEARCH_SCAN] =
    "SELECT " MESSAGE_COLUMNS " FROM messages"
    " WHERE text IS NOT NULL AND confab_casefold (text) LIKE ?1 ESCAPE '\\'"
    NEWEST_FIRST,
  [CONFAB_HISTORY_STMT_SEARCH_SCAN_IN] =
    "SELECT " MESSAGE_COLUMNS " FROM messages WHERE conversation = ?2"
    " AND text IS NOT NULL AND confab_casefold (text) LIKE ?1 ESCAPE '\\'"
    NEWEST_FIRST,
  [CONFAB_HISTORY_STMT_CONVERSATIONS] =
    "SELECT c.uri, c.unread, m.timestamp, m.direction, m.content_type, m.text"
    " FROM conversations c JOIN messages m ON m.id = c.last_id"
    " ORDER BY c.last_timestamp DESC LIMIT ?1",
  [CONFAB_HISTORY_STMT_MARK_READ_MESSAGES] =
    "UPDATE messages SET unread = 0 WHERE conversation = ?1 AND unread",
  [CONFAB_HISTORY_STMT_MARK_READ_CONVERSATION] =
    "UPDATE conversations SET unread = 0 WHERE uri = ?1",
};

/* A message object this store follows: its row is kept up to date while
 * it lives, and handed out again instead of a second object. */
typedef struct
{
  gint64             row_id;   /* the hash table's key */
  ConfabHistory     *history;
  ConfabChatMessage *message;  /* unowned: a weak reference */
  gulong             notify_handler;
} Tracked;

struct _ConfabHistory
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  int           lock_fd;
  gboolean      fulltext;
  sqlite3_stmt *statements[CONFAB_HISTORY_N_STATEMENTS];
  GHashTable   *tracked;       /* &row_id → Tracked */
};

static void confab_history_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabHistory, confab_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      confab_history_initable_iface_init))

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

enum {
  SIGNAL_CONVERSATION_CHANGED,
  SIGNAL_TRANSFER_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const direction_names[] = { "incoming", "outgoing", "status" };

static const char *
direction_to_string (ConfabChatDirection direction)
{
  g_assert (direction < G_N_ELEMENTS (direction_names));
  return direction_names[direction];
}

static ConfabChatDirection
direction_from_string (const char *string)
{
  for (guint i = 0; string && i < G_N_ELEMENTS (direction_names); i++) {
    if (strcmp (string, direction_names[i]) == 0)
      return i;
  }
  return CONFAB_CHAT_DIRECTION_STATUS;
}

static gint64
timestamp_to_usec (GDateTime *timestamp)
{
  return g_date_time_to_unix (timestamp) * G_USEC_PER_SEC +
         g_date_time_get_microsecond (timestamp);
}

/* The Unix epoch in the local time zone, read once per query: times are
 * then one g_date_time_add() each, without GLib looking up the zone (a
 * readlink() of /etc/localtime) for every message. */
static GDateTime *
local_epoch (void)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_local ();
  g_autoptr (GDateTime) epoch = g_date_time_new_from_unix_utc (0);

  return g_date_time_to_timezone (epoch, zone);
}

static GDateTime *
timestamp_from_usec (GDateTime *epoch,
                     gint64     usec)
{
  GDateTime *timestamp = g_date_time_add (epoch, usec);

  return timestamp ? timestamp : g_date_time_ref (epoch);
}

static gboolean
fail_sql (ConfabHistory  *self,
          int             rc,
          GError        **error)
{
  return _confab_history_set_error (error, self->db, rc, self->path);
}

ConfabHistoryCachedStatement *
_confab_history_statement_sql (ConfabHistory           *self,
                               ConfabHistoryStatement   which,
                               const char              *sql,
                               GError                 **error)
{
  g_assert (which < CONFAB_HISTORY_N_STATEMENTS);
  g_assert (sql != NULL);

  if (!self->statements[which]) {
    int rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                 &self->statements[which], NULL);

    if (rc != SQLITE_OK) {
      fail_sql (self, rc, error);
      return NULL;
    }
  }
  return self->statements[which];
}

ConfabHistoryCachedStatement *
_confab_history_statement (ConfabHistory           *self,
                           ConfabHistoryStatement   which,
                           GError                 **error)
{
  return _confab_history_statement_sql (self, which, statement_sql[which], error);
}

/* Runs a statement without result rows. */
static gboolean
run (ConfabHistory                 *self,
     ConfabHistoryCachedStatement  *stmt,
     GError                       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    return fail_sql (self, rc, error);
  return TRUE;
}

static gboolean
run_simple (ConfabHistory           *self,
            ConfabHistoryStatement   which,
            GError                 **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;

  stmt = _confab_history_statement (self, which, error);

  return stmt && run (self, stmt, error);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

static void
free_tracked (gpointer data)
{
  g_free (data);
}

static void
on_message_notify (ConfabChatMessage *message,
                   GParamSpec        *pspec,
                   Tracked           *tracked)
{
  ConfabHistory *self = tracked->history;
  const char *name = g_param_spec_get_name (pspec);
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  g_autoptr (GError) error = NULL;

  if (strcmp (name, "state") != 0 && strcmp (name, "error") != 0)
    return;

  stmt = _confab_history_statement (self, CONFAB_HISTORY_STMT_UPDATE_STATE, &error);
  if (stmt) {
    sqlite3_bind_int64 (stmt, 1, tracked->row_id);
    bind_text (stmt, 2, confab_chat_state_to_string (confab_chat_message_get_state (message)));
    bind_text (stmt, 3, confab_chat_message_get_error (message));
    run (self, stmt, &error);
  }
  if (error)
    g_warning ("Could not store the state of message %s: %s",
               confab_chat_message_get_id (message), error->message);
}

static void
on_message_finalized (gpointer  data,
                      GObject  *where_the_object_was)
{
  Tracked *tracked = data;

  g_hash_table_remove (tracked->history->tracked, &tracked->row_id);
}

static void
track (ConfabHistory     *self,
       ConfabChatMessage *message,
       gint64             row_id)
{
  Tracked *tracked = g_new0 (Tracked, 1);

  tracked->row_id = row_id;
  tracked->history = self;
  tracked->message = message;
  tracked->notify_handler =
    g_signal_connect (message, "notify", G_CALLBACK (on_message_notify), tracked);
  g_object_weak_ref (G_OBJECT (message), on_message_finalized, tracked);
  g_hash_table_replace (self->tracked, &tracked->row_id, tracked);
}

static void
untrack_all (ConfabHistory *self)
{
  GHashTableIter iter;
  Tracked *tracked;

  g_hash_table_iter_init (&iter, self->tracked);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tracked)) {
    g_signal_handler_disconnect (tracked->message, tracked->notify_handler);
    g_object_weak_unref (G_OBJECT (tracked->message), on_message_finalized, tracked);
    g_hash_table_iter_remove (&iter);
  }
}

/* The object for the current row of a MESSAGE_COLUMNS query: the live one
 * if there is one, else a new one that is followed from now on. */
static ConfabChatMessage *
message_from_row (ConfabHistory *self,
                  sqlite3_stmt  *stmt,
                  GDateTime     *epoch)
{
  gint64 row_id = sqlite3_column_int64 (stmt, 0);
  Tracked *tracked = g_hash_table_lookup (self->tracked, &row_id);
  const char *text = (const char *) sqlite3_column_text (stmt, 8);
  ConfabChatState state = CONFAB_CHAT_STATE_FAILED;
  g_autoptr (GDateTime) timestamp = NULL;
  g_autoptr (GBytes) body = NULL;
  ConfabChatMessage *message;

  if (tracked)
    return g_object_ref (tracked->message);

  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
    body = g_bytes_new (sqlite3_column_blob (stmt, 7), sqlite3_column_bytes (stmt, 7));
  else if (text)
    body = g_bytes_new (text, sqlite3_column_bytes (stmt, 8));
  else
    body = g_bytes_new (NULL, 0);
  timestamp = timestamp_from_usec (epoch, sqlite3_column_int64 (stmt, 9));
  confab_chat_state_from_string ((const char *) sqlite3_column_text (stmt, 10), &state);

  message = g_object_new (CONFAB_TYPE_CHAT_MESSAGE,
                          "row-id", row_id,
                          "id", (const char *) sqlite3_column_text (stmt, 1),
                          "conversation", (const char *) sqlite3_column_text (stmt, 2),
                          "direction",
                          direction_from_string ((const char *) sqlite3_column_text (stmt, 3)),
                          "sender-uri", (const char *) sqlite3_column_text (stmt, 4),
                          "sender-display", (const char *) sqlite3_column_text (stmt, 5),
                          "content-type", (const char *) sqlite3_column_text (stmt, 6),
                          "body", body,
                          "timestamp", timestamp,
                          "state", state,
                          "error", (const char *) sqlite3_column_text (stmt, 11),
                          "recipient-uri", (const char *) sqlite3_column_text (stmt, 12),
                          "status-kind",
                          confab_chat_status_kind_from_string (
                            (const char *) sqlite3_column_text (stmt, 13)),
                          NULL);
  track (self, message, row_id);
  return message;
}

GPtrArray *
_confab_history_collect_messages (ConfabHistory  *self,
                                  sqlite3_stmt   *stmt,
                                  GError        **error)
{
  g_autoptr (GPtrArray) messages = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GDateTime) epoch = local_epoch ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (messages, message_from_row (self, stmt, epoch));
  if (rc != SQLITE_DONE) {
    fail_sql (self, rc, error);
    return NULL;
  }
  return g_steal_pointer (&messages);
}

/* Whether this instance is the only one with the file open (then a message
 * still "sending" in it was left by a run that ended). Each instance holds
 * a shared flock(2) on a lock file beside the database while open; the
 * first takes it exclusive just long enough to repair the file. */
static gboolean
lock_instance (ConfabHistory *self)
{
  g_autofree char *lock_path = g_strconcat (self->path, "-lock", NULL);

  self->lock_fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0) {
    g_debug ("No instance lock %s: %s", lock_path, g_strerror (errno));
    return TRUE;
  }
  if (flock (self->lock_fd, LOCK_EX | LOCK_NB) == 0)
    return TRUE;
  if (errno != EWOULDBLOCK) {
    /* A file system without locks: assume the common case, one instance. */
    g_debug ("Cannot lock %s: %s", lock_path, g_strerror (errno));
    close (self->lock_fd);
    self->lock_fd = -1;
    return TRUE;
  }
  /* Waits while another instance repairs the file, a short moment. */
  while (flock (self->lock_fd, LOCK_SH) != 0 && errno == EINTR)
    ;
  return FALSE;
}

static gboolean
fail_unsent (ConfabHistory  *self,
             GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt =
    _confab_history_statement (self, CONFAB_HISTORY_STMT_FAIL_UNSENT, error);

  if (!stmt)
    return FALSE;
  bind_text (stmt, 1, _("Confab quit before the message was sent"));
  if (!run (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) > 0)
    g_debug ("%d messages left unsent by the last run marked failed", sqlite3_changes (self->db));
  return TRUE;
}

static gboolean
confab_history_initable_init (GInitable     *initable,
                              GCancellable  *cancellable,
                              GError       **error)
{
  ConfabHistory *self = CONFAB_HISTORY (initable);
  g_autofree char *folder = NULL;
  gboolean alone;
  int rc;

  if (!self->path)
    self->path = g_build_filename (g_get_user_data_dir (), "confab", "history.sqlite3", NULL);

  folder = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (folder, 0700) != 0) {
    int saved_errno = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                 _("Cannot create the folder “%s” for the chat history: %s"),
                 folder, g_strerror (saved_errno));
    return FALSE;
  }

  alone = lock_instance (self);

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    return fail_sql (self, rc, error);

  if (!_confab_history_schema_prepare (self->db, self->path, &self->fulltext, error))
    return FALSE;
  if (alone && (!fail_unsent (self, error) ||
                !_confab_history_fail_interrupted_transfers (self, error)))
    return FALSE;

  if (alone && self->lock_fd >= 0)
    flock (self->lock_fd, LOCK_SH);
  return TRUE;
}

static void
confab_history_initable_iface_init (GInitableIface *iface)
{
  iface->init = confab_history_initable_init;
}

static void
confab_history_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ConfabHistory *self = CONFAB_HISTORY (object);

  switch (prop_id) {
  case PROP_PATH:
    g_value_set_string (value, self->path);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_history_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ConfabHistory *self = CONFAB_HISTORY (object);

  switch (prop_id) {
  case PROP_PATH:
    self->path = g_value_dup_string (value);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_history_dispose (GObject *object)
{
  ConfabHistory *self = CONFAB_HISTORY (object);

  untrack_all (self);

  G_OBJECT_CLASS (confab_history_parent_class)->dispose (object);
}

static void
confab_history_finalize (GObject *object)
{
  ConfabHistory *self = CONFAB_HISTORY (object);

  for (guint i = 0; i < CONFAB_HISTORY_N_STATEMENTS; i++)
    sqlite3_finalize (self->statements[i]);
  /* Closing the last connection checkpoints the WAL into the file. */
  sqlite3_close_v2 (self->db);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_hash_table_unref (self->tracked);
  g_free (self->path);

  G_OBJECT_CLASS (confab_history_parent_class)->finalize (object);
}

static void
confab_history_class_init (ConfabHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = confab_history_get_property;
  object_class->set_property = confab_history_set_property;
  object_class->dispose = confab_history_dispose;
  object_class->finalize = confab_history_finalize;

  props[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  signals[SIGNAL_CONVERSATION_CHANGED] =
    g_signal_new ("conversation-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* Emitted by confab_history_save_transfer() (confab-history-transfers.c). */
  signals[SIGNAL_TRANSFER_SAVED] =
    g_signal_new ("transfer-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
confab_history_init (ConfabHistory *self)
{
  self->lock_fd = -1;
  self->tracked = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, free_tracked);
}

ConfabHistory *
confab_history_open (const char  *path,
                     GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (CONFAB_TYPE_HISTORY, NULL, error, "path", path, NULL);
}

const char *
confab_history_get_path (ConfabHistory *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);
  return self->path;
}

gboolean
confab_history_has_fulltext (ConfabHistory *self)
{
  g_return_val_if_fail (CONFAB_IS_HISTORY (self), FALSE);
  return self->fulltext;
}

void
_confab_history_disable_fulltext (ConfabHistory *self)
{
  g_return_if_fail (CONFAB_IS_HISTORY (self));
  self->fulltext = FALSE;
}

gboolean
confab_history_add (ConfabHistory      *self,
                    ConfabChatMessage  *message,
                    GError            **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  ConfabChatDirection direction;
  const char *conversation;
  const char *text;
  GBytes *body;
  gsize body_size = 0;
  const void *body_data;
  gint64 row_id;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (CONFAB_IS_CHAT_MESSAGE (message), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  row_id = confab_chat_message_get_row_id (message);
  if (row_id != 0) {
    Tracked *tracked = g_hash_table_lookup (self->tracked, &row_id);

    if (tracked && tracked->message == message)
      return TRUE;
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The message is already stored in another history."));
    return FALSE;
  }

  conversation = confab_chat_message_get_conversation (message);
  if (!conversation || !*conversation) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The message belongs to no conversation and cannot be stored."));
    return FALSE;
  }
  body = confab_chat_message_get_body (message);
  body_data = g_bytes_get_data (body, &body_size);
  if (body_size > CONFAB_HISTORY_MAX_BODY_SIZE) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID,
                 _("The message is too large to keep in the history (%lu bytes, at most %d)."),
                 (unsigned long) body_size, CONFAB_HISTORY_MAX_BODY_SIZE);
    return FALSE;
  }

  stmt = _confab_history_statement (self, CONFAB_HISTORY_STMT_INSERT, error);
  if (!stmt)
    return FALSE;

  direction = confab_chat_message_get_direction (message);
  text = confab_chat_message_get_text (message);
  bind_text (stmt, 1, confab_chat_message_get_id (message));
  bind_text (stmt, 2, conversation);
  bind_text (stmt, 3, direction_to_string (direction));
  bind_text (stmt, 4, confab_chat_message_get_sender_uri (message));
  bind_text (stmt, 5, confab_chat_message_get_sender_display (message));
  bind_text (stmt, 6, confab_chat_message_get_content_type (message));
  /* The text column already holds a body that is valid UTF-8 as it is. */
  if (text && strlen (text) == body_size && memcmp (text, body_data, body_size) == 0)
    sqlite3_bind_null (stmt, 7);
  else if (body_size == 0)
    sqlite3_bind_zeroblob (stmt, 7, 0);
  else
    sqlite3_bind_blob64 (stmt, 7, body_data, body_size, SQLITE_STATIC);
  bind_text (stmt, 8, text);
  sqlite3_bind_int64 (stmt, 9, timestamp_to_usec (confab_chat_message_get_timestamp (message)));
  bind_text (stmt, 10, confab_chat_state_to_string (confab_chat_message_get_state (message)));
  bind_text (stmt, 11, confab_chat_message_get_error (message));
  sqlite3_bind_int (stmt, 12, direction == CONFAB_CHAT_DIRECTION_INCOMING);
  bind_text (stmt, 13, confab_chat_message_get_recipient_uri (message));
  bind_text (stmt, 14,
             confab_chat_status_kind_to_string (confab_chat_message_get_status_kind (message)));
  if (!run (self, stmt, error))
    return FALSE;

  row_id = sqlite3_last_insert_rowid (self->db);
  track (self, message, row_id);
  confab_chat_message_set_row_id (message, row_id);
  g_signal_emit (self, signals[SIGNAL_CONVERSATION_CHANGED], 0, conversation);
  return TRUE;
}

GPtrArray *
confab_history_load (ConfabHistory  *self,
                     const char     *conversation,
                     gint64          before_row_id,
                     guint           limit,
                     GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  GPtrArray *messages;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (conversation != NULL, NULL);
  g_return_val_if_fail (before_row_id >= 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _confab_history_statement (self,
                                    before_row_id ? CONFAB_HISTORY_STMT_LOAD_BEFORE
                                                  : CONFAB_HISTORY_STMT_LOAD_NEWEST,
                                    error);
  if (!stmt)
    return NULL;
  bind_text (stmt, 1, conversation);
  if (before_row_id)
    sqlite3_bind_int64 (stmt, 2, before_row_id);
  sqlite3_bind_int64 (stmt, 3, limit ? (gint64) limit : -1);

  /* The query reads newest first, so LIMIT takes the page next to the
   * cursor; the view wants it the other way round. */
  messages = _confab_history_collect_messages (self, stmt, error);
  if (messages) {
    for (guint i = 0, j = messages->len; i + 1 < j; i++, j--) {
      gpointer swap = messages->pdata[i];

      messages->pdata[i] = messages->pdata[j - 1];
      messages->pdata[j - 1] = swap;
    }
  }
  return messages;
}

ConfabChatMessage *
confab_history_find (ConfabHistory  *self,
                     const char     *message_id,
                     GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  int rc;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (message_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _confab_history_statement (self, CONFAB_HISTORY_STMT_FIND, error);
  if (!stmt)
    return NULL;
  bind_text (stmt, 1, message_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW) {
    g_autoptr (GDateTime) epoch = local_epoch ();

    return message_from_row (self, stmt, epoch);
  }
  if (rc != SQLITE_DONE) {
    fail_sql (self, rc, error);
    return NULL;
  }
  g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_NOT_FOUND,
               _("No message with ID “%s” in the history."), message_id);
  return NULL;
}

GPtrArray *
confab_history_list_conversations (ConfabHistory  *self,
                                   guint           limit,
                                   GError        **error)
{
  g_autoptr (ConfabHistoryCachedStatement) stmt = NULL;
  g_autoptr (GPtrArray) conversations = NULL;
  g_autoptr (GDateTime) epoch = NULL;
  int rc;

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = _confab_history_statement (self, CONFAB_HISTORY_STMT_CONVERSATIONS, error);
  if (!stmt)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit ? (gint64) limit : -1);

  conversations = g_ptr_array_new_with_free_func (g_object_unref);
  epoch = local_epoch ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW) {
    g_autoptr (GDateTime) timestamp = timestamp_from_usec (epoch, sqlite3_column_int64 (stmt, 2));
    gint64 unread = sqlite3_column_int64 (stmt, 1);

    g_ptr_array_add (conversations,
                     confab_history_conversation_new (
                       (const char *) sqlite3_column_text (stmt, 0),
                       timestamp,
                       direction_from_string ((const char *) sqlite3_column_text (stmt, 3)),
                       (const char *) sqlite3_column_text (stmt, 4),
                       (const char *) sqlite3_column_text (stmt, 5),
                       (guint) CLAMP (unread, 0, G_MAXUINT)));
  }
  if (rc != SQLITE_DONE) {
    fail_sql (self, rc, error);
    return NULL;
  }
  return g_steal_pointer (&conversations);
}

gboolean
confab_history_mark_read (ConfabHistory  *self,
                          const char     *conversation,
                          GError        **error)
{
  ConfabHistoryStatement steps[] = {
    CONFAB_HISTORY_STMT_MARK_READ_MESSAGES,
    CONFAB_HISTORY_STMT_MARK_READ_CONVERSATION,
  };

  g_return_val_if_fail (CONFAB_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (conversation != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!run_simple (self, CONFAB_HISTORY_STMT_BEGIN, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++) {
    g_autoptr (ConfabHistoryCachedStatement) stmt =
      _confab_history_statement (self, steps[i], error);

    if (!stmt)
      goto rollback;
    bind_text (stmt, 1, conversation);
    if (!run (self, stmt, error))
      goto rollback;
  }
  if (!run_simple (self, CONFAB_HISTORY_STMT_COMMIT, error))
    goto rollback;

  g_signal_emit (self, signals[SIGNAL_CONVERSATION_CHANGED], 0, conversation);
  return TRUE;

rollback:
  run_simple (self, CONFAB_HISTORY_STMT_ROLLBACK, NULL);
  return FALSE;
}
