/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sdp/confab-sdp-audio.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* SDP bodies are hostile input: parse, print, re-parse; answer every audio
 * m-line as Confab would and take it as an answer to our own offer. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr (ConfabSdp) sdp = confab_sdp_parse ((const char *) data, size, NULL);
  g_autoptr (ConfabSdp) again = NULL;
  g_autoptr (GPtrArray) codecs = NULL;
  g_autoptr (ConfabSdpMedia) our_offer = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *printed_again = NULL;
  g_autoptr (GError) error = NULL;

  if (!sdp)
    return 0;

  /* what we print, we read back the same */
  printed = confab_sdp_to_string (sdp);
  again = confab_sdp_parse (printed, strlen (printed), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->media->len, ==, sdp->media->len);
  printed_again = confab_sdp_to_string (again);
  g_assert_cmpstr (printed, ==, printed_again);

  codecs = confab_sdp_audio_default_codecs (NULL);
  our_offer = confab_sdp_audio_build_offer ("192.0.2.1", 4000, codecs, CONFAB_SRTP_MODE_OFFER,
                                            TRUE, CONFAB_SDP_DIRECTION_SENDRECV, NULL);
  for (guint i = 0; i < sdp->media->len; i++) {
    const ConfabSdpMedia *m = g_ptr_array_index (sdp->media, i);
    g_auto (ConfabSdpAudioResult) result = { 0 };
    g_autoptr (ConfabSdpMedia) answer = NULL;

    confab_sdp_media_is_hold (sdp, m);
    if (g_strcmp0 (m->media, "audio") != 0)
      continue;
    answer = confab_sdp_audio_negotiate_answer (sdp, m, codecs, CONFAB_SRTP_MODE_OFFER,
                                                "192.0.2.9", 6000, CONFAB_SDP_DIRECTION_SENDRECV,
                                                &result, NULL);
    g_assert_true ((answer != NULL) == (result.codec != NULL));
    if (answer) {
      g_assert_nonnull (result.remote_address);
      g_assert_true (!result.srtp || (result.local_key && result.remote_key));
    }
    if (confab_sdp_audio_apply_answer (our_offer, sdp, m, &result, NULL))
      g_assert_nonnull (result.codec);
  }
  return 0;
}
