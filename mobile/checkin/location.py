"""Where the tablet is at arrival, when it can say so.

On Android the last position the system holds (GPS first, then the network
provider) is read through pyjnius; without a sensor, without the location
permission or without a fix there is no position, and the check-in records it
as unavailable rather than guessing. A desktop station without a sensor may be
given a fixed position in `SUICHA_FIELD_GPS` ("latitude,longitude").
"""

from __future__ import annotations

import math
import os

FIXED_ENV = "SUICHA_FIELD_GPS"


def _fixed() -> tuple[float, float] | None:
    raw = os.environ.get(FIXED_ENV, "")
    try:
        latitude, longitude = (float(part) for part in raw.split(","))
    except ValueError:
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if -90 <= latitude <= 90 and -180 <= longitude <= 180:
        return latitude, longitude
    return None


def _android() -> tuple[float, float] | None:
    try:
        from jnius import autoclass  # present only in the Android build
    except ImportError:
        return None
    try:
        activity = autoclass("org.kivy.android.PythonActivity").mActivity
        context = autoclass("android.content.Context")
        manager = activity.getSystemService(context.LOCATION_SERVICE)
        for provider in ("gps", "network"):
            location = manager.getLastKnownLocation(provider)
            if location is not None:
                return float(location.getLatitude()), float(location.getLongitude())
    except Exception:  # no permission (SecurityException), provider off: no position
        return None
    return None


def current_position() -> tuple[float, float] | None:
    """(latitude, longitude), or None when the device cannot tell."""
    return _fixed() or _android()
