/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "confab.h"

G_BEGIN_DECLS

void confab_account_restart (ConfabAccountManager *manager,
                             ConfabAccount        *account);

G_END_DECLS
