#!/bin/sh
# cccd-gadget.sh - the box as a USB device: a composite gadget (configfs, libcomposite) with a
# boot keyboard (HID interface subclass 1, protocol 1: 8-byte input report, 1-byte LED output
# report, as in the Linux gadget_hid.rst example) and a CDC-ACM serial port (/dev/ttyGS0 here,
# a COM port on the PC). Needs a UDC: Raspberry Pi Zero/4 with dtoverlay=dwc2 and dwc2 loaded.
#
#   cccd-gadget.sh up       create and bind (idempotent)   -> /dev/hidg0, /dev/ttyGS0
#   cccd-gadget.sh down     unbind and remove
#   cccd-gadget.sh status   print what is bound
#
# CCCD_CONFIGFS (default /sys/kernel/config) and CCCD_UDC (default: the first in /sys/class/udc)
# exist for tests and boards with several UDCs. SPDX-License-Identifier: MIT
set -eu

CFG=${CCCD_CONFIGFS:-/sys/kernel/config}
G=$CFG/usb_gadget/cccd
VID=0x1d6b # Linux Foundation
PID=0x0104 # Multifunction Composite Gadget
# Boot keyboard report descriptor (HID 1.11 Appendix B.1 + E.6): modifiers, reserved, LED
# output report (5 bits + 3 padding), six key usages 0..0x65.
DESC='05010906a101050719e029e71500250175019508810295017508810395057501050819012905910295017503910395067508150025650507190029658100c0'

die() { echo "cccd-gadget: $*" >&2; exit 1; }

# $DESC (hex) → bytes in file $1. Built in a scratch file first: configfs replaces report_desc
# on every write(), so the bytes must arrive in one write (cat of 63 bytes is one).
hex_to_file() {
	tmp=$(mktemp)
	hex=$DESC
	while [ -n "$hex" ]; do
		rest=${hex#??}
		# shellcheck disable=SC2059 # octal escapes: the only byte escape every sh printf knows
		printf "\\$(printf '%03o' "0x${hex%"$rest"}")" >>"$tmp"
		hex=$rest
	done
	cat "$tmp" >"$1"
	rm -f "$tmp"
}

pick_udc() {
	if [ -n "${CCCD_UDC:-}" ]; then echo "$CCCD_UDC"; return; fi
	ls /sys/class/udc 2>/dev/null | head -n 1
}

up() {
	[ -d "$CFG" ] || die "$CFG missing: mount configfs (mount -t configfs none $CFG)"
	if [ ! -d "$CFG/usb_gadget" ] && [ -z "${CCCD_CONFIGFS:-}" ]; then
		modprobe libcomposite || die "cannot load libcomposite"
	fi
	udc=$(pick_udc)
	[ -n "$udc" ] || die "no USB device controller (UDC): enable dwc2 (dtoverlay=dwc2) or use a board with OTG"
	if [ -s "$G/UDC" ]; then echo "cccd-gadget: already bound to $(cat "$G/UDC")"; return 0; fi
	mkdir -p "$G/strings/0x409" "$G/configs/c.1/strings/0x409" "$G/functions/hid.usb0" \
		"$G/functions/acm.usb0"
	echo $VID >"$G/idVendor"
	echo $PID >"$G/idProduct"
	echo 0x0100 >"$G/bcdDevice"
	echo 0x0200 >"$G/bcdUSB"
	echo 0xEF >"$G/bDeviceClass"    # miscellaneous: composite with IADs (needed by ACM)
	echo 0x02 >"$G/bDeviceSubClass"
	echo 0x01 >"$G/bDeviceProtocol"
	echo "cccd-gateway" >"$G/strings/0x409/manufacturer"
	echo "CCCD reader keyboard + serial" >"$G/strings/0x409/product"
	serial=$(cat /etc/machine-id 2>/dev/null | cut -c1-16 || true)
	echo "${serial:-0000000000000001}" >"$G/strings/0x409/serialnumber"
	echo "keyboard + serial" >"$G/configs/c.1/strings/0x409/configuration"
	echo 100 >"$G/configs/c.1/MaxPower"
	echo 1 >"$G/functions/hid.usb0/protocol"
	echo 1 >"$G/functions/hid.usb0/subclass"
	echo 8 >"$G/functions/hid.usb0/report_length"
	hex_to_file "$G/functions/hid.usb0/report_desc"
	for f in hid.usb0 acm.usb0; do
		[ -e "$G/configs/c.1/$f" ] || ln -s "$G/functions/$f" "$G/configs/c.1/$f"
	done
	echo "$udc" >"$G/UDC"
	echo "cccd-gadget: bound to $udc (/dev/hidg0, /dev/ttyGS0)"
}

down() {
	[ -d "$G" ] || { echo "cccd-gadget: not set up"; return 0; }
	[ -s "$G/UDC" ] && echo "" >"$G/UDC"
	rm -f "$G/configs/c.1/hid.usb0" "$G/configs/c.1/acm.usb0"
	rmdir "$G/configs/c.1/strings/0x409" "$G/configs/c.1" "$G/functions/hid.usb0" \
		"$G/functions/acm.usb0" "$G/strings/0x409" "$G"
	echo "cccd-gadget: removed"
}

status() {
	if [ -s "$G/UDC" ]; then echo "bound to $(cat "$G/UDC")"; else echo "not bound"; fi
}

case ${1:-} in
up) up ;;
down) down ;;
status) status ;;
*) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
