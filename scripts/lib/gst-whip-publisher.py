#!/usr/bin/env python3
"""A WHIP publisher (RFC 9725) that sends what OBS sends, from GStreamer's webrtcbin through Debian's python3-gst-1.0:
H.264 (x264enc: constrained baseline unless told another profile, no B-frames, a keyframe every second) and Opus, from a moving test pattern and
a tone. No trickle ICE: the offer is POSTed once ICE gathering is complete, its candidates in it.

Usage: gst-whip-publisher.py <endpoint> <bearer token> [<H.264 profile: constrained-baseline (default), main, high>] [clock]

With `clock`, the picture is not a test pattern but a clock for glass-to-glass measures: each frame's top 48 rows
carry the wall-clock time it was made (Unix ms, modulo 2^40) as 40 blocks of 16 px, most significant bit first,
white (luma 235) for 1 and black (16) for 0, over a grey picture. A watcher reads the blocks back from the frame it
shows (`scripts/in-page/watch-page.ts`, `glassToGlass`) and compares them with its own clock (the same machine's).

Prints "RESOURCE <url>" once the endpoint answered 201 (or "ERROR <status> <body>" and exits 1), keeps publishing
until SIGTERM or SIGINT, then DELETEs the resource, prints "DELETED <status>" and exits.
"""
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstWebRTC", "1.0")
gi.require_version("GstSdp", "1.0")
from gi.repository import GLib, Gst, GstSdp, GstWebRTC  # noqa: E402

PIPELINE = """
webrtcbin name=pc bundle-policy=max-bundle
{video} ! video/x-raw,width=640,height=360,framerate=30/1
  ! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast bframes=0 key-int-max=30 bitrate=800
  ! video/x-h264,profile={profile} ! rtph264pay config-interval=-1 pt=96 aggregate-mode=zero-latency
  ! application/x-rtp,media=video,encoding-name=H264,payload=96 ! pc.
audiotestsrc is-live=true wave=sine volume=0.1 ! audioconvert ! audioresample ! opusenc
  ! rtpopuspay pt=111 ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! pc.
"""

TEST_PATTERN = "videotestsrc is-live=true pattern=ball"
CLOCK = "appsrc name=clock is-live=true do-timestamp=true format=time caps=video/x-raw,format=I420,width=640,height=360,framerate=30/1"

# The clock picture: 640 x 360 I420, the time in the top rows (see the module's docstring).
WIDTH, HEIGHT = 640, 360
CLOCK_BITS = 40
CLOCK_BLOCK = WIDTH // CLOCK_BITS
CLOCK_ROWS = 48
CLOCK_REST = b"\x80" * (WIDTH * (HEIGHT - CLOCK_ROWS) + WIDTH * HEIGHT // 2)


def clock_frame(ms):
    """One I420 frame showing `ms` (an int below 2^40) in blocks."""
    row = b"".join((b"\xeb" if (ms >> (CLOCK_BITS - 1 - i)) & 1 else b"\x10") * CLOCK_BLOCK for i in range(CLOCK_BITS))
    return row * CLOCK_ROWS + CLOCK_REST


# How long to wait for ICE gathering to complete before sending the offer with what was gathered, ms.
GATHERING_TIMEOUT_MS = 3000


def say(line):
    print(line, flush=True)


class Publisher:
    def __init__(self, endpoint, token, profile, clock):
        self.endpoint = endpoint
        self.token = token
        self.resource = None
        self.sent = False
        self.offering = False
        self.offer_attempts = 0
        self.loop = GLib.MainLoop()
        self.pipeline = Gst.parse_launch(PIPELINE.format(profile=profile, video=CLOCK if clock else TEST_PATTERN))
        self.pc = self.pipeline.get_by_name("pc")
        self.clock = self.pipeline.get_by_name("clock")
        self.pc.connect("on-negotiation-needed", self.on_negotiation_needed)
        self.pc.connect("notify::ice-gathering-state", self.on_gathering)

    def request(self, method, url, body=None, content_type=None):
        headers = {"Authorization": f"Bearer {self.token}"}
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=20) as res:
                return res.status, dict(res.headers), res.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read().decode()

    def on_negotiation_needed(self, _pc):
        if self.offering:
            return
        self.offering = True
        for i in range(2):
            transceiver = self.pc.emit("get-transceiver", i)
            if transceiver is not None:
                transceiver.set_property("direction", GstWebRTC.WebRTCRTPTransceiverDirection.SENDONLY)
        self.create_offer()

    def create_offer(self):
        promise = Gst.Promise.new_with_change_func(self.on_offer_created, None)
        self.pc.emit("create-offer", None, promise)
        return False

    def on_offer_created(self, promise, _data):
        reply = promise.get_reply()
        offer = reply.get_value("offer") if reply is not None else None
        if offer is None:
            # webrtcbin 1.22 refuses an offer while a pad has no caps yet: ask again shortly (at most 50 times).
            self.offer_attempts += 1
            if self.offer_attempts >= 50:
                say(f"ERROR create-offer {reply.to_string() if reply is not None else 'no reply'}")
                GLib.idle_add(self.loop.quit)
            else:
                GLib.timeout_add(100, self.create_offer)
            return
        self.pc.emit("set-local-description", offer, Gst.Promise.new())
        GLib.timeout_add(GATHERING_TIMEOUT_MS, self.send_offer)

    def on_gathering(self, _pc, _param):
        if self.pc.get_property("ice-gathering-state") == GstWebRTC.WebRTCICEGatheringState.COMPLETE:
            GLib.idle_add(self.send_offer)

    def send_offer(self):
        if self.sent:
            return False
        self.sent = True
        sdp = self.pc.get_property("local-description").sdp.as_text()
        status, headers, body = self.request("POST", self.endpoint, sdp.encode(), "application/sdp")
        if status != 201:
            say(f"ERROR {status} {body}")
            self.loop.quit()
            return False
        self.resource = urllib.parse.urljoin(self.endpoint, headers.get("Location") or headers.get("location"))
        _, message = GstSdp.SDPMessage.new_from_text(body)
        answer = GstWebRTC.WebRTCSessionDescription.new(GstWebRTC.WebRTCSDPType.ANSWER, message)
        self.pc.emit("set-remote-description", answer, Gst.Promise.new())
        say(f"RESOURCE {self.resource}")
        return False

    def push_clock_frame(self):
        ms = int(time.time() * 1000) % (1 << CLOCK_BITS)
        self.clock.emit("push-buffer", Gst.Buffer.new_wrapped(clock_frame(ms)))
        return True

    def stop(self):
        if self.resource:
            status, _, _ = self.request("DELETE", self.resource)
            say(f"DELETED {status}")
        self.loop.quit()
        return False

    def run(self):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, self.stop)
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, self.stop)
        self.pipeline.set_state(Gst.State.PLAYING)
        if self.clock is not None:
            GLib.timeout_add(33, self.push_clock_frame)
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        return 0 if self.resource else 1


if __name__ == "__main__":
    Gst.init(None)
    args = sys.argv[1:]
    profile = args[2] if len(args) > 2 else "constrained-baseline"
    sys.exit(Publisher(args[0], args[1], profile, len(args) > 3 and args[3] == "clock").run())
