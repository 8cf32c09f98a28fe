#!/usr/bin/env python3
"""A WHIP publisher (RFC 9725) that sends what OBS sends, from GStreamer's webrtcbin through Debian's python3-gst-1.0:
H.264 (x264enc: constrained baseline unless told another profile, no B-frames, a keyframe every second) and Opus, from a moving test pattern and
a tone. No trickle ICE: the offer is POSTed once ICE gathering is complete, its candidates in it.

Usage: gst-whip-publisher.py <endpoint> <bearer token> [<H.264 profile: constrained-baseline (default), main, high>]

Prints "RESOURCE <url>" once the endpoint answered 201 (or "ERROR <status> <body>" and exits 1), keeps publishing
until SIGTERM or SIGINT, then DELETEs the resource, prints "DELETED <status>" and exits.
"""
import signal
import sys
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
videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1
  ! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast bframes=0 key-int-max=30 bitrate=800
  ! video/x-h264,profile={profile} ! rtph264pay config-interval=-1 pt=96 aggregate-mode=zero-latency
  ! application/x-rtp,media=video,encoding-name=H264,payload=96 ! pc.
audiotestsrc is-live=true wave=sine volume=0.1 ! audioconvert ! audioresample ! opusenc
  ! rtpopuspay pt=111 ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111 ! pc.
"""

# How long to wait for ICE gathering to complete before sending the offer with what was gathered, ms.
GATHERING_TIMEOUT_MS = 3000


def say(line):
    print(line, flush=True)


class Publisher:
    def __init__(self, endpoint, token, profile):
        self.endpoint = endpoint
        self.token = token
        self.resource = None
        self.sent = False
        self.offering = False
        self.offer_attempts = 0
        self.loop = GLib.MainLoop()
        self.pipeline = Gst.parse_launch(PIPELINE.format(profile=profile))
        self.pc = self.pipeline.get_by_name("pc")
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
        self.loop.run()
        self.pipeline.set_state(Gst.State.NULL)
        return 0 if self.resource else 1


if __name__ == "__main__":
    Gst.init(None)
    sys.exit(Publisher(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "constrained-baseline").run())
