/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "im/confab-chat-message.h"
#include "im/confab-history-conversation.h"

G_BEGIN_DECLS

/* The chat history: every ConfabChatMessage of every conversation, in one
 * SQLite file. Messages handed to confab_history_add(), and the ones it
 * returns, are followed: a change of state or error is written at once,
 * so no delivery report is lost. While a message object is alive the
 * store hands out that same object for its row (one object per message).
 * Use from one thread, the main context's. */
#define CONFAB_TYPE_HISTORY (confab_history_get_type ())
G_DECLARE_FINAL_TYPE (ConfabHistory, confab_history, CONFAB, HISTORY, GObject)

#define CONFAB_HISTORY_MAX_BODY_SIZE (16 * 1024 * 1024) /* bytes of one message */

/* Opens (creating or upgrading) the store at @path; NULL means
 * $XDG_DATA_HOME/confab/history.sqlite3. Several ConfabHistory objects,
 * in one process or several, may have the same file open. Messages a
 * previous run left in SENDING become FAILED, and transfers it left
 * running become "failed" with the error "Interrupted" (translated), when
 * no other instance has the file open, since theirs may still be on the
 * wire. */
ConfabHistory     *confab_history_open               (const char         *path,
                                                      GError            **error);
const char        *confab_history_get_path           (ConfabHistory      *self);
/* Whether search uses SQLite's FTS5 trigram index (else a full scan). */
gboolean           confab_history_has_fulltext       (ConfabHistory      *self);

/* Stores @message (setting its row id) and follows its state and error
 * from then on. Incoming messages count as unread. Refuses bodies over
 * CONFAB_HISTORY_MAX_BODY_SIZE. Adding a message already stored here is a
 * no-op. */
gboolean           confab_history_add                (ConfabHistory      *self,
                                                      ConfabChatMessage  *message,
                                                      GError            **error);
/* Up to @limit messages of @conversation older than the message with row
 * id @before_row_id (0: the newest), oldest first; ordered by timestamp,
 * then by row id. An empty array at the beginning of the conversation. */
GPtrArray         *confab_history_load               (ConfabHistory      *self,
                                                      const char         *conversation,
                                                      gint64              before_row_id,
                                                      guint               limit,
                                                      GError            **error);
/* Up to @limit (0: all) text messages containing @text, ignoring case,
 * in @conversation (NULL: all), newest first. */
GPtrArray         *confab_history_search             (ConfabHistory      *self,
                                                      const char         *text,
                                                      const char         *conversation,
                                                      guint               limit,
                                                      GError            **error);
/* The newest message with this Message-ID (ours for outgoing messages),
 * or NULL with CONFAB_ERROR_NOT_FOUND. */
ConfabChatMessage *confab_history_find               (ConfabHistory      *self,
                                                      const char         *message_id,
                                                      GError            **error);
/* ConfabHistoryConversation items, the most recently active first; at
 * most @limit (0: all). */
GPtrArray         *confab_history_list_conversations (ConfabHistory      *self,
                                                      guint               limit,
                                                      GError            **error);
gboolean           confab_history_mark_read          (ConfabHistory      *self,
                                                      const char         *conversation,
                                                      GError            **error);

/* A file transfer, sent or received, as the history keeps it. Allocate
 * with g_new0(); the strings are owned (g_free()). Times are microseconds
 * since the Unix epoch, UTC. */
typedef struct
{
  gint64   row_id;         /* 0 until saved */
  char    *transfer_id;    /* a=file-transfer-id, or NULL */
  char    *session_id;     /* the ConfabSession id, or NULL */
  char    *local_uri;      /* our account address */
  char    *remote_uri;     /* the peer */
  char    *remote_display;
  gboolean incoming;       /* we received the bytes */
  gboolean pull;           /* the receiver asked for the file */
  char    *name;           /* as offered */
  char    *content_type;
  guint64  size;
  char    *hash;           /* "sha-1:XX:…", or NULL */
  char    *path;           /* local file: the source, the saved file or the .part; or NULL */
  guint64  bytes;          /* done */
  char    *state;          /* "hashing", "waiting", "transferring", "verifying" (running),
                            * "completed", "failed", "cancelled" */
  char    *error;          /* or NULL */
  gint64   started;
  gint64   finished;       /* 0 while running */
} ConfabHistoryTransfer;

void                   confab_history_transfer_free          (ConfabHistoryTransfer       *transfer);
ConfabHistoryTransfer *confab_history_transfer_copy          (const ConfabHistoryTransfer *transfer);

/* Inserts @transfer (row_id 0: sets it) or updates its row, then emits
 * "transfer-saved". Each save is one write to disk: save progress a few
 * times a second at most. Updating a row that was deleted fails with
 * CONFAB_ERROR_NOT_FOUND. */
gboolean               confab_history_save_transfer          (ConfabHistory          *self,
                                                              ConfabHistoryTransfer  *transfer,
                                                              GError                **error);
/* Newest first (by started, then row id); at most @limit (0: all).
 * Element type ConfabHistoryTransfer*, free func set. */
GPtrArray             *confab_history_list_transfers         (ConfabHistory          *self,
                                                              guint                   limit,
                                                              GError                **error);
/* The newest transfer, of either direction, with this hash (ignoring
 * case) whose path is still a regular file, for answering pulls of files
 * we sent or received; received files count once completed (before, the
 * path is a partial file). NULL if none, without an error. The file may
 * have changed since: check its hash before sending it. */
ConfabHistoryTransfer *confab_history_find_transfer_by_hash  (ConfabHistory          *self,
                                                              const char             *hash,
                                                              GError                **error);
/* Deleting a row that does not exist (any more) is not an error. */
gboolean               confab_history_delete_transfer        (ConfabHistory          *self,
                                                              gint64                  row_id,
                                                              GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabHistoryTransfer, confab_history_transfer_free)

/* Signals: "conversation-changed" (const char *conversation): a message
 * was added to it, or it was marked read, through this object.
 * "transfer-saved" (ConfabHistoryTransfer *transfer, a G_TYPE_POINTER
 * valid during the emission): confab_history_save_transfer() stored it
 * through this object. */

G_END_DECLS
