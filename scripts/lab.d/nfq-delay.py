#!/usr/bin/env python3
"""Hold the TCP packets that given processes send for a fixed delay.

Used by `scripts/lab fault net-delay`. The lab installs iptables OUTPUT rules
that send the loopback etcd peer packets a delayed member may have sent (from
its peer port, or to another member's peer port) to NFQUEUE QUEUE with
--queue-bypass; this program binds that queue on a raw nfnetlink_queue socket
(pure Python, no library) and, for every packet:

  * if the sending socket belongs to one of the --member processes (a
    sock_diag lookup of the packet's ports gives the socket inode, which is
    looked for in /proc/PID/fd): issues NF_ACCEPT only after that member's
    delay (FIFO per member, so the order is kept);
  * otherwise: NF_ACCEPT at once.

So a member's egress is delayed, the way `tc qdisc ... netem delay` on its
interface would: every round trip involving it grows by the delay once.

On SIGTERM/SIGINT every held packet is accepted before exit; if this program
dies, --queue-bypass lets new packets through (held ones are dropped by the
kernel and TCP retransmits them).

usage: nfq-delay.py --queue N --member PID:DELAY_MS [--member ...]
       [--ready-file F] [--stats-every S]
"""
import argparse
import errno
import heapq
import os
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET = (NFNL_SUBSYS_QUEUE << 8) | 0
NFQNL_MSG_VERDICT = (NFNL_SUBSYS_QUEUE << 8) | 1
NFQNL_MSG_CONFIG = (NFNL_SUBSYS_QUEUE << 8) | 2
NFQA_PACKET_HDR = 1
NFQA_VERDICT_HDR = 2
NFQA_PAYLOAD = 10
NFQA_CFG_CMD = 1
NFQA_CFG_PARAMS = 2
NFQA_CFG_QUEUE_MAXLEN = 3
NFQA_CFG_MASK = 4
NFQA_CFG_FLAGS = 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_CFG_CMD_UNBIND = 2
NFQNL_COPY_PACKET = 2
NFQA_CFG_F_FAIL_OPEN = 0x1
NFQA_CFG_F_GSO = 0x4
NF_ACCEPT = 1
NETLINK_SOCK_DIAG = 4
SOCK_DIAG_BY_FAMILY = 20


def log(msg):
    sys.stderr.write("nfq-delay: %s %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def attr(kind, data):
    n = 4 + len(data)
    return struct.pack("=HH", n, kind) + data + b"\0" * ((4 - n % 4) % 4)


class Queue:
    def __init__(self, num):
        self.num = num
        self.seq = 0
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        try:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
        except OSError:
            pass
        self.sock.bind((0, 0))

    def msg(self, kind, flags, family, payload):
        self.seq += 1
        body = struct.pack("=BBH", family, 0, socket.htons(self.num)) + payload
        return struct.pack("=IHHII", 16 + len(body), kind, NLM_F_REQUEST | flags, self.seq, 0) + body

    def config(self, payload, what):
        self.sock.send(self.msg(NFQNL_MSG_CONFIG, NLM_F_ACK, socket.AF_INET, payload))
        while True:
            data = self.sock.recv(65536)
            for kind, body in split(data):
                if kind == NLMSG_ERROR:
                    err = -struct.unpack("=i", body[:4])[0]
                    if err:
                        raise OSError(err, "%s: %s" % (what, os.strerror(err)))
                    return

    def bind(self, copy_range=80, maxlen=8192):
        self.config(attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, socket.AF_INET)),
                    "bind queue %d" % self.num)
        self.config(attr(NFQA_CFG_PARAMS, struct.pack("!IB", copy_range, NFQNL_COPY_PACKET)), "copy mode")
        self.config(attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", maxlen)), "queue length")
        flags = NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO
        try:
            self.config(attr(NFQA_CFG_MASK, struct.pack("!I", flags)) + attr(NFQA_CFG_FLAGS, struct.pack("!I", flags)),
                        "flags")
        except OSError as e:  # old kernels: not fatal
            log("queue flags not set (%s)" % e)

    def unbind(self):
        try:
            self.sock.send(self.msg(NFQNL_MSG_CONFIG, 0, socket.AF_INET,
                                    attr(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_UNBIND, 0, socket.AF_INET))))
        except OSError:
            pass

    def accept(self, ids):
        """NF_ACCEPT for each packet id, many verdict messages per datagram."""
        for i in range(0, len(ids), 200):
            buf = b"".join(self.msg(NFQNL_MSG_VERDICT, 0, socket.AF_UNSPEC,
                                    attr(NFQA_VERDICT_HDR, struct.pack("!II", NF_ACCEPT, pid)))
                           for pid in ids[i:i + 200])
            try:
                self.sock.send(buf)
            except OSError as e:
                log("verdict send failed: %s" % e)


