/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabFileTransfer"

#include "config.h"

#include "transfer/confab-file-transfer-stream-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

#include <unistd.h>

G_DEFINE_FINAL_TYPE (ConfabFileTransferStream, confab_file_transfer_stream,
                     CONFAB_TYPE_MSRP_STREAM)

GParamSpec *_confab_file_transfer_props[CONFAB_FILE_TRANSFER_N_PROPS];
#define props _confab_file_transfer_props

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define TICK_MS 250

const char *
confab_file_transfer_state_to_string (ConfabFileTransferState state)
{
  switch (state) {
  case CONFAB_FILE_TRANSFER_STATE_NEW:
    return "new";
  case CONFAB_FILE_TRANSFER_STATE_HASHING:
    return "hashing";
  case CONFAB_FILE_TRANSFER_STATE_WAITING:
    return "waiting";
  case CONFAB_FILE_TRANSFER_STATE_TRANSFERRING:
    return "transferring";
  case CONFAB_FILE_TRANSFER_STATE_VERIFYING:
    return "verifying";
  case CONFAB_FILE_TRANSFER_STATE_COMPLETED:
    return "completed";
  case CONFAB_FILE_TRANSFER_STATE_FAILED:
    return "failed";
  case CONFAB_FILE_TRANSFER_STATE_CANCELLED:
    return "cancelled";
  default:
    return "unknown";
  }
}

gboolean
_confab_file_transfer_is_over (ConfabFileTransferStream *self)
{
  return self->state >= CONFAB_FILE_TRANSFER_STATE_COMPLETED;
}

/* Rate over the last ticks (smoothed), ETA from it; bytes notified here
 * rather than per chunk. */
static gboolean
on_tick (gpointer user_data)
{
  ConfabFileTransferStream *self = user_data;
  gint64 now = g_get_monotonic_time ();

  if (self->state == CONFAB_FILE_TRANSFER_STATE_HASHING ||
      self->state == CONFAB_FILE_TRANSFER_STATE_VERIFYING) {
    guint64 done = __atomic_load_n (&self->hash_done, __ATOMIC_RELAXED);
    double progress = self->hash_total ? (double) done / (double) self->hash_total : 0.0;

    if (progress != self->hash_progress) {
      self->hash_progress = MIN (progress, 1.0);
      g_object_notify_by_pspec (G_OBJECT (self),
                                props[CONFAB_FILE_TRANSFER_PROP_HASH_PROGRESS]);
    }
    return G_SOURCE_CONTINUE;
  }
  if (self->state != CONFAB_FILE_TRANSFER_STATE_TRANSFERRING)
    return G_SOURCE_CONTINUE;
  if (self->rate_time > 0 && now > self->rate_time) {
    double sample = (double) (self->bytes - self->rate_bytes) * G_USEC_PER_SEC /
                    (double) (now - self->rate_time);

    self->rate = self->rate > 0 ? 0.7 * self->rate + 0.3 * sample : sample;
    self->eta = self->rate >= 1.0 && self->has_size && self->size >= self->bytes
                  ? (gint64) ((double) (self->size - self->bytes) / self->rate + 0.5)
                  : -1;
    g_object_notify_by_pspec (G_OBJECT (self), props[CONFAB_FILE_TRANSFER_PROP_RATE]);
    g_object_notify_by_pspec (G_OBJECT (self), props[CONFAB_FILE_TRANSFER_PROP_ETA]);
  }
  self->rate_bytes = self->bytes;
  self->rate_time = now;
  g_object_notify_by_pspec (G_OBJECT (self), props[CONFAB_FILE_TRANSFER_PROP_BYTES]);
  return G_SOURCE_CONTINUE;
}

void
_confab_file_transfer_progress (ConfabFileTransferStream *self)
{
  if (!self->tick_id)
    self->tick_id = g_timeout_add (TICK_MS, on_tick, self);
}

