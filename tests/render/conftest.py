import io

import pytest
from pypdf import PdfReader

from app.render import render_docx, render_pdf
from tests.render.samples import long_task_rows, urging_letter


@pytest.fixture(scope="session")
def letter():
    return urging_letter()


@pytest.fixture(scope="session")
def letter_pdf(letter) -> bytes:
    return render_pdf(letter)


@pytest.fixture(scope="session")
def letter_reader(letter_pdf) -> PdfReader:
    return PdfReader(io.BytesIO(letter_pdf))


@pytest.fixture(scope="session")
def long_letter_reader() -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(urging_letter(long_task_rows(50)))))


@pytest.fixture(scope="session")
def letter_docx(letter) -> bytes:
    return render_docx(letter)
