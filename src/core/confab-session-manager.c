/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabSessionManager"

#include "config.h"

#include "confab-session-manager.h"
#include "confab-session-manager-private.h"
#include "conference/confab-conference-sip-private.h"
#include "confab-account-private.h"
#include "confab-audio-stream.h"
#include "confab-error.h"
#include "confab-local-address.h"
#include "confab-session-private.h"
#include "im/confab-chat-stream.h"
#include "msrp/confab-msrp-sdp.h"
#include "confab-uri.h"

#include <glib/gi18n-lib.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>


static void confab_session_manager_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ConfabSessionManager, confab_session_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      confab_session_manager_list_model_init))

enum {
  SIGNAL_SESSION_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GType
get_item_type (GListModel *model)
{
  return CONFAB_TYPE_SESSION;
}

static guint
get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (G_LIST_MODEL (CONFAB_SESSION_MANAGER (model)->sessions));
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  return g_list_model_get_item (G_LIST_MODEL (CONFAB_SESSION_MANAGER (model)->sessions), position);
}

static void
confab_session_manager_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
on_items_changed (GListModel           *model,
                  guint                 position,
                  guint                 removed,
                  guint                 added,
                  ConfabSessionManager *self)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

char *
_confab_session_manager_next_id (ConfabSessionManager *self)
{
  return g_strdup_printf ("c%u", ++self->next_id);
}

char *
_confab_session_manager_media_address (ConfabSessionManager *self)
{
  return confab_local_address_pick (confab_engine_get_bind_address (self->engine));
}

/* The first call records to the file as given, later ones (another call at
 * the same time, a transfer) to "NAME-2.wav", "NAME-3.wav"… beside it. */
static char *
next_recording_path (ConfabSessionManager *self)
{
  const char *dot;

  if (!self->record_wav)
    return NULL;
  if (++self->n_recordings == 1)
    return g_strdup (self->record_wav);
  dot = strrchr (self->record_wav, '.');
  if (!dot || strchr (dot, G_DIR_SEPARATOR))
    return g_strdup_printf ("%s-%u", self->record_wav, self->n_recordings);
  return g_strdup_printf ("%.*s-%u%s", (int) (dot - self->record_wav), self->record_wav,
                          self->n_recordings, dot);
}

ConfabStream *
_confab_session_manager_create_audio_stream (ConfabSessionManager *self)
{
  ConfabAudioStream *stream = confab_audio_stream_new (confab_engine_get_bind_address (self->engine));
  g_autofree char *record = next_recording_path (self);

  confab_audio_stream_set_codecs (stream, self->audio_codecs);
  confab_audio_stream_set_srtp_mode (stream, self->srtp_mode);
  confab_audio_stream_set_files (stream, self->play_wav, record);
  confab_audio_stream_set_ice (stream, self->ice_offer, self->ice_accept, self->ice_servers);
  confab_audio_stream_set_devices (stream, self->input_device, self->output_device);
  confab_audio_stream_set_echo_cancel (stream, self->echo_cancel);
  return CONFAB_STREAM (stream);
}

static gboolean
has_stream_of_type (GListModel *streams,
                    GType       type)
{
  guint n = g_list_model_get_n_items (streams);

  for (guint i = 0; i < n; i++) {
    g_autoptr (GObject) stream = g_list_model_get_item (streams, i);

    if (G_TYPE_CHECK_INSTANCE_TYPE (stream, type))
      return TRUE;
  }
  return FALSE;
}

/* One audio stream a call: further audio m-lines (up to the SDP parser's
 * bound) are declined rather than each opening RTP ports. */
