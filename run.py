"""Entry point: `flask --app run …` and gunicorn `run:app`."""
from app import create_app

app = create_app()
