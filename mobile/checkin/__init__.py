"""扫码入企 on the tablet: the business-licence QR scanned at arrival, checked against the task."""
