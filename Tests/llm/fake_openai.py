#!/usr/bin/env python3
"""A stand-in OpenAI-compatible chat-completions server for CLI tests: streams a fixed answer as
SSE chunks (`data: {choices:[{delta:{content}}]}` … `data: [DONE]`), requires a bearer key, and
appends each request body (one JSON per line) to the file given. Prints its port."""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

KEY, LOG = sys.argv[1], sys.argv[2]
ANSWER = ["Primary cause: ", "the slow disk the rules found. ", "\nSecondary factors: none.", "\nRisk: elections if fsync keeps rising."]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(LOG, "a") as f:
            f.write(body.decode() + "\n")
        if self.headers.get("Authorization") != "Bearer " + KEY:
            data = json.dumps({"error": {"message": "Incorrect API key provided"}}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for token in ANSWER:
            self.chunk("data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": token}}]}) + "\n\n")
        self.chunk("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")

    def chunk(self, text):
        data = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