ConfabStream *
_confab_session_manager_stream_for_offer (ConfabSession        *session,
                                          const ConfabSdpMedia *offer,
                                          GListModel           *streams,
                                          gpointer              user_data)
{
  ConfabSessionManager *self = user_data;

  if ((!offer || g_strcmp0 (offer->media, "audio") == 0) &&
      !has_stream_of_type (streams, CONFAB_TYPE_AUDIO_STREAM))
    return _confab_session_manager_create_audio_stream (self);
  /* Chat: an MSRP message line that is not a file transfer (RFC 5547). */
  if (offer && g_strcmp0 (offer->media, "message") == 0 && confab_msrp_sdp_is_msrp (offer) &&
      !confab_sdp_media_has_attribute (offer, "file-selector") &&
      !has_stream_of_type (streams, CONFAB_TYPE_CHAT_STREAM))
    return _confab_session_manager_create_chat_stream (self, session);
  /* File transfer (RFC 5547): any number, one per file. */
  if (offer && g_strcmp0 (offer->media, "message") == 0 && confab_msrp_sdp_is_msrp (offer) &&
      confab_sdp_media_has_attribute (offer, "file-selector"))
    return _confab_session_manager_create_file_stream (self, session);
  /* Screen sharing streams plug in here. */
  return NULL;
}

static ConfabSession *call_uri (ConfabSessionManager  *self,
                                ConfabAccount         *account,
                                const char            *uri,
                                ConfabSession         *referrer,
                                GError               **error);

/* Only one call is heard at a time: resuming one holds the others. */
static void
on_session_local_hold (ConfabSession        *session,
                       GParamSpec           *pspec,
                       ConfabSessionManager *self)
{
  guint n;

  if (confab_session_get_local_hold (session) ||
      confab_session_get_state (session) != CONFAB_SESSION_STATE_ESTABLISHED)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabSession) other = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);

    if (other != session && confab_session_get_state (other) == CONFAB_SESSION_STATE_ESTABLISHED &&
        !confab_session_get_local_hold (other))
      confab_session_set_hold (other, TRUE, NULL);
  }
}

static void
on_session_state (ConfabSession        *session,
                  GParamSpec           *pspec,
                  ConfabSessionManager *self)
{
  guint position;

  _confab_session_manager_conference_state (self, session);
  if (confab_session_get_state (session) != CONFAB_SESSION_STATE_TERMINATED)
    return;
  if (g_list_store_find (self->sessions, session, &position))
    g_list_store_remove (self->sessions, position);
}

/* A transfer call that never got through: the call it replaced (held when
 * it started) is taken off hold again. */
static void
on_transfer_call_state (ConfabSession *call,
                        GParamSpec    *pspec,
                        GWeakRef      *transferor_ref)
{
  g_autoptr (ConfabSession) transferor = g_weak_ref_get (transferor_ref);

  if (confab_session_get_state (call) != CONFAB_SESSION_STATE_TERMINATED)
    return;
  g_signal_handlers_disconnect_by_func (call, on_transfer_call_state, transferor_ref);
  if (transferor && confab_session_get_established_time (call) == 0 &&
      confab_session_get_state (transferor) == CONFAB_SESSION_STATE_ESTABLISHED &&
      confab_session_get_local_hold (transferor)) {
    g_info ("Transfer call failed; resuming %s", confab_session_get_id (transferor));
    confab_session_set_hold (transferor, FALSE, NULL);
  }
}

static void
free_weak_ref (gpointer  data,
               GClosure *closure)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
on_transfer_requested (ConfabSession        *session,
                       const char           *target,
                       ConfabSessionManager *self)
{
  g_autoptr (GError) error = NULL;
  ConfabSession *call;
  GWeakRef *transferor_ref;

  /* Blind transfer (RFC 3515): call the target; sofia NOTIFYs the
   * transferor of its progress, and the transferor hangs up the old leg
   * once it reads a 2xx. */
  call = call_uri (self, confab_session_get_account (session), target, session, &error);
  if (!call) {
    g_warning ("Transfer to %s failed: %s", target, error->message);
    return;
  }
  transferor_ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (transferor_ref, session);
  g_signal_connect_data (call, "notify::state", G_CALLBACK (on_transfer_call_state),
                         transferor_ref, free_weak_ref, 0);
}