void
_confab_file_transfer_set_state (ConfabFileTransferStream *self,
                                 ConfabFileTransferState   state,
                                 const char               *error_message)
{
  gboolean over;

  if (self->state == state || _confab_file_transfer_is_over (self))
    return;
  g_debug ("%s: %s → %s%s%s", self->local.selector.name ? self->local.selector.name : "file",
           confab_file_transfer_state_to_string (self->state),
           confab_file_transfer_state_to_string (state), error_message ? ": " : "",
           error_message ? error_message : "");
  self->state = state;
  over = _confab_file_transfer_is_over (self);
  if (error_message) {
    g_free (self->error_message);
    self->error_message = g_strdup (error_message);
    g_object_notify_by_pspec (G_OBJECT (self), props[CONFAB_FILE_TRANSFER_PROP_ERROR_MESSAGE]);
  }
  if (state == CONFAB_FILE_TRANSFER_STATE_TRANSFERRING) {
    self->rate_time = g_get_monotonic_time ();
    self->rate_bytes = self->bytes;
  }
  if (over || state == CONFAB_FILE_TRANSFER_STATE_HASHING ||
      state == CONFAB_FILE_TRANSFER_STATE_VERIFYING ||
      state == CONFAB_FILE_TRANSFER_STATE_TRANSFERRING) {
    self->hash_progress = 0;
    __atomic_store_n (&self->hash_done, 0, __ATOMIC_RELAXED);
  }
  if (over) {
    g_clear_handle_id (&self->tick_id, g_source_remove);
    self->rate = 0;
    self->eta = state == CONFAB_FILE_TRANSFER_STATE_COMPLETED ? 0 : -1;
    _confab_file_transfer_close_file (self);
  } else {
    _confab_file_transfer_progress (self);
  }
  g_object_notify_by_pspec (G_OBJECT (self), props[CONFAB_FILE_TRANSFER_PROP_BYTES]);
  g_object_notify_by_pspec (G_OBJECT (self), props[CONFAB_FILE_TRANSFER_PROP_TRANSFER_STATE]);
  if (over)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

/* SDP */

static void
confab_file_transfer_stream_describe (ConfabMsrpStream *stream,
                                      ConfabSdpMedia   *media,
                                      gboolean          offer)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (stream);

  media->direction = self->direction == CONFAB_FILE_TRANSFER_OUTGOING
                       ? CONFAB_SDP_DIRECTION_SENDONLY
                       : CONFAB_SDP_DIRECTION_RECVONLY;
  confab_sdp_media_add_attribute (media, "accept-types", "*");
  confab_file_offer_write (&self->local, media);
}

/* The peer's offer tells what this stream is: a push to us (sendonly) or
 * a pull from us (recvonly). */
static gboolean
read_offer (ConfabFileTransferStream  *self,
            const ConfabSdpMedia      *media,
            GError                   **error)
{
  g_auto (ConfabFileOffer) offer = { 0 };

  if (!confab_file_offer_read (&offer, media, error))
    return FALSE;
  if (media->direction == CONFAB_SDP_DIRECTION_SENDONLY) {
    self->direction = CONFAB_FILE_TRANSFER_INCOMING;
    self->pull = FALSE;
  } else if (media->direction == CONFAB_SDP_DIRECTION_RECVONLY) {
    self->direction = CONFAB_FILE_TRANSFER_OUTGOING;
    self->pull = TRUE;
  } else {
    g_set_error (error, CONFAB_SDP_ERROR, CONFAB_SDP_ERROR_UNSUPPORTED,
                 _("A file transfer must be send-only or receive-only"));
    return FALSE;
  }
  confab_file_offer_clear (&self->remote);
  self->remote = offer;
  memset (&offer, 0, sizeof offer);
  self->has_remote = TRUE;
  return TRUE;
}

