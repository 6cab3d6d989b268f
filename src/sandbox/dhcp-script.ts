// The udhcpc event script a sandbox VM uses: it applies the lease to the interface and the default
// route, and nothing else.  (Debian's /etc/udhcpc/default.script also rewrites /etc/resolv.conf, which
// `ip netns exec` shares with the host unless /etc/netns/NAME exists.)  Pure: the text only.
export const UDHCPC_SCRIPT = `#!/bin/sh
# written by ovnts sandbox: apply a DHCP lease to $interface (address, prefix, default route)
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/\${mask:-24}" dev "$interface"
    if [ -n "$router" ]; then ip route replace default via "\${router%% *}" dev "$interface"; fi
    if [ -n "$mtu" ]; then ip link set dev "$interface" mtu "$mtu"; fi
    ;;
  deconfig)
    ip addr flush dev "$interface"
    ;;
esac
exit 0
`;
