#!/usr/bin/env bash
# test_gadget.sh - systemd/cccd-gadget.sh against a fake configfs tree: `up` writes the boot
# keyboard function (protocol 1, subclass 1, 8-byte reports, the 63-byte report descriptor of
# HID 1.11 B.1 with the LED output report), the ACM function, the config links and binds the
# UDC; a second `up` is a no-op; a missing UDC or configfs is a clear error (exit 1).
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
script=systemd/cccd-gadget.sh

sh -n "$script"
mkdir -p "$tmp/cfg"
out=$(CCCD_CONFIGFS="$tmp/cfg" CCCD_UDC=fe980000.usb sh "$script" up)
[ "$out" = "cccd-gadget: bound to fe980000.usb (/dev/hidg0, /dev/ttyGS0)" ] || fail "up: $out"
g=$tmp/cfg/usb_gadget/cccd
[ "$(cat "$g/UDC")" = fe980000.usb ] || fail UDC
[ "$(cat "$g/functions/hid.usb0/protocol")" = 1 ] || fail protocol
[ "$(cat "$g/functions/hid.usb0/subclass")" = 1 ] || fail subclass
[ "$(cat "$g/functions/hid.usb0/report_length")" = 8 ] || fail report_length
[ -L "$g/configs/c.1/hid.usb0" ] && [ -L "$g/configs/c.1/acm.usb0" ] || fail links
[ -d "$g/functions/acm.usb0" ] || fail acm
want=05010906a101050719e029e71500250175019508810295017508810395057501050819012905910295017503910395067508150025650507190029658100c0
got=$(od -An -v -tx1 "$g/functions/hid.usb0/report_desc" | tr -d ' \n')
[ "$got" = "$want" ] || fail "report_desc: $got"
[ "$(stat -c %s "$g/functions/hid.usb0/report_desc")" = 63 ] || fail "descriptor size"
# LED output report present: Usage Page LEDs (05 08), Output (91 02)
case $got in *0508*9102*) ;; *) fail "no LED output report" ;; esac
out=$(CCCD_CONFIGFS="$tmp/cfg" CCCD_UDC=fe980000.usb sh "$script" up)
[ "$out" = "cccd-gadget: already bound to fe980000.usb" ] || fail "second up: $out"
[ "$(CCCD_CONFIGFS="$tmp/cfg" sh "$script" status)" = "bound to fe980000.usb" ] || fail status
rc=0
CCCD_CONFIGFS="$tmp/none" CCCD_UDC=x sh "$script" up 2>"$tmp/err" || rc=$?
[ "$rc" = 1 ] && grep -q "mount configfs" "$tmp/err" || fail "missing configfs"
mkdir -p "$tmp/cfg2/usb_gadget"
rc=0
CCCD_CONFIGFS="$tmp/cfg2" CCCD_UDC= sh "$script" up 2>"$tmp/err" || rc=$?
if [ -z "$(ls /sys/class/udc 2>/dev/null)" ]; then
	[ "$rc" = 1 ] && grep -q "no USB device controller" "$tmp/err" || fail "missing UDC"
fi
rc=0
sh "$script" sideways 2>/dev/null || rc=$?
[ "$rc" = 2 ] || fail "usage exit"
echo ok
