/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "confab-msrp-error.h"
#include "confab-msrp-uri.h"

G_BEGIN_DECLS

/* One MSRP request or response (RFC 4975 §7, RFC 4976, RFC 7701 and the
 * SIP SIMPLE SDK's FILE_OFFSET), as the parser fills it and the builders in
 * confab-msrp-serializer.h assemble it. A SEND is one chunk of a message:
 * confab-msrp-reassembly.h puts chunks back together.
 *
 * Messages are reference counted and, once handed to another part of the
 * engine (a queue, a signal), treated as immutable. */

#define CONFAB_MSRP_TYPE_MESSAGE (confab_msrp_message_get_type ())

/* A Byte-Range end or total written as '*'. */
#define CONFAB_MSRP_UNKNOWN G_MAXUINT64

typedef enum
{
  CONFAB_MSRP_METHOD_UNKNOWN, /* see method_name */
  CONFAB_MSRP_METHOD_SEND,
  CONFAB_MSRP_METHOD_REPORT,
  CONFAB_MSRP_METHOD_AUTH,        /* RFC 4976 */
  CONFAB_MSRP_METHOD_NICKNAME,    /* RFC 7701 */
  CONFAB_MSRP_METHOD_FILE_OFFSET, /* SIP SIMPLE SDK file transfer resume */
} ConfabMsrpMethod;

typedef enum
{
  CONFAB_MSRP_REPORT_UNSET,   /* no header: Success-Report means no, Failure-Report yes */
  CONFAB_MSRP_REPORT_YES,
  CONFAB_MSRP_REPORT_NO,
  CONFAB_MSRP_REPORT_PARTIAL, /* Failure-Report only */
} ConfabMsrpReport;

/* The end-line's continuation flag. */
typedef enum
{
  CONFAB_MSRP_CONTINUATION_COMPLETE = '$', /* the last chunk of the message */
  CONFAB_MSRP_CONTINUATION_MORE = '+',     /* more chunks follow */
  CONFAB_MSRP_CONTINUATION_ABORT = '#',    /* the sender gave up on the message */
} ConfabMsrpContinuation;

/* Byte-Range: start-end/total, 1-based and inclusive; end and total may be
 * CONFAB_MSRP_UNKNOWN ('*'). An empty body is 1-0/0. */
typedef struct
{
  guint64 start;
  guint64 end;
  guint64 total;
} ConfabMsrpByteRange;

typedef struct
{
  char *name;
  char *value;
} ConfabMsrpHeader;

typedef struct _ConfabMsrpMessage ConfabMsrpMessage;

struct _ConfabMsrpMessage
{
  gboolean               is_response;
  char                  *transaction_id;
  /* requests */
  ConfabMsrpMethod       method;
  char                  *method_name;      /* "SEND", or the unknown method as written */
  /* responses */
  guint                  status;           /* 100-999 */
  char                  *comment;          /* "OK", or NULL */

  GPtrArray             *to_path;          /* ConfabMsrpUri*, never NULL */
  GPtrArray             *from_path;        /* ConfabMsrpUri*, never NULL */
  char                  *message_id;       /* or NULL */
  gboolean               has_byte_range;
  ConfabMsrpByteRange    byte_range;
  ConfabMsrpReport       success_report;
  ConfabMsrpReport       failure_report;
  /* Status of a REPORT: "000 200 OK" */
  gboolean               has_report_status;
  guint                  report_namespace; /* 0 */
  guint                  report_status;
  char                  *report_comment;   /* or NULL */
  /* RFC 4976 */
  GPtrArray             *use_path;         /* ConfabMsrpUri*, or NULL */
  GPtrArray             *www_authenticate; /* char*, one per header, or NULL */
  char                  *authorization;
  char                  *authentication_info;
  gint64                 expires;          /* -1 when absent */
  gint64                 min_expires;
  gint64                 max_expires;
  /* MIME */
  char                  *content_type;
  char                  *content_id;
  char                  *content_description;
  char                  *content_disposition;
  GPtrArray             *headers;          /* ConfabMsrpHeader*: every other header, in order */

  GBytes                *body;             /* NULL when there is none */
  ConfabMsrpContinuation continuation;
};

GType               confab_msrp_message_get_type          (void) G_GNUC_CONST;

ConfabMsrpMessage  *confab_msrp_message_new               (void);
ConfabMsrpMessage  *confab_msrp_message_copy              (const ConfabMsrpMessage *message);
ConfabMsrpMessage  *confab_msrp_message_ref               (ConfabMsrpMessage       *message);
void                confab_msrp_message_unref             (ConfabMsrpMessage       *message);

void                confab_msrp_message_set_method        (ConfabMsrpMessage       *message,
                                                           const char              *method_name);
void                confab_msrp_message_set_body          (ConfabMsrpMessage       *message,
                                                           const char              *content_type,
                                                           GBytes                  *body);
void                confab_msrp_message_add_header        (ConfabMsrpMessage       *message,
                                                           const char              *name,
                                                           const char              *value);
const char         *confab_msrp_message_get_header        (const ConfabMsrpMessage *message,
                                                           const char              *name);
gsize               confab_msrp_message_get_body_length   (const ConfabMsrpMessage *message);
gboolean            confab_msrp_message_wants_success_report (const ConfabMsrpMessage *message);
gboolean            confab_msrp_message_wants_failure_report (const ConfabMsrpMessage *message);
char               *confab_msrp_message_describe          (const ConfabMsrpMessage *message);

ConfabMsrpMethod    confab_msrp_method_from_string        (const char              *name);
const char         *confab_msrp_method_to_string          (ConfabMsrpMethod         method);

void                confab_msrp_header_free               (ConfabMsrpHeader        *header);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConfabMsrpMessage, confab_msrp_message_unref)

G_END_DECLS
