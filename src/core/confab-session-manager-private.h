/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab-session-manager.h"
#include "confab-session-private.h"
#include "msrp/confab-msrp-endpoint.h"

G_BEGIN_DECLS

struct _ConfabSessionManager
{
  GObject       parent_instance;

  ConfabEngine *engine;
  GListStore   *sessions;
  guint         next_id;
  char         *audio_codecs;
  int           srtp_mode;
  char         *play_wav;
  char         *record_wav;
  guint         n_recordings;
  gboolean      ice_offer;
  gboolean      ice_accept;
  ConfabIceServers *ice_servers;
  char         *input_device;    /* ConfabAudioDevice ids; NULL: default */
  char         *output_device;
  gboolean      echo_cancel;
  /* MSRP (confab-session-manager-chat.c) */
  ConfabMsrpEndpoint *msrp_endpoint;
  gboolean      msrp_tls;
  char         *msrp_relay;
  char         *msrp_ca_file;
  ConfabHistory *history;
  /* File transfer (confab-session-manager-files.c) */
  GFile        *download_directory;
  ConfabFileProvider file_provider;
  gpointer      file_provider_data;
  GDestroyNotify file_provider_destroy;
};

/* confab-session-manager.c */
void          _confab_session_manager_add_session   (ConfabSessionManager *self,
                                                     ConfabSession        *session);
char         *_confab_session_manager_next_id       (ConfabSessionManager *self);
char         *_confab_session_manager_media_address (ConfabSessionManager *self);
ConfabStream *_confab_session_manager_stream_for_offer (ConfabSession        *session,
                                                        const ConfabSdpMedia *offer,
                                                        GListModel           *streams,
                                                        gpointer              user_data);

ConfabStream *_confab_session_manager_create_audio_stream (ConfabSessionManager *self);
/* confab-session-manager-conference.c: a session with a focus gets its
 * ConfabConference once established; it leaves the room when it ends. */
void          _confab_session_manager_conference_state (ConfabSessionManager *self,
                                                        ConfabSession        *session);
/* confab-session-manager-chat.c */
/* An outgoing session with @streams to @target (normalised): the streams
 * get their identities and relay, then the INVITE goes. */
ConfabSession *_confab_session_manager_invite (ConfabSessionManager  *self,
                                               ConfabAccount         *account,
                                               const char            *target,
                                               GPtrArray             *streams,
                                               GError               **error);
ConfabStream *_confab_session_manager_create_chat_stream (ConfabSessionManager *self,
                                                          ConfabSession        *session);
void          _confab_session_manager_watch_streams (ConfabSessionManager *self,
                                                     ConfabSession        *session);
void          _confab_session_manager_clear_msrp    (ConfabSessionManager *self);
ConfabMsrpEndpoint *_confab_session_manager_get_msrp_endpoint (ConfabSessionManager *self);
/* The account's relay (and credentials) for an MSRP stream of @session. */
void          _confab_session_manager_setup_msrp_stream (ConfabSessionManager *self,
                                                         ConfabSession        *session,
                                                         ConfabMsrpStream     *stream);

/* confab-session-manager-files.c */
ConfabStream *_confab_session_manager_create_file_stream (ConfabSessionManager *self,
                                                          ConfabSession        *session);
void          _confab_session_manager_watch_file_stream  (ConfabSessionManager     *self,
                                                          ConfabSession            *session,
                                                          ConfabFileTransferStream *stream);
void          _confab_session_manager_clear_files   (ConfabSessionManager *self);

G_END_DECLS
