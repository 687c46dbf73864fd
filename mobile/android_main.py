"""Entry point on Android (python-for-android runs this file): open the field app."""

from mobile.app.run import run_app

if __name__ == "__main__":
    run_app()