void
_confab_session_manager_add_session (ConfabSessionManager *self,
                                     ConfabSession        *session)
{
  _confab_session_set_stream_factory (session, _confab_session_manager_stream_for_offer, self);
  _confab_session_manager_watch_streams (self, session);
  g_signal_connect_object (session, "notify::state", G_CALLBACK (on_session_state), self, 0);
  g_signal_connect_object (session, "transfer-requested", G_CALLBACK (on_transfer_requested),
                           self, 0);
  g_signal_connect_object (session, "notify::local-hold", G_CALLBACK (on_session_local_hold),
                           self, 0);
  g_list_store_append (self->sessions, session);
  g_signal_emit (self, signals[SIGNAL_SESSION_ADDED], 0, session);
}

static gboolean
on_call_event (ConfabAccount *account,
               nua_event_t    event,
               int            status,
               const char    *phrase,
               nua_t         *nua,
               nua_handle_t  *nh,
               const sip_t   *sip,
               tagi_t         tags[],
               gpointer       user_data)
{
  ConfabSessionManager *self = user_data;
  ConfabSession *session = nh ? nua_handle_magic (nh) : NULL;

  /* A conference's SUBSCRIBE dialog or one of its REFERs. */
  if (session && CONFAB_IS_CONFERENCE (session))
    return _confab_conference_handle_event (CONFAB_CONFERENCE (session), event, status, phrase,
                                            nh, sip, tags);
  if (session && CONFAB_IS_SESSION (session)) {
    _confab_session_handle_event (session, event, status, phrase, nh, sip, tags);
    return TRUE;
  }

  if (event == nua_i_invite) {
    g_autoptr (GError) error = NULL;
    g_autofree char *id = _confab_session_manager_next_id (self);
    g_autofree char *address = _confab_session_manager_media_address (self);
    int reject_status = 488;
    guint n_recordings = self->n_recordings;
    g_autoptr (ConfabSession) incoming = NULL;

    incoming = _confab_session_new_incoming (id, account, nh, sip, address, _confab_session_manager_stream_for_offer,
                                             self, &reject_status, &error);
    if (!incoming) {
      /* A refused call records nothing: the next one gets its file name. */
      self->n_recordings = n_recordings;
      g_info ("Incoming call refused (%d): %s", reject_status, error ? error->message : "");
      nua_respond (nh, reject_status,
                   reject_status == 400 ? "Bad Session Description"
                                        : sip_status_phrase (reject_status),
                   SIPTAG_WARNING_STR (reject_status == 400
                                       ? "399 confab \"Malformed session description\""
                                       : reject_status == 488
                                       ? "399 confab \"No acceptable media\"" : NULL),
                   TAG_IF (reject_status == 415, SIPTAG_ACCEPT_STR ("application/sdp")),
                   TAG_END ());
      return TRUE;
    }
    _confab_session_manager_add_session (self, incoming);
    return TRUE;
  }

  if (event == nua_i_terminated || event == nua_i_state) {
    int callstate = nua_callstate_init;

    tl_gets (tags, NUTAG_CALLSTATE_REF (callstate), TAG_END ());
    /* A handle of a refused call: ours to free once sofia is done with it. */
    if (nh && (event == nua_i_terminated || callstate == nua_callstate_terminated))
      nua_handle_destroy (nh);
    return TRUE;
  }
  return FALSE;
}

static void
confab_session_manager_dispose (GObject *object)
{
  ConfabSessionManager *self = CONFAB_SESSION_MANAGER (object);

  if (self->engine)
    _confab_engine_set_call_handler (self->engine, NULL, NULL);
  if (self->sessions)
    confab_session_manager_hangup_all (self);
  g_clear_object (&self->sessions);
  _confab_session_manager_clear_files (self);
  _confab_session_manager_clear_msrp (self);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (confab_session_manager_parent_class)->dispose (object);
}