static gboolean
confab_file_transfer_stream_prepare (ConfabStream          *stream,
                                     const ConfabSdp       *sdp,
                                     const ConfabSdpMedia  *offer,
                                     GError               **error)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (stream);

  if (offer && !self->has_remote) {
    if (!read_offer (self, offer, error))
      return FALSE;
    /* What we answer mirrors the offer's file (RFC 5547 §8.2). */
    confab_file_offer_clear (&self->local);
    confab_file_selector_copy (&self->local.selector, &self->remote.selector);
    self->local.transfer_id = g_strdup (self->remote.transfer_id);
    self->local.disposition = g_strdup (self->remote.disposition);
    self->local.modification = self->remote.modification;
    self->local.x_file_offset = self->remote.x_file_offset;
    if (self->direction == CONFAB_FILE_TRANSFER_INCOMING) {
      self->has_size = self->remote.selector.has_size;
      self->size = self->remote.selector.size;
      _confab_file_transfer_find_part (self);
    } else {
      GFile *file = self->provider ? self->provider (&self->remote.selector, self->provider_data)
                                   : NULL;

      if (!file) {
        g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_REJECTED,
                     _("The file “%s” asked for is not available here"),
                     self->remote.selector.name ? self->remote.selector.name : "");
        return FALSE;
      }
      /* A pull from us: the file's hash is checked before we answer. */
      self->source = file;
      self->needs_hash = TRUE;
      self->local.has_range = self->remote.has_range;
      self->local.range_start = self->remote.range_start;
      self->local.range_stop = self->remote.range_stop;
    }
  }
  if (!CONFAB_STREAM_CLASS (confab_file_transfer_stream_parent_class)->prepare (stream, sdp, offer,
                                                                               error))
    return FALSE;
  if (self->source && self->state == CONFAB_FILE_TRANSFER_STATE_NEW)
    _confab_file_transfer_hash_source (self);
  return TRUE;
}

static gboolean
confab_file_transfer_stream_is_ready (ConfabStream *stream)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (stream);

  if (self->needs_hash && self->state <= CONFAB_FILE_TRANSFER_STATE_HASHING)
    return FALSE;
  return CONFAB_STREAM_CLASS (confab_file_transfer_stream_parent_class)->is_ready (stream);
}

static gboolean
confab_file_transfer_stream_read_remote (ConfabMsrpStream      *stream,
                                         const ConfabSdpMedia  *media,
                                         gboolean               offer,
                                         GError               **error)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (stream);
  g_auto (ConfabFileOffer) answer = { 0 };

  if (self->state == CONFAB_FILE_TRANSFER_STATE_FAILED) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED, "%s", self->error_message);
    return FALSE;
  }
  if (offer) {
    /* A re-offer of a running session repeats the line: keep ours. */
    if (!self->has_remote)
      return read_offer (self, media, error);
    return TRUE;
  }
  /* An answer may leave out the selector (it has to echo it, RFC 5547
   * §8.2); the sender of a pull fills in the size and type. */
  if (confab_sdp_media_has_attribute (media, "file-selector") &&
      confab_file_offer_read (&answer, media, NULL)) {
    if (self->direction == CONFAB_FILE_TRANSFER_INCOMING && !self->has_size &&
        answer.selector.has_size) {
      self->has_size = TRUE;
      self->size = answer.selector.size;
    }
    if (self->direction == CONFAB_FILE_TRANSFER_INCOMING && !self->local.selector.hash &&
        answer.selector.hash)
      self->local.selector.hash = g_strdup (answer.selector.hash);
    if (!self->local.selector.type && answer.selector.type)
      self->local.selector.type = g_strdup (answer.selector.type);
    self->remote = answer;
    memset (&answer, 0, sizeof answer);
  } else {
    self->remote.x_file_offset = confab_sdp_media_has_attribute (media, "x-file-offset");
  }
  self->has_remote = TRUE;
  return TRUE;
}

static void
on_connected (ConfabFileTransferStream *self)
{
  if (!confab_msrp_stream_is_connected (CONFAB_MSRP_STREAM (self)) ||
      _confab_file_transfer_is_over (self))
    return;
  if (self->direction == CONFAB_FILE_TRANSFER_OUTGOING)
    _confab_file_transfer_begin_sending (self);
  else if (self->state < CONFAB_FILE_TRANSFER_STATE_TRANSFERRING)
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_TRANSFERRING, NULL);
}

/* The MSRP connection failed for good (the peer vanished without a BYE):
 * the transfer is over; a receiver keeps its .part for a resume. */
static void
on_stream_state (ConfabFileTransferStream *self)
{
  if (confab_stream_get_state (CONFAB_STREAM (self)) != CONFAB_STREAM_STATE_FAILED ||
      self->state == CONFAB_FILE_TRANSFER_STATE_VERIFYING)
    return;
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_FAILED,
                                   confab_stream_get_error_message (CONFAB_STREAM (self)));
}

