/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "confab-account.h"
#include "confab-engine.h"
#include "confab-session.h"
#include "transfer/confab-file-transfer-stream.h"
#include "im/confab-history.h"
#include "media/confab-ice.h"

G_BEGIN_DECLS

/* The live sessions of every account, as a GListModel of ConfabSession.
 * "session-added" fires for each new one (incoming: ringing, waiting for
 * confab_session_accept()). */
#define CONFAB_TYPE_SESSION_MANAGER (confab_session_manager_get_type ())
G_DECLARE_FINAL_TYPE (ConfabSessionManager, confab_session_manager, CONFAB, SESSION_MANAGER,
                      GObject)

ConfabSessionManager *confab_session_manager_new        (ConfabEngine         *engine);
ConfabSession        *confab_session_manager_call       (ConfabSessionManager *self,
                                                         ConfabAccount        *account,
                                                         const char           *uri,
                                                         GError              **error);
/* A chat-only session (m=message over MSRP). */
ConfabSession        *confab_session_manager_chat       (ConfabSessionManager *self,
                                                         ConfabAccount        *account,
                                                         const char           *uri,
                                                         GError              **error);
/* Adds a chat stream to a running session by re-INVITE. */
gboolean              confab_session_manager_add_chat   (ConfabSessionManager *self,
                                                         ConfabSession        *session,
                                                         GError              **error);
/* File transfer (RFC 5547; confab-session-manager-files.c). Sending
 * hashes the file first, then offers it in a session of its own (the
 * session's ConfabFileTransferStream shows progress). */
ConfabSession        *confab_session_manager_send_file  (ConfabSessionManager *self,
                                                         ConfabAccount        *account,
                                                         const char           *uri,
                                                         GFile                *file,
                                                         GError              **error);
/* Pull: asks @uri for the file @wanted names (hash and name), saved in
 * the download directory. */
ConfabSession        *confab_session_manager_fetch_file (ConfabSessionManager     *self,
                                                         ConfabAccount            *account,
                                                         const char               *uri,
                                                         const ConfabFileSelector *wanted,
                                                         GError                  **error);
/* Offers @file inside a running session (re-INVITE with one more line). */
gboolean              confab_session_manager_add_file   (ConfabSessionManager *self,
                                                         ConfabSession        *session,
                                                         GFile                *file,
                                                         GError              **error);
/* Where incoming files go (NULL: the XDG download folder). */
void                  confab_session_manager_set_download_directory (ConfabSessionManager *self,
                                                                     GFile                *directory);
GFile                *confab_session_manager_get_download_directory (ConfabSessionManager *self);
/* Who answers pulls (a peer asking for a file by hash); none: refused. */
void                  confab_session_manager_set_file_provider (ConfabSessionManager *self,
                                                                ConfabFileProvider    provider,
                                                                gpointer              user_data,
                                                                GDestroyNotify        destroy);
/* Whether every live stream of @session is a file transfer (an incoming
 * one is a file offer to accept or decline). */
gboolean              confab_session_is_file_transfer   (ConfabSession        *session);

/* Conferences (confab-session-manager-conference.c). What to bring into
 * a room. */
typedef enum
{
  CONFAB_CONFERENCE_MEDIA_AUDIO = 1 << 0,
  CONFAB_CONFERENCE_MEDIA_CHAT  = 1 << 1,
} ConfabConferenceMedia;

/* INVITEs the room @room_uri with audio and/or chat; once the session is
 * up and the peer turns out to be a focus, confab_session_get_conference()
 * gives the room and its participants (subscribed to Event: conference). */
ConfabSession        *confab_session_manager_join_conference  (ConfabSessionManager  *self,
                                                               ConfabAccount         *account,
                                                               const char            *room_uri,
                                                               ConfabConferenceMedia  media,
                                                               GError               **error);
/* Subscribes to a room's participants without joining it. The caller owns
 * the result; confab_conference_leave() un-SUBSCRIBEs. */
ConfabConference     *confab_session_manager_watch_conference (ConfabSessionManager  *self,
                                                               ConfabAccount         *account,
                                                               const char            *room_uri,
                                                               GError               **error);
/* A fresh ad-hoc room at the account's conference server (the account's
 * "conference-server" setting, else conference.DOMAIN). */
char                 *confab_session_manager_new_room_uri     (ConfabSessionManager  *self,
                                                               ConfabAccount         *account);
/* Chat messages of every session go into @history (NULL: none). */
void                  confab_session_manager_set_history (ConfabSessionManager *self,
                                                          ConfabHistory        *history);
ConfabHistory        *confab_session_manager_get_history (ConfabSessionManager *self);
/* MSRP settings: TLS (default) or TCP, relay, extra CA. */
void                  confab_session_manager_set_msrp   (ConfabSessionManager *self,
                                                         gboolean              tls,
                                                         const char           *relay,
                                                         const char           *ca_file);
ConfabSession        *confab_session_manager_find       (ConfabSessionManager *self,
                                                         const char           *id);
void                  confab_session_manager_hangup_all (ConfabSessionManager *self);

/* Audio settings for new sessions. */
void                  confab_session_manager_set_audio_codecs (ConfabSessionManager *self,
                                                               const char           *codecs);
void                  confab_session_manager_set_srtp_mode    (ConfabSessionManager *self,
                                                               int                   mode);
void                  confab_session_manager_set_audio_files  (ConfabSessionManager *self,
                                                               const char           *play_wav,
                                                               const char           *record_wav);
void                  confab_session_manager_set_ice          (ConfabSessionManager   *self,
                                                               gboolean                offer,
                                                               gboolean                accept,
                                                               const ConfabIceServers *servers);
void                  confab_session_manager_get_ice          (ConfabSessionManager    *self,
                                                               gboolean                *offer,
                                                               gboolean                *accept,
                                                               const ConfabIceServers **servers);
void                  confab_session_manager_set_audio_devices (ConfabSessionManager *self,
                                                                const char           *input_device,
                                                                const char           *output_device);
const char           *confab_session_manager_get_audio_input_device  (ConfabSessionManager *self);
const char           *confab_session_manager_get_audio_output_device (ConfabSessionManager *self);
void                  confab_session_manager_set_echo_cancel  (ConfabSessionManager *self,
                                                               gboolean              echo_cancel);
gboolean              confab_session_manager_get_echo_cancel  (ConfabSessionManager *self);

G_END_DECLS
