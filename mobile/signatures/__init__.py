"""Signatures (签名) of the business representative and of each inspector.

Strokes are lists of points normalised to 0..1 of the pad (origin bottom
left, as Kivy reports touches), so a rotation or resize redraws them instead
of losing them. Each stroke is one commit; `finish` renders a PNG with
Pillow, files it content-addressed like a photo (it travels as an attachment)
and records who signed and when.
"""

from mobile.signatures.render import render_png
from mobile.signatures.service import (
    REPRESENTATIVE,
    SignatureService,
    SignatureState,
    Signer,
    inspector_key,
)
from mobile.signatures.strokes import Point, Stroke, check_stroke

__all__ = [
    "REPRESENTATIVE",
    "Point",
    "SignatureService",
    "SignatureState",
    "Signer",
    "Stroke",
    "check_stroke",
    "inspector_key",
    "render_png",
]