static void
confab_session_manager_finalize (GObject *object)
{
  ConfabSessionManager *self = CONFAB_SESSION_MANAGER (object);

  g_free (self->audio_codecs);
  g_free (self->play_wav);
  g_free (self->record_wav);
  confab_ice_servers_free (self->ice_servers);
  g_free (self->input_device);
  g_free (self->output_device);

  G_OBJECT_CLASS (confab_session_manager_parent_class)->finalize (object);
}

static void
confab_session_manager_class_init (ConfabSessionManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = confab_session_manager_dispose;
  object_class->finalize = confab_session_manager_finalize;

  signals[SIGNAL_SESSION_ADDED] =
    g_signal_new ("session-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, CONFAB_TYPE_SESSION);
}

static void
confab_session_manager_init (ConfabSessionManager *self)
{
  self->sessions = g_list_store_new (CONFAB_TYPE_SESSION);
  self->srtp_mode = CONFAB_SRTP_MODE_OFFER;
  self->ice_accept = TRUE;
  self->echo_cancel = TRUE;
  self->msrp_tls = TRUE;
  g_signal_connect (self->sessions, "items-changed", G_CALLBACK (on_items_changed), self);
}

ConfabSessionManager *
confab_session_manager_new (ConfabEngine *engine)
{
  ConfabSessionManager *self;

  g_return_val_if_fail (CONFAB_IS_ENGINE (engine), NULL);

  self = g_object_new (CONFAB_TYPE_SESSION_MANAGER, NULL);
  self->engine = g_object_ref (engine);
  _confab_engine_set_call_handler (engine, on_call_event, self);
  return self;
}

static ConfabSession *
call_uri (ConfabSessionManager  *self,
          ConfabAccount         *account,
          const char            *uri,
          ConfabSession         *referrer,
          GError               **error)
{
  g_autoptr (GPtrArray) streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (ConfabSession) session = NULL;
  g_autofree char *target = NULL;
  g_autofree char *id = NULL;
  g_autofree char *address = NULL;
  guint n;

  target = confab_uri_normalize (uri, NULL);
  if (!target) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_INVALID, _("“%s” is not an address"), uri);
    return NULL;
  }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabSession) other = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);

    if (confab_session_get_state (other) == CONFAB_SESSION_STATE_ESTABLISHED)
      confab_session_set_hold (other, TRUE, NULL);
  }

  id = _confab_session_manager_next_id (self);
  address = _confab_session_manager_media_address (self);
  g_ptr_array_add (streams, _confab_session_manager_create_audio_stream (self));
  session = _confab_session_new_outgoing (id, account, target, streams, address);
  if (!_confab_session_send_invite (session, referrer, error))
    return NULL;
  _confab_session_manager_add_session (self, session);
  return session;
}

/**
 * confab_session_manager_call:
 * @uri: whom to call (normalised: "bob@example.org" works)
 *
 * Starts an audio call. Other established calls are put on hold.
 *
 * Returns: (transfer none): the session
 */
ConfabSession *
confab_session_manager_call (ConfabSessionManager  *self,
                             ConfabAccount         *account,
                             const char            *uri,
                             GError               **error)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  g_return_val_if_fail (CONFAB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (uri != NULL, NULL);

  return call_uri (self, account, uri, NULL, error);
}

/**
 * confab_session_manager_find:
 *
 * Returns: (transfer none) (nullable): the session with @id
 */
ConfabSession *
confab_session_manager_find (ConfabSessionManager *self,
                             const char           *id)
{
  guint n;

  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));
  for (guint i = 0; i < n; i++) {
    g_autoptr (ConfabSession) session = g_list_model_get_item (G_LIST_MODEL (self->sessions), i);

    if (g_strcmp0 (confab_session_get_id (session), id) == 0)
      return session;
  }
  return NULL;
}

void
confab_session_manager_hangup_all (ConfabSessionManager *self)
{
  g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->sessions));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (all, g_list_model_get_item (G_LIST_MODEL (self->sessions), i));
  for (guint i = 0; i < all->len; i++)
    confab_session_hangup (g_ptr_array_index (all, i));
}

