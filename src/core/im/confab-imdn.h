/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Instant message disposition notifications (RFC 5438): the sender of a
 * CPIM message asks with "imdn.Disposition-Notification: positive-delivery,
 * display"; the recipient answers with a message/imdn+xml document naming
 * the message by its imdn.Message-ID. Documents come from peers: parsed
 * with libxml2 without network access, DTDs or entity expansion (a document
 * with a DOCTYPE is refused), bounded in size; errors are
 * CONFAB_ERROR_INVALID. */

#define CONFAB_IMDN_CONTENT_TYPE   "message/imdn+xml"
#define CONFAB_IMDN_NAMESPACE      "urn:ietf:params:xml:ns:imdn"
#define CONFAB_IMDN_MAX_LENGTH     16384 /* bytes in one document */
#define CONFAB_IMDN_MAX_ID_LENGTH  256   /* bytes in a message-id */

/* What "imdn.Disposition-Notification" asks for. */
typedef enum
{
  CONFAB_IMDN_REQUEST_NONE              = 0,
  CONFAB_IMDN_REQUEST_POSITIVE_DELIVERY = 1 << 0,
  CONFAB_IMDN_REQUEST_NEGATIVE_DELIVERY = 1 << 1,
  CONFAB_IMDN_REQUEST_DISPLAY           = 1 << 2,
  CONFAB_IMDN_REQUEST_PROCESSING        = 1 << 3,
} ConfabImdnRequest;

typedef enum
{
  CONFAB_IMDN_KIND_DELIVERY,     /* <delivery-notification> */
  CONFAB_IMDN_KIND_DISPLAY,      /* <display-notification> */
  CONFAB_IMDN_KIND_PROCESSING,   /* <processing-notification> */
} ConfabImdnKind;

typedef enum
{
  CONFAB_IMDN_STATUS_DELIVERED,  /* delivery */
  CONFAB_IMDN_STATUS_FAILED,     /* delivery */
  CONFAB_IMDN_STATUS_DISPLAYED,  /* display */
  CONFAB_IMDN_STATUS_PROCESSED,  /* processing */
  CONFAB_IMDN_STATUS_STORED,     /* processing */
  CONFAB_IMDN_STATUS_FORBIDDEN,  /* any kind */
  CONFAB_IMDN_STATUS_ERROR,      /* any kind */
} ConfabImdnStatus;

typedef struct
{
  char             *message_id;             /* the imdn.Message-ID it is about */
  GDateTime        *date_time;              /* when that message was sent, or NULL */
  char             *recipient_uri;          /* or NULL */
  char             *original_recipient_uri; /* or NULL */
  char             *subject;                /* or NULL */
  ConfabImdnKind    kind;
  ConfabImdnStatus  status;
} ConfabImdn;

ConfabImdn        *confab_imdn_new                (const char        *message_id,
                                                   ConfabImdnKind     kind,
                                                   ConfabImdnStatus   status);
void               confab_imdn_free               (ConfabImdn        *imdn);
ConfabImdn        *confab_imdn_parse              (const char        *data,
                                                   gsize              length,
                                                   GError           **error);
char              *confab_imdn_to_xml             (const ConfabImdn  *imdn,
                                                   GError           **error);

gboolean           confab_imdn_status_is_valid    (ConfabImdnKind     kind,
                                                   ConfabImdnStatus   status);
const char        *confab_imdn_status_to_string   (ConfabImdnStatus   status);
const char        *confab_imdn_kind_to_string     (ConfabImdnKind     kind);

/* "positive-delivery, display" and back; unknown values are ignored. */
ConfabImdnRequest  confab_imdn_request_parse      (const char        *value);
char              *confab_imdn_request_to_string  (ConfabImdnRequest  request);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabImdn, confab_imdn_free)

G_END_DECLS
