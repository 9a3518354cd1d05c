/* SPDX-License-Identifier: MIT */
/* version.h - the release string shown by cccd-gatewayd -V, VERSION objects and cccdctl. */
#ifndef CCCD_CORE_VERSION_H
#define CCCD_CORE_VERSION_H

#define CCCD_RELEASE "0.1.0"

#endif