static void
confab_file_transfer_stream_session_created (ConfabMsrpStream  *stream,
                                             ConfabMsrpSession *msrp)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (stream);

  g_signal_connect_swapped (self, "notify::connected", G_CALLBACK (on_connected), self);
  g_signal_connect_swapped (self, "notify::state", G_CALLBACK (on_stream_state), self);
  _confab_file_transfer_connect_msrp (self, msrp);
}

static void
confab_file_transfer_stream_started (ConfabMsrpStream *stream)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (stream);

  if (self->state < CONFAB_FILE_TRANSFER_STATE_WAITING)
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_WAITING, NULL);
  on_connected (self);
}

/* The session ends the stream (BYE, re-INVITE without it, or our cancel). */
static void
end_unfinished (ConfabFileTransferStream *self)
{
  if (_confab_file_transfer_is_over (self) ||
      self->state == CONFAB_FILE_TRANSFER_STATE_VERIFYING)
    return;
  if (self->direction == CONFAB_FILE_TRANSFER_OUTGOING && self->sending && self->has_size &&
      self->bytes == self->size) {
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_COMPLETED, NULL);
    return;
  }
  if (self->cancelled_by_us)
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_CANCELLED,
                                     _("Cancelled"));
  else
    _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_CANCELLED,
                                     _("The other side stopped the transfer"));
}

static void
confab_file_transfer_stream_stopping (ConfabMsrpStream *stream,
                                      gboolean          lingering)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (stream);

  g_cancellable_cancel (self->cancellable);
  /* Lingering: the last 200s may still confirm the last chunks. */
  if (!lingering || self->direction == CONFAB_FILE_TRANSFER_INCOMING)
    end_unfinished (self);
}

static void
confab_file_transfer_stream_finished (ConfabMsrpStream *stream)
{
  end_unfinished (CONFAB_FILE_TRANSFER_STREAM (stream));
}

/* GObject */

static void
confab_file_transfer_stream_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (object);

  switch (prop_id) {
  case CONFAB_FILE_TRANSFER_PROP_TRANSFER_STATE:
    g_value_set_int (value, self->state);
    break;
  case CONFAB_FILE_TRANSFER_PROP_BYTES:
    g_value_set_uint64 (value, self->bytes);
    break;
  case CONFAB_FILE_TRANSFER_PROP_RATE:
    g_value_set_double (value, self->rate);
    break;
  case CONFAB_FILE_TRANSFER_PROP_ETA:
    g_value_set_int64 (value, self->eta);
    break;
  case CONFAB_FILE_TRANSFER_PROP_HASH_PROGRESS:
    g_value_set_double (value, self->hash_progress);
    break;
  case CONFAB_FILE_TRANSFER_PROP_FILE:
    g_value_set_object (value, confab_file_transfer_stream_get_file (self));
    break;
  case CONFAB_FILE_TRANSFER_PROP_ERROR_MESSAGE:
    g_value_set_string (value, self->error_message);
    break;
  default:
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
  }
}

static void
confab_file_transfer_stream_dispose (GObject *object)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (object);
  ConfabMsrpSession *msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  /* Its chunks are read through us. */
  if (msrp && self->message_id)
    confab_msrp_session_cancel_message (msrp, self->message_id);
  if (msrp)
    g_signal_handlers_disconnect_by_data (msrp, self);
  _confab_file_transfer_close_file (self);

  G_OBJECT_CLASS (confab_file_transfer_stream_parent_class)->dispose (object);
}

