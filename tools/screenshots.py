#!/usr/bin/env python3
"""Take the readme screenshots from a running demo server (make run).

    python3 tools/screenshots.py OUTPUT.png URL [--login admin --password admin]
        [--wait-for CSS] [--click CSS ...] [--width 1400 --height 900]
        [--server http://127.0.0.1:8069]

Drives headless Chromium through the DevTools protocol (websocket-client):
logs in, opens the URL, waits until the web client shows the page (and for
the CSS selector, if given), saves a PNG.
"""

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


class Page:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(f"!!document.querySelector({json.dumps(selector)})"):
                return
            time.sleep(0.3)
        raise TimeoutError(f"{selector} did not appear")

    def wait_ready(self, timeout=60):
        """Wait until the web client shows an action, whatever it is (a view,
        Discuss, a dashboard), and has nothing left loading."""
        ready = (
            "(() => { const manager = document.querySelector('.o_action_manager');"
            " return !!(manager && manager.firstElementChild)"
            " && !document.querySelector('.o_loading_indicator')"
            " && document.readyState === 'complete'; })()"
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.js(ready):
                return
            time.sleep(0.3)
        raise TimeoutError("the web client did not finish loading")

    def goto(self, url):
        self.call("Page.navigate", url=url)
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output")
    parser.add_argument("url", help="path on the server, e.g. /odoo/action-...")
    parser.add_argument("--server", default="http://127.0.0.1:8069")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--wait-for", help="CSS selector to wait for too (default: the web client is ready)"
    )
    parser.add_argument("--click", action="append", default=[], help="CSS selectors to click")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    opts = parser.parse_args()

    chrome = next(filter(None, map(shutil.which, ["chromium", "google-chrome"])), None)
    if not chrome:
        sys.exit("Chromium is needed (apt-get install chromium).")
    profile = tempfile.mkdtemp(prefix="dist-shot-")
    proc = subprocess.Popen(
        [chrome, *CHROME_FLAGS, "--remote-debugging-port=9333", f"--user-data-dir={profile}",
         f"--window-size={opts.width},{opts.height}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(50):
            try:
                targets = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
                break
            except OSError:
                time.sleep(0.2)
        target = next(t for t in targets if t["type"] == "page")
        page = Page(websocket.create_connection(target["webSocketDebuggerUrl"], timeout=60))
        page.call("Page.enable")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            width=opts.width, height=opts.height, deviceScaleFactor=1, mobile=False,
        )  # fmt: skip
        page.goto(f"{opts.server}/web/login")
        page.wait_for("input[name=login]")
        page.js(
            f"document.querySelector('input[name=login]').value = {json.dumps(opts.login)};"
            f"document.querySelector('input[name=password]').value = {json.dumps(opts.password)};"
            "document.querySelector('form.oe_login_form').submit();"
        )
        time.sleep(2)
        page.goto(f"{opts.server}{opts.url}")
        page.wait_ready()
        if opts.wait_for:
            page.wait_for(opts.wait_for)
        for selector in opts.click:
            page.wait_for(selector)
            page.js(f"document.querySelector({json.dumps(selector)}).click()")
            time.sleep(1)
        time.sleep(1.5)
        shot = page.call("Page.captureScreenshot", format="png")
        with open(opts.output, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(opts.output)
    finally:
        proc.terminate()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
