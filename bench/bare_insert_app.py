"""Benchmark fixture (not part of the product): the ceiling for bench/public_burst.py.

A bare Flask app on the same stack as hoering (Flask-SQLAlchemy, psycopg 3, PostgreSQL,
gunicorn) whose one POST endpoint reads the same form the public response form gets and
inserts one row into a table of its own, then answers 303 like the real form. No session,
CSRF, rate limit, audit event or outbox: what is left is the cost of the stack itself.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/db \\
        gunicorn --pythonpath bench 'bare_insert_app:create_app()'

``create_table(url)`` creates the table first (the harness calls it before starting the
workers, so that they do not race to create it).
"""

from __future__ import annotations

import os

from flask import Flask, redirect, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, func
from sqlalchemy.dialects.postgresql import insert

metadata = MetaData()
bare_inserts = Table(
    "bench_bare_inserts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("email", String(254), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def create_table(url: str) -> None:
    engine = create_engine(url)
    metadata.create_all(engine)
    engine.dispose()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True}  # as hoering's Config
    db = SQLAlchemy(app, metadata=metadata)

    @app.get("/")
    def form() -> str:
        return "<form method='post' action='/svar'><input name='general_text'></form>"

    @app.post("/svar")
    def submit():
        token = request.form["token"]
        # The same token twice stores one row, as the real form does.
        db.session.execute(insert(bare_inserts).values(
            token=token, name=request.form["name"], email=request.form["email"],
            text=request.form["general_text"],
        ).on_conflict_do_nothing(index_elements=["token"]))
        db.session.commit()
        return redirect(f"/kvittering/{token}", code=303)

    return app
