/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ConfabRtpAudio"

#include "config.h"

#include "confab-rtp-audio-private.h"
#include "confab-error.h"

#include <glib/gi18n-lib.h>

/* A branch writing a WAV file: one input (what the speaker would play), or
 * two mixed (microphone and peer, the call recording). It hangs off tees
 * and is cut loose with an EOS, which makes wavenc write the final header. */
struct _ConfabWavBranch
{
  GstElement *bin;
  GstElement *tees[2];
  GstPad     *tee_pads[2];
  GstPad     *inputs[2];
  guint       n_inputs;

  GMutex      lock;
  GCond       cond;
  gboolean    eos;
};

static GstPadProbeReturn
on_filesink_event (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  ConfabWavBranch *branch = user_data;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
    g_mutex_lock (&branch->lock);
    branch->eos = TRUE;
    g_cond_broadcast (&branch->cond);
    g_mutex_unlock (&branch->lock);
  }
  return GST_PAD_PROBE_OK;
}

static GstElement *
bin_add (GstElement *bin,
         const char *factory,
         GError    **error)
{
  GstElement *element = _confab_rtp_audio_make (factory, NULL, error);

  if (element)
    gst_bin_add (GST_BIN (bin), element);
  return element;
}

static GstElement *
add_queue (GstElement *bin,
           GError    **error)
{
  GstElement *queue = bin_add (bin, "queue", error);

  /* Room for a slow disk without holding up the call. */
  if (queue) {
    g_object_set (queue,
                  "max-size-time", (guint64) 2 * GST_SECOND,
                  "max-size-buffers", 0,
                  "max-size-bytes", 0,
                  NULL);
  }
  return queue;
}

static gboolean
build_bin (ConfabWavBranch *branch,
           const char      *path,
           GError         **error)
{
  GstElement *bin = branch->bin;
  GstElement *convert, *wavenc, *filesink, *first;
  g_autoptr (GstPad) sinkpad = NULL;

  if (!(convert = bin_add (bin, "audioconvert", error)) ||
      !(wavenc = bin_add (bin, "wavenc", error)) ||
      !(filesink = bin_add (bin, "filesink", error)))
    return FALSE;
  g_object_set (filesink, "location", path, "sync", FALSE, "async", FALSE, NULL);
  if (!gst_element_link_many (convert, wavenc, filesink, NULL))
    return FALSE;

  sinkpad = gst_element_get_static_pad (filesink, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_filesink_event, branch,
                     NULL);

  if (branch->n_inputs == 1) {
    first = add_queue (bin, error);
    if (first == NULL || !gst_element_link (first, convert))
      return FALSE;
    branch->inputs[0] = gst_element_get_static_pad (first, "sink");
  } else {
    g_autoptr (GstCaps) caps = gst_caps_from_string (CONFAB_RTP_AUDIO_CAPS);
    GstElement *mixer, *filter;

    if (!(mixer = bin_add (bin, "audiomixer", error)) ||
        !(filter = bin_add (bin, "capsfilter", error)))
      return FALSE;
    g_object_set (mixer,
                  "output-buffer-duration", (guint64) CONFAB_RTP_AUDIO_BLOCK_MS * GST_MSECOND,
                  "min-upstream-latency",
                  (guint64) (CONFAB_RTP_AUDIO_JITTER_MS * 2) * GST_MSECOND,
                  NULL);
    gst_util_set_object_arg (G_OBJECT (mixer), "start-time-selection", "first");
    g_object_set (filter, "caps", caps, NULL);
    if (!gst_element_link_many (mixer, filter, convert, NULL))
      return FALSE;

    for (guint i = 0; i < 2; i++) {
      GstElement *queue = add_queue (bin, error);

      if (queue == NULL || !gst_element_link (queue, mixer))
        return FALSE;
      branch->inputs[i] = gst_element_get_static_pad (queue, "sink");
    }
  }

  for (guint i = 0; i < branch->n_inputs; i++) {
    GstPad *ghost = gst_ghost_pad_new (NULL, branch->inputs[i]);

    gst_object_unref (branch->inputs[i]);
    branch->inputs[i] = gst_object_ref (ghost);
    gst_pad_set_active (ghost, TRUE);
    gst_element_add_pad (bin, ghost);
  }
  return TRUE;
}

/* A branch that could not start posted its error on the call's bus. The
 * caller has it already, and it is not the call's: left there, it would
 * be reported as the call audio failing. */
