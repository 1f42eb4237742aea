import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.uploads import validate_document


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("charter.pdf", b"%PDF-1.7\n..."),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("map.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted(name, content):
    validate_document(SimpleUploadedFile(name, content))


def test_a_file_named_pdf_with_other_content_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_document(SimpleUploadedFile("charter.pdf", b"<script>alert(1)</script>"))
    assert caught.value.code == "wrong_type"


def test_a_file_over_the_limit_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as caught:
        validate_document(SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 20))
    assert caught.value.code == "too_large"
