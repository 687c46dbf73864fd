"""Inspection codes (检查码, 扫码入企): issued per task, signed, checked by the business."""
