"""Files for the document tests: small real PDFs and images, made here."""

from __future__ import annotations

import io

import pytest


def pdf_bytes(text: str = "Loonstrook januari", pages: int = 1) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        c.drawString(100, 750, f"{text} {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def png_bytes(size=(300, 200), color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, format="PNG")
    return buf.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def case_a(world):
    return world.clients_a[0].cases.get()


@pytest.fixture
def km(world):
    return world.users_a["integrale_klantmanager"]
