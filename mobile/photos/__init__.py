"""Photos at capture (拍照取证): oriented, resized, stamped with evidence, hashed.

`prepare_photo` turns whatever the camera or file chooser gave into the JPEG
the device keeps and sends; `Store.add_photo` then files it under its SHA-256.
"""

from mobile.photos.pipeline import EvidenceLine, PreparedPhoto, prepare_photo

__all__ = ["EvidenceLine", "PreparedPhoto", "prepare_photo"]
