"""The hostile-input suite's table of bad values (Tests/hostile/hostile.py): as raw JSON text, as
query-string and path text, as Python values for MCP clients, and as chat questions."""
import json

import fakes

XSS = fakes.XSS
# Raw JSON text of each bad value, so 1e400, NaN and 2^63 reach the server as written.
BAD_JSON = {
    "NaN": "NaN", "Infinity": "Infinity", "-Infinity": "-Infinity", "1e300": "1e300", "-1e300": "-1e300", "1e400": "1e400",
    "2^63": "9223372036854775808", "2^63-1": "9223372036854775807", "-2^63-1": "-9223372036854775809", "-1": "-1", "0": "0",
    "0.5": "0.5", "empty": '""', '"nan"': '"nan"', '"inf"': '"inf"', '"1e400"': '"1e400"', '"2^63"': '"9223372036854775808"',
    "1MB": '"' + "a" * (1 << 20) + '"', "true": "true", "[]": "[]", "{}": "{}", "deep": "[" * 5000 + "]" * 5000,
    "markup": json.dumps(XSS), "ansi": json.dumps("\x1b]0;t\x07\x1b[2J"),
}
# The same in query strings and path segments.
BAD_TEXT = ["nan", "NaN", "inf", "-inf", "1e300", "1e400", "9223372036854775807", "9223372036854775808", "-1", "0", "", "0x10",
            "a" * 8000, XSS, "%00", "../../etc/passwd", "\x1b[2J", "1" * 400]
# For MCP clients: Python values (the SDK encodes them; NaN and inf go out as Python writes them).
BAD_MCP = {"NaN": float("nan"), "inf": float("inf"), "1e300": 1e300, "2^63": 2 ** 63, "-1": -1, "empty": "", "1MB": "a" * (1 << 20),
           "true": True, "list": [1], "object": {"a": 1}, "deep": json.loads("[" * 200 + "]" * 200), "markup": XSS}
CHAT = ["nan weeks", "1e400 weeks", "inf days", "9223372036854775808 hours", "-1 minutes", "0 seconds", "1e300 hours", "NaN hours",
        "why is etcd slow over the last nan weeks?", "`up`", "query: " + "(" * 2000, XSS, "\x1b[2J clear", "a" * 60000]