static void
confab_file_transfer_stream_finalize (GObject *object)
{
  ConfabFileTransferStream *self = CONFAB_FILE_TRANSFER_STREAM (object);

  g_free (self->error_message);
  confab_file_offer_clear (&self->local);
  confab_file_offer_clear (&self->remote);
  g_clear_object (&self->directory);
  g_clear_object (&self->source);
  g_free (self->message_id);
  g_free (self->safe_name);
  g_clear_object (&self->part);
  g_clear_object (&self->final);
  g_clear_pointer (&self->last_chunk, confab_msrp_message_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (confab_file_transfer_stream_parent_class)->finalize (object);
}

static void
confab_file_transfer_stream_class_init (ConfabFileTransferStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ConfabStreamClass *stream_class = CONFAB_STREAM_CLASS (klass);
  ConfabMsrpStreamClass *msrp_class = CONFAB_MSRP_STREAM_CLASS (klass);

  object_class->get_property = confab_file_transfer_stream_get_property;
  object_class->dispose = confab_file_transfer_stream_dispose;
  object_class->finalize = confab_file_transfer_stream_finalize;

  stream_class->media_type = "message";
  stream_class->prepare = confab_file_transfer_stream_prepare;
  stream_class->is_ready = confab_file_transfer_stream_is_ready;
  msrp_class->label = N_("file transfer");
  msrp_class->session_created = confab_file_transfer_stream_session_created;
  msrp_class->describe = confab_file_transfer_stream_describe;
  msrp_class->read_remote = confab_file_transfer_stream_read_remote;
  msrp_class->started = confab_file_transfer_stream_started;
  msrp_class->stopping = confab_file_transfer_stream_stopping;
  msrp_class->finished = confab_file_transfer_stream_finished;

  /* ConfabFileTransferState */
  props[CONFAB_FILE_TRANSFER_PROP_TRANSFER_STATE] =
    g_param_spec_int ("transfer-state", NULL, NULL, CONFAB_FILE_TRANSFER_STATE_NEW,
                      CONFAB_FILE_TRANSFER_STATE_CANCELLED, CONFAB_FILE_TRANSFER_STATE_NEW,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[CONFAB_FILE_TRANSFER_PROP_BYTES] =
    g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[CONFAB_FILE_TRANSFER_PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[CONFAB_FILE_TRANSFER_PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[CONFAB_FILE_TRANSFER_PROP_HASH_PROGRESS] =
    g_param_spec_double ("hash-progress", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[CONFAB_FILE_TRANSFER_PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  props[CONFAB_FILE_TRANSFER_PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, CONFAB_FILE_TRANSFER_N_PROPS, props);

  signals[SIGNAL_FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
confab_file_transfer_stream_init (ConfabFileTransferStream *self)
{
  self->fd = -1;
  self->eta = -1;
  self->local.modification = -1;
  self->remote.modification = -1;
  self->cancellable = g_cancellable_new ();
}

ConfabFileTransferStream *
confab_file_transfer_stream_new_push (ConfabMsrpEndpoint *endpoint,
                                      gboolean            tls,
                                      GFile              *file,
                                      const char         *content_type)
{
  ConfabFileTransferStream *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (CONFAB_TYPE_FILE_TRANSFER_STREAM, NULL);
  _confab_msrp_stream_construct (CONFAB_MSRP_STREAM (self), endpoint, tls);
  self->direction = CONFAB_FILE_TRANSFER_OUTGOING;
  self->source = g_object_ref (file);
  self->local.selector.name = g_file_get_basename (file);
  if (self->local.selector.name && !g_utf8_validate (self->local.selector.name, -1, NULL)) {
    g_free (self->local.selector.name);
    self->local.selector.name = g_filename_display_basename (g_file_peek_path (file));
  }
  self->local.selector.type = g_strdup (content_type);
  self->local.transfer_id = g_uuid_string_random ();
  self->local.x_file_offset = TRUE;
  /* Hashing starts in prepare: the offer waits for it. */
  self->needs_hash = TRUE;
  return self;
}

ConfabFileTransferStream *
confab_file_transfer_stream_new_pull (ConfabMsrpEndpoint       *endpoint,
                                      gboolean                  tls,
                                      const ConfabFileSelector *wanted,
                                      GFile                    *directory)
{
  ConfabFileTransferStream *self;

  g_return_val_if_fail (wanted != NULL, NULL);

  self = g_object_new (CONFAB_TYPE_FILE_TRANSFER_STREAM, NULL);
  _confab_msrp_stream_construct (CONFAB_MSRP_STREAM (self), endpoint, tls);
  self->direction = CONFAB_FILE_TRANSFER_INCOMING;
  self->pull = TRUE;
  confab_file_selector_copy (&self->local.selector, wanted);
  self->has_size = wanted->has_size;
  self->size = wanted->size;
  self->local.transfer_id = g_uuid_string_random ();
  self->local.x_file_offset = TRUE;
  if (directory)
    self->directory = g_object_ref (directory);
  _confab_file_transfer_find_part (self);
  /* What we have already: ask only for the rest (RFC 5547 §9). */
  if (self->have > 0) {
    self->local.has_range = TRUE;
    self->local.range_start = self->have + 1;
    self->local.range_stop = G_MAXUINT64;
  }
  return self;
}

ConfabFileTransferStream *
confab_file_transfer_stream_new_incoming (ConfabMsrpEndpoint *endpoint,
                                          gboolean            tls)
{
  ConfabFileTransferStream *self = g_object_new (CONFAB_TYPE_FILE_TRANSFER_STREAM, NULL);

  _confab_msrp_stream_construct (CONFAB_MSRP_STREAM (self), endpoint, tls);
  self->direction = CONFAB_FILE_TRANSFER_INCOMING;
  return self;
}

void
confab_file_transfer_stream_set_directory (ConfabFileTransferStream *self,
                                           GFile                    *directory)
{
  g_return_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self));
  g_set_object (&self->directory, directory);
}

/**
 * confab_file_transfer_stream_get_directory:
 *
 * Returns: (transfer none): where received files go
 */
GFile *
confab_file_transfer_stream_get_directory (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), NULL);

  if (!self->directory) {
    const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);

    self->directory = g_file_new_for_path (downloads ? downloads : g_get_home_dir ());
  }
  return self->directory;
}

void
confab_file_transfer_stream_set_provider (ConfabFileTransferStream *self,
                                          ConfabFileProvider        provider,
                                          gpointer                  user_data)
{
  g_return_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self));
  self->provider = provider;
  self->provider_data = user_data;
}

ConfabFileTransferDirection
confab_file_transfer_stream_get_direction (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), CONFAB_FILE_TRANSFER_OUTGOING);
  return self->direction;
}

