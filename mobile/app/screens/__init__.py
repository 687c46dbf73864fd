"""One module + one kv file per screen, built when first shown (`mobile.app.lazy`).

Kivy-free, so the list can be checked without a window.
"""

from pathlib import Path

SCREENS_DIR = Path(__file__).parent

SCREENS: dict[str, str] = {
    "signin": "SignInScreen",
    "tasks": "TaskListScreen",
    "task": "TaskDetailScreen",
    "item": "ItemFormScreen",
    "signature": "SignatureScreen",
    "submit": "SubmitScreen",
    "sync": "SyncScreen",
    "inspection_code": "InspectionCodeScreen",
    "checkin": "CheckInScreen",
}
"""Screen name → class in `mobile.app.screens.<name>`, with rules in `<name>.kv`."""