void
confab_session_manager_set_audio_codecs (ConfabSessionManager *self,
                                         const char           *codecs)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  g_free (self->audio_codecs);
  self->audio_codecs = g_strdup (codecs);
}

void
confab_session_manager_set_srtp_mode (ConfabSessionManager *self,
                                      int                   mode)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  self->srtp_mode = mode;
}

/**
 * confab_session_manager_set_audio_files:
 * @play_wav: (nullable): a WAV file played as the microphone
 * @record_wav: (nullable): where to write what the peer says
 *
 * Headless audio for the CLI and tests; %NULL uses the sound devices.
 */
void
confab_session_manager_set_audio_files (ConfabSessionManager *self,
                                        const char           *play_wav,
                                        const char           *record_wav)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  g_free (self->play_wav);
  g_free (self->record_wav);
  self->play_wav = g_strdup (play_wav);
  self->record_wav = g_strdup (record_wav);
}

/**
 * confab_session_manager_set_ice:
 * @offer: whether calls we make offer ICE
 * @accept: whether calls offered to us with ICE are answered with it (by
 *   default they are)
 * @servers: (nullable): STUN and TURN servers
 */
void
confab_session_manager_set_ice (ConfabSessionManager   *self,
                                gboolean                offer,
                                gboolean                accept,
                                const ConfabIceServers *servers)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  self->ice_offer = offer;
  self->ice_accept = accept;
  confab_ice_servers_free (self->ice_servers);
  self->ice_servers = servers ? confab_ice_servers_copy (servers) : NULL;
}

/**
 * confab_session_manager_get_ice:
 * @offer: (out) (optional): whether calls we make offer ICE
 * @accept: (out) (optional): whether ICE offers are answered with ICE
 * @servers: (out) (optional) (transfer none) (nullable): STUN and TURN
 *   servers
 */
void
confab_session_manager_get_ice (ConfabSessionManager    *self,
                                gboolean                *offer,
                                gboolean                *accept,
                                const ConfabIceServers **servers)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  if (offer)
    *offer = self->ice_offer;
  if (accept)
    *accept = self->ice_accept;
  if (servers)
    *servers = self->ice_servers;
}

/**
 * confab_session_manager_set_audio_devices:
 * @input_device: (nullable): the microphone's ConfabAudioDevice id
 * @output_device: (nullable): the speaker's
 *
 * For new calls; %NULL or "", or a device not connected when the call
 * starts, means the system default.
 */
void
confab_session_manager_set_audio_devices (ConfabSessionManager *self,
                                          const char           *input_device,
                                          const char           *output_device)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  g_free (self->input_device);
  g_free (self->output_device);
  self->input_device = input_device && *input_device ? g_strdup (input_device) : NULL;
  self->output_device = output_device && *output_device ? g_strdup (output_device) : NULL;
}

/**
 * confab_session_manager_get_audio_input_device:
 *
 * Returns: (nullable): the microphone for new calls; %NULL: the default
 */
const char *
confab_session_manager_get_audio_input_device (ConfabSessionManager *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  return self->input_device;
}

/**
 * confab_session_manager_get_audio_output_device:
 *
 * Returns: (nullable): the speaker for new calls; %NULL: the default
 */
const char *
confab_session_manager_get_audio_output_device (ConfabSessionManager *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), NULL);
  return self->output_device;
}

/* Echo cancellation and noise suppression in new calls; on by default. */
void
confab_session_manager_set_echo_cancel (ConfabSessionManager *self,
                                        gboolean              echo_cancel)
{
  g_return_if_fail (CONFAB_IS_SESSION_MANAGER (self));
  self->echo_cancel = !!echo_cancel;
}

gboolean
confab_session_manager_get_echo_cancel (ConfabSessionManager *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_MANAGER (self), TRUE);
  return self->echo_cancel;
}