gboolean
confab_file_transfer_stream_is_pull (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), FALSE);
  return self->pull;
}

ConfabFileTransferState
confab_file_transfer_stream_get_transfer_state (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), CONFAB_FILE_TRANSFER_STATE_NEW);
  return self->state;
}

const char *
confab_file_transfer_stream_get_error_message (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), NULL);
  return self->error_message;
}

const ConfabFileSelector *
confab_file_transfer_stream_get_selector (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), NULL);
  if (!self->local.selector.name && !self->local.selector.hash)
    return NULL;
  return &self->local.selector;
}

const char *
confab_file_transfer_stream_get_transfer_id (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), NULL);
  return self->local.transfer_id;
}

/**
 * confab_file_transfer_stream_get_file:
 *
 * Returns: (transfer none) (nullable): the file sent, the .part being
 *   written or the file received
 */
GFile *
confab_file_transfer_stream_get_file (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), NULL);
  if (self->direction == CONFAB_FILE_TRANSFER_OUTGOING)
    return self->source;
  return self->final ? self->final : self->part;
}

guint64
confab_file_transfer_stream_get_bytes (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), 0);
  return self->bytes;
}

guint64
confab_file_transfer_stream_get_size (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), 0);
  return self->has_size ? self->size : 0;
}

double
confab_file_transfer_stream_get_rate (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), 0);
  return self->rate;
}

gint64
confab_file_transfer_stream_get_eta (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), -1);
  return self->eta;
}

double
confab_file_transfer_stream_get_hash_progress (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), 0);
  return self->hash_progress;
}

guint64
confab_file_transfer_stream_get_resumed_from (ConfabFileTransferStream *self)
{
  g_return_val_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self), 0);
  return self->resumed_from;
}

void
confab_file_transfer_stream_cancel (ConfabFileTransferStream *self)
{
  ConfabMsrpSession *msrp;

  g_return_if_fail (CONFAB_IS_FILE_TRANSFER_STREAM (self));

  if (_confab_file_transfer_is_over (self))
    return;
  self->cancelled_by_us = TRUE;
  g_cancellable_cancel (self->cancellable);
  msrp = confab_msrp_stream_get_session (CONFAB_MSRP_STREAM (self));
  if (msrp && self->message_id)
    confab_msrp_session_cancel_message (msrp, self->message_id);
  _confab_file_transfer_set_state (self, CONFAB_FILE_TRANSFER_STATE_CANCELLED, _("Cancelled"));
}
