#!/usr/bin/env python3
"""endpoint_issued.py ARGS...: tests/fixtures/aws_endpoint.py with ARGS, that
also appends to the file named by $ENDPOINT_ISSUED every secret it hands
out: the secret key and session token of each temporary credential STS or
the SSO portal issues (Iam.issue), and the access and refresh tokens SSO
OIDC CreateToken issues, one a line. The secrets tests search laketop's
outputs for each of them. Start it as a fixture:
start_fixture NAME ../helpers/endpoint_issued.py --port 0 ..."""
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "fixtures"))
import aws_iam  # noqa: E402
import aws_endpoint  # noqa: E402

_path = os.environ["ENDPOINT_ISSUED"]
_lock = threading.Lock()


def _record(*values):
    with _lock, open(_path, "a") as f:
        for v in values:
            if v:
                f.write(v + "\n")


_issue = aws_iam.Iam.issue
_create_token = aws_iam.Iam.oidc_create_token


def _issue_recorded(self, *args, **kwargs):
    p = _issue(self, *args, **kwargs)
    _record(p.secret_key, p.token)
    return p


def _create_token_recorded(self, body):
    out = _create_token(self, body)
    _record(out.get("accessToken"), out.get("refreshToken"))
    return out


aws_iam.Iam.issue = _issue_recorded
aws_iam.Iam.oidc_create_token = _create_token_recorded

if __name__ == "__main__":
    sys.exit(aws_endpoint.main(sys.argv[1:]))
