"""Browser tests: the real server in headless Chromium (marker: browser)."""
