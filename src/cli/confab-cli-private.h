/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab.h"

G_BEGIN_DECLS

typedef struct _CliFiles CliFiles;

/* Exit codes: the contract in ../shared/CLI.md. */
enum {
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILURE = 1,
  CLI_EXIT_USAGE = 2,
  CLI_EXIT_AUTH = 3,
  CLI_EXIT_NETWORK = 4,
  CLI_EXIT_REJECTED = 5,
};

typedef struct
{
  /* account options, valid for every command */
  char     *account;
  char     *password;
  char     *transport;
  char     *proxy;
  char     *ca_file;
  char     *config;
  char     *bind;
  char     *stun;
  char     *turn;
  char     *msrp_relay;
  char     *msrp_transport;
  gboolean  no_history;   /* --no-history: chat not kept in the history store */
  gboolean  chat_echo;    /* listen --echo: received chat messages go back */
  guint     chat_received; /* chat messages received, all sessions */
  guint     chat_connected; /* chat streams still connected (or finishing) */
  struct _CliFiles *files; /* file transfers being reported (confab-cli-transfer.c) */
  int       local_port;
  gboolean  json;
  gboolean  verbose;

  gint64    started_us;
} CliContext;

int            confab_cli_register   (CliContext  *cli,
                                      int          argc,
                                      char       **argv);
int            confab_cli_accounts   (CliContext  *cli,
                                      int          argc,
                                      char       **argv);
int            confab_cli_call       (CliContext  *cli,
                                      int          argc,
                                      char       **argv);
int            confab_cli_listen     (CliContext  *cli,
                                      int          argc,
                                      char       **argv);

/* Chat (confab-cli-chat.c) */
typedef struct _CliChatInput CliChatInput;
typedef gboolean (*CliChatCommand) (gpointer    user_data,
                                    const char *line);

int            confab_cli_chat       (CliContext  *cli,
                                      int          argc,
                                      char       **argv);
void           cli_chat_watch_session (CliContext    *cli,
                                       ConfabSession *session);
CliChatInput  *cli_chat_input_new    (CliContext    *cli,
                                      ConfabSession *session,
                                      guint          typing_ms,
                                      guint          expect,
                                      void         (*done) (gpointer user_data,
                                                            int      status),
                                      gpointer       done_data);
void           cli_chat_input_free   (CliChatInput  *input);
/* Lines starting with '/' go to @command first; it returns TRUE when it
 * took the line (otherwise the line is sent as a message). */
void           cli_chat_input_set_command (CliChatInput   *input,
                                           CliChatCommand  command,
                                           gpointer        user_data);
/* A private message in a room (CPIM To: @to_uri), tracked like the others. */
void           cli_chat_input_send_private (CliChatInput *input,
                                            const char   *to_uri,
                                            const char   *text);

/* Conferences (confab-cli-conference.c) */
int            confab_cli_conference (CliContext  *cli,
                                      int          argc,
                                      char       **argv);

/* Page mode (confab-cli-message.c) */
int            confab_cli_message    (CliContext   *cli,
                                      int           argc,
                                      char        **argv);
/* Prints page-mode messages arriving while @owner lives (listen). */
void           cli_message_watch     (CliContext   *cli,
                                      ConfabEngine *engine,
                                      GObject      *owner);

/* File transfer: send-file, fetch-file (confab-cli-files.c); the
 * reports and listen's side (confab-cli-transfer.c). */
typedef struct _CliTransfer CliTransfer;

struct _CliFiles
{
  GPtrArray *transfers;       /* CliTransfer*, owned */
  GFile     *accept_dir;      /* listen --accept-files */
  GFile     *share_dir;       /* listen --share-files */
  gboolean   tty;             /* stderr is a terminal: the progress line is rewritten */
  gboolean   line_open;       /* a progress line without its newline is on stderr */
};

int            confab_cli_send_file  (CliContext  *cli,
                                      int          argc,
                                      char       **argv);
int            confab_cli_fetch_file (CliContext  *cli,
                                      int          argc,
                                      char       **argv);
CliFiles      *cli_files_get         (CliContext    *cli);
void           cli_files_watch_session (CliContext    *cli,
                                        ConfabSession *session);
/* listen --accept-files / --share-files; FALSE (reported) for a bad folder. */
gboolean       cli_files_listen_setup (CliContext           *cli,
                                       ConfabSessionManager *manager,
                                       const char           *accept_dir,
                                       const char           *share_dir);
/* Whether @session is an incoming file transfer; if so it is accepted or
 * declined as the listen options say. */
gboolean       cli_files_answer      (CliContext    *cli,
                                      ConfabSession *session);
void           cli_files_cancel_all  (CliContext    *cli);
void           cli_files_clear       (CliContext    *cli);
CliTransfer   *cli_transfer_expect   (CliContext                  *cli,
                                      ConfabSession               *session,
                                      ConfabFileTransferDirection  direction,
                                      gboolean                     pull,
                                      const char                  *name,
                                      gboolean                     has_total,
                                      guint64                      total,
                                      void                       (*on_settled) (CliTransfer *transfer,
                                                                                gpointer     user_data),
                                      gpointer                     user_data);
int            cli_transfer_get_exit_code (CliTransfer *transfer);
gboolean       cli_transfer_is_ringing    (CliTransfer *transfer);
void           cli_transfer_give_up       (CliTransfer *transfer,
                                           const char  *reason,
                                           int          exit_code);
void           cli_transfer_cancel        (CliTransfer *transfer);

/* Output: human lines, or one JSON object a line with --json. */
void           cli_emit              (CliContext  *cli,
                                      JsonBuilder *event,
                                      const char  *human_format,
                                      ...) G_GNUC_PRINTF (3, 4);
JsonBuilder   *cli_event_begin       (const char  *event);
void           cli_error             (CliContext  *cli,
                                      const char  *format,
                                      ...) G_GNUC_PRINTF (2, 3);
int            cli_exit_code_for_error (const GError *error);

/* The SIP engine with --bind applied; reports its own failure. */
ConfabEngine         *cli_open_engine   (CliContext  *cli);

/* Account resolution shared by the commands. */
ConfabAccountManager *cli_open_manager  (CliContext  *cli,
                                         ConfabEngine *engine,
                                         GError     **error);
ConfabAccount        *cli_resolve_account (CliContext           *cli,
                                           ConfabAccountManager *manager,
                                           GError              **error);
/* --msrp-transport is tls or tcp (else a usage error, reported). */
gboolean              cli_check_msrp_transport (CliContext *cli);
/* MSRP options, and chat messages and transfers into the history unless
 * --no-history. */
void                  cli_setup_session_manager (CliContext            *cli,
                                                 ConfabSessionManager  *manager);
/* --account (with the store it came from in @accounts), else the local
 * account on --local-port. */
ConfabAccount        *cli_open_account  (CliContext            *cli,
                                         ConfabEngine          *engine,
                                         ConfabAccountManager **accounts,
                                         GError               **error);

G_END_DECLS