static void
drop_branch_errors (ConfabWavBranch *branch,
                    GstElement      *pipeline)
{
  g_autoptr (GstBus) bus = gst_element_get_bus (pipeline);
  GQueue others = G_QUEUE_INIT;
  GstMessage *message;

  while ((message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
    GstObject *source = GST_MESSAGE_SRC (message);

    if (source && gst_object_has_as_ancestor (source, GST_OBJECT (branch->bin)))
      gst_message_unref (message);
    else
      g_queue_push_tail (&others, message);
  }
  while ((message = g_queue_pop_head (&others)))
    gst_bus_post (bus, message);
}

ConfabWavBranch *
_confab_wav_branch_new (GstElement *pipeline,
                        const char *path,
                        GstElement *tee_a,
                        GstElement *tee_b,
                        GError    **error)
{
  ConfabWavBranch *branch = g_new0 (ConfabWavBranch, 1);
  g_autoptr (GError) local_error = NULL;

  g_mutex_init (&branch->lock);
  g_cond_init (&branch->cond);
  branch->tees[0] = tee_a;
  branch->tees[1] = tee_b;
  branch->n_inputs = tee_b ? 2 : 1;
  branch->bin = gst_object_ref_sink (gst_bin_new (NULL));

  if (!build_bin (branch, path, &local_error)) {
    if (local_error == NULL) {
      g_set_error (&local_error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                   _("The audio recorder could not be set up."));
    }
    g_propagate_error (error, g_steal_pointer (&local_error));
    _confab_wav_branch_free (branch);
    return NULL;
  }

  /* A running pipeline: start the branch where the tees already are,
   * and only then link it. A tee pushing into a pad not yet active gets
   * FLUSHING back, hands it upstream, and the mixer feeding it stops for
   * good: the whole direction would go silent. */
  gst_bin_add (GST_BIN (pipeline), branch->bin);
  if (!gst_element_sync_state_with_parent (branch->bin)) {
    g_set_error (error, CONFAB_ERROR, CONFAB_ERROR_FAILED,
                 _("Could not write the audio file “%s”. Check that its folder exists and is "
                   "writable."),
                 path);
    drop_branch_errors (branch, pipeline);
    _confab_wav_branch_finish (branch, pipeline, 0);
    return NULL;
  }
  for (guint i = 0; i < branch->n_inputs; i++) {
    branch->tee_pads[i] = gst_element_request_pad_simple (branch->tees[i], "src_%u");
    gst_pad_link (branch->tee_pads[i], branch->inputs[i]);
  }
  return branch;
}

static GstPadProbeReturn
on_tee_pad_idle (GstPad          *tee_pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  GstPad *input = user_data;

  /* Now no buffer is on its way: cut the branch loose and end its stream. */
  if (gst_pad_unlink (tee_pad, input))
    gst_pad_send_event (input, gst_event_new_eos ());
  return GST_PAD_PROBE_REMOVE;
}

/* Ends the file with an EOS, waits for it until deadline_us (monotonic
 * time), then removes the branch and frees it. */
void
_confab_wav_branch_finish (ConfabWavBranch *branch,
                           GstElement      *pipeline,
                           gint64           deadline_us)
{
  GstState state = GST_STATE_NULL;

  gst_element_get_state (branch->bin, &state, NULL, 0);

  for (guint i = 0; i < branch->n_inputs && branch->tee_pads[i]; i++) {
    if (state == GST_STATE_PLAYING) {
      gst_pad_add_probe (branch->tee_pads[i], GST_PAD_PROBE_TYPE_IDLE, on_tee_pad_idle,
                         gst_object_ref (branch->inputs[i]), gst_object_unref);
    } else {
      gst_pad_unlink (branch->tee_pads[i], branch->inputs[i]);
    }
  }

  if (state == GST_STATE_PLAYING && branch->tee_pads[0]) {
    g_mutex_lock (&branch->lock);
    while (!branch->eos) {
      if (!g_cond_wait_until (&branch->cond, &branch->lock, deadline_us)) {
        g_message ("The audio file was not finished in time; its header may be wrong");
        break;
      }
    }
    g_mutex_unlock (&branch->lock);
  }

  /* NULL closes the file, flushing what wavenc wrote last. */
  gst_element_set_state (branch->bin, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (pipeline), branch->bin);
  for (guint i = 0; i < branch->n_inputs && branch->tee_pads[i]; i++) {
    gst_element_release_request_pad (branch->tees[i], branch->tee_pads[i]);
    gst_clear_object (&branch->tee_pads[i]);
  }
  _confab_wav_branch_free (branch);
}

/* Frees the bookkeeping; the elements belong to the pipeline. */
void
_confab_wav_branch_free (ConfabWavBranch *branch)
{
  for (guint i = 0; i < 2; i++) {
    gst_clear_object (&branch->inputs[i]);
    gst_clear_object (&branch->tee_pads[i]);
  }
  gst_clear_object (&branch->bin);
  g_mutex_clear (&branch->lock);
  g_cond_clear (&branch->cond);
  g_free (branch);
}
