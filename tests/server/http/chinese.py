"""What "Chinese from start to end" means for a `detail.zh` in these tests."""

from __future__ import annotations

import re

# Names a Chinese sentence may carry as they are: quoted identifiers, and
# format names that have no Chinese word.
_QUOTED = re.compile(r"“[^”]*”|'[^']*'")
_ALLOWED = re.compile(
    r"JSON|UTF-8|UUID|RFC 3339|Base64|NUL|Content-Length|Content-Type|Host|Cookie|"
    r"multipart/form-data|multipart"
)


def assert_chinese(text: str) -> None:
    """No English words in `text`, once quoted names and format names are taken out."""
    bare = _ALLOWED.sub("", _QUOTED.sub("", text))
    words = re.findall(r"[A-Za-z]{2,}", bare)
    assert not words, f"English in detail.zh: {words} in {text!r}"
    assert re.search(r"[\u4e00-\u9fff]", text), text


def assert_error(response, status: int, code: str) -> dict:
    """The standard error body, with a Chinese and an English detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status and body["code"] == code, body
    assert set(body["detail"]) == {"zh", "en"}
    assert_chinese(body["detail"]["zh"])
    assert not re.search(r"[\u4e00-\u9fff]", body["detail"]["en"]), body["detail"]["en"]
    return body