def split(data):
    off = 0
    while off + 16 <= len(data):
        n, kind = struct.unpack_from("=IH", data, off)
        if n < 16:
            break
        yield kind, data[off + 16:off + n]
        off += (n + 3) & ~3


def packet(body):
    """(packet id, source port, destination port) of an NFQNL_MSG_PACKET body."""
    off, pid, payload = 4, None, None  # skip struct nfgenmsg
    while off + 4 <= len(body):
        n, kind = struct.unpack_from("=HH", body, off)
        if n < 4:
            break
        kind &= 0x3FFF
        if kind == NFQA_PACKET_HDR:
            pid = struct.unpack_from("!I", body, off + 4)[0]
        elif kind == NFQA_PAYLOAD:
            payload = body[off + 4:off + n]
        off += (n + 3) & ~3
    sport = dport = None
    if payload and len(payload) >= 20 and payload[0] >> 4 == 4 and payload[9] == socket.IPPROTO_TCP:
        ihl = (payload[0] & 0x0F) * 4
        if len(payload) >= ihl + 4:
            sport, dport = struct.unpack_from("!HH", payload, ihl)
    return pid, sport, dport


class Owners:
    """Which member process sent a packet (loopback, IPv4).

    The sending socket is found with an exact sock_diag lookup of the packet's
    4-tuple (a hash lookup in the kernel; reading /proc/net/tcp walks the whole
    table and takes milliseconds), falling back to the listening socket for
    SYN-ACKs; its inode is then looked for among the sockets in /proc/PID/fd of
    each member. Decisions are cached per (source port, destination port).
    """

    def __init__(self, members, addr="127.0.0.1"):
        self.members = members  # pid -> delay seconds
        self.addr = socket.inet_aton(addr) + b"\0" * 12
        self.diag = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG)
        self.diag.bind((0, 0))
        self.inodes = {}   # inode -> member pid
        self.cache = {}    # (sport, dport) -> member pid or 0
        self.fd_scans = self.lookups = 0
        self.last_fd_scan = 0.0
        self.scan_fds()

    def scan_fds(self):
        self.fd_scans += 1
        self.last_fd_scan = time.monotonic()
        inodes = {}
        for mpid in self.members:
            try:
                fds = os.listdir("/proc/%d/fd" % mpid)
            except OSError:
                continue
            for fd in fds:
                try:
                    link = os.readlink("/proc/%d/fd/%s" % (mpid, fd))
                except OSError:
                    continue
                if link.startswith("socket:["):
                    inodes[int(link[8:-1])] = mpid
        self.inodes = inodes

    def lookup(self, lport, rport, remote):
        """inode of the TCP socket with this local/remote port (0: none)."""
        self.lookups += 1
        req = struct.pack("=BBBBI", socket.AF_INET, socket.IPPROTO_TCP, 0, 0, 0xFFFFFFFF)
        req += struct.pack("!HH", lport, rport) + self.addr + (self.addr if remote else b"\0" * 16)
        req += struct.pack("=III", 0, 0xFFFFFFFF, 0xFFFFFFFF)
        self.diag.send(struct.pack("=IHHII", 16 + len(req), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, 0, 0) + req)
        data = self.diag.recv(65536)
        for kind, body in split(data):
            if kind == SOCK_DIAG_BY_FAMILY and len(body) >= 72:
                return struct.unpack_from("=I", body, 68)[0]
        return 0

    def owner(self, sport, dport):
        if sport is None:
            return None
        key = (sport, dport)
        if key in self.cache:
            return self.cache[key] or None
        inode = self.lookup(sport, dport, True) or self.lookup(sport, 0, False)  # else: the listener
        pid = self.inodes.get(inode)
        if pid is None and inode and time.monotonic() - self.last_fd_scan > 0.002:
            self.scan_fds()  # a socket created since the last scan
            pid = self.inodes.get(inode)
        self.cache[key] = pid or 0
        return pid

    def refresh(self):
        self.cache.clear()
        self.scan_fds()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--queue", type=int, required=True)
    ap.add_argument("--member", action="append", required=True, metavar="PID:DELAY_MS")
    ap.add_argument("--ready-file")
    ap.add_argument("--stats-every", type=float, default=30.0)
    a = ap.parse_args()
    members = {}
    for m in a.member:
        pid, _, ms = m.partition(":")
        members[int(pid)] = float(ms) / 1000.0
    owners = Owners(members)
    q = Queue(a.queue)
    q.bind()
    log("bound queue %d; delaying packets sent by %s" % (
        a.queue, ", ".join("pid %d (+%g ms)" % (p, d * 1000) for p, d in members.items())))
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write("%d\n" % os.getpid())

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    held = []  # heap of (release time, order, packet id)
    order = 0
    n_delayed = n_passed = 0
    next_stats = time.monotonic() + a.stats_every
    next_rescan = time.monotonic() + 5.0
    poller = select.poll()
    poller.register(q.sock, select.POLLIN)
    while not stop:
        now = time.monotonic()
        timeout = min(held[0][0] - now if held else 1.0, next_rescan - now, 1.0)
        try:
            ready = poller.poll(max(0.0, timeout) * 1000.0)
        except InterruptedError:
            ready = []
        now_pass = []
        if ready:
            while True:
                try:
                    data = q.sock.recv(262144, socket.MSG_DONTWAIT)
                except BlockingIOError:
                    break
                except OSError as e:
                    if e.errno == errno.ENOBUFS:
                        log("netlink receive buffer overrun (packets were accepted by fail-open)")
                        continue
                    raise
                now = time.monotonic()
                for kind, body in split(data):
                    if kind != NFQNL_MSG_PACKET:
                        continue
                    pid, sport, dport = packet(body)
                    if pid is None:
                        continue
                    mpid = owners.owner(sport, dport)
                    if mpid is None:
                        now_pass.append(pid)
                        n_passed += 1
                    else:
                        order += 1
                        heapq.heappush(held, (now + members[mpid], order, pid))
                        n_delayed += 1
        now = time.monotonic()
        while held and held[0][0] <= now:
            now_pass.append(heapq.heappop(held)[2])
        if now_pass:
            q.accept(now_pass)
        if now >= next_rescan:
            owners.refresh()
            next_rescan = now + 5.0
            gone = [p for p in members if not os.path.exists("/proc/%d" % p)]
            if len(gone) == len(members):
                log("every member process is gone; exiting")
                break
        if now >= next_stats:
            log("delayed %d packets, passed %d, held now %d; socket lookups %d, fd scans %d" % (
                n_delayed, n_passed, len(held), owners.lookups, owners.fd_scans))
            next_stats = now + a.stats_every
    q.accept([h[2] for h in held])
    q.unbind()
    log("exiting: released %d held packets; delayed %d, passed %d in total" % (len(held), n_delayed, n_passed))


if __name__ == "__main__":
    main()
