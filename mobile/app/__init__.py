"""The Kivy field app (随查现场检查).

`main.SuichaFieldApp` wires the services in `mobile.field` (store, sync, forms,
photos, signatures, visits) to screens. Each screen is one module and one kv
file in `screens/`, built when first shown (`lazy.LazyScreenManager`). Screens
only display service data and pass user actions on: no rule lives in a widget.
"""
