"""Completion review, extension requests and evidence files: services, pages, downloads."""
import io
import zipfile
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.clock import today
from app.extensions import db
from app.models import (
    Attachment,
    AttachmentBlob,
    AuditEvent,
    ExtensionDecision,
    ExtensionRequest,
    Notification,
    NotificationKind,
    OrgKind,
    Role,
    Task,
    TaskStatus,
    TaskUpdate,
)
from app.rules import RuleError
from app.tasks import extensions, review
from app.tasks.classes import class_of
from tests.conftest import login
from tests.factories import PASSWORD, make_item, make_task, make_unit, make_user


def png_bytes(exif_gps: bool = False) -> bytes:
    """A small real PNG (or JPEG with a GPS tag when asked)."""
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (16.0, 5.0, 0.0)}  # GPSInfo
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office_bytes(main_type: str, part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                         f'content-types"><Override PartName="/{part}" ContentType="{main_type}"/></Types>')
        archive.writestr(part, "<x/>")
    return out.getvalue()


@pytest.fixture
def world(app):
    """A commune with a user, a coordinator, and an open task with a deadline in ten days."""
    with app.app_context():
        office = make_unit(kind=OrgKind.DISTRICT_OFFICE)
        commune = make_unit()
        officer = make_user("xa", unit=commune)
        coordinator = make_user("vp", role=Role.COORDINATOR, unit=office)
        task = make_task(commune, make_item(), deadline=today() + timedelta(days=10),
                         status=TaskStatus.IN_PROGRESS, progress=50)
        yield {"officer": officer, "coordinator": coordinator, "task": task, "commune": commune}


def _upload(data, name):
    from app.evidence.files import Upload
    return Upload(name, data)


def test_submission_counts_open_until_accepted_and_done_on_the_submission_day(app, world):
    task, officer, coordinator = world["task"], world["officer"], world["coordinator"]
    review.submit_completion(task, officer, note="Đã xong", uploads=[_upload(png_bytes(), "anh.png")],
                             version=task.version)
    assert task.status == TaskStatus.SUBMITTED and task.progress == 100
    assert class_of(task, today()).value == "open_on_time"
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == NotificationKind.SUBMITTED, Notification.recipient_id == coordinator.id)) == 1
    # Reviewed a month after the deadline: still done on time, on the day it was reported.
    import time_machine
    with time_machine.travel(today() + timedelta(days=40)):
        review.accept_completion(task, coordinator, note="", version=task.version)
    assert task.status == TaskStatus.DONE and task.completed_on == today()
    assert class_of(task, today() + timedelta(days=40)).value == "done_on_time"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"task.submit", "task.accept"} <= actions
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == NotificationKind.ACCEPTED, Notification.recipient_id == officer.id)) == 1


def test_a_returned_completion_is_in_progress_again_with_the_reason_and_the_unit_told(app, world):
    task, officer, coordinator = world["task"], world["officer"], world["coordinator"]
    review.submit_completion(task, officer, note="Xong", uploads=[], version=task.version)
    with pytest.raises(RuleError):
        review.return_completion(task, coordinator, note="", version=task.version)
    review.return_completion(task, coordinator, note="Thiếu ảnh", version=task.version)
    assert task.status == TaskStatus.IN_PROGRESS and task.completed_on is None
    last = db.session.scalars(select(TaskUpdate).where(TaskUpdate.task_id == task.id)
                              .order_by(TaskUpdate.id.desc())).first()
    assert last.note == "Thiếu ảnh" and last.old_status == TaskStatus.SUBMITTED
    assert db.session.scalar(select(Notification.note).where(Notification.kind == NotificationKind.RETURNED)) \
        == "Thiếu ảnh"


def test_the_lead_unit_cannot_mark_done_itself_when_the_item_asks_for_review(app, world):
    from app.tasks.services import change_status
    task = world["task"]
    with pytest.raises(RuleError):
        change_status(task, world["officer"], status="done", progress=100, note="x", version=task.version)
    task.item.review_required = False
    db.session.commit()
    change_status(task, world["officer"], status="done", progress=100, note="x", version=task.version)
    assert task.status == TaskStatus.DONE


def test_evidence_required_and_bad_files_are_refused_with_nothing_stored(app, world):
    task, officer = world["task"], world["officer"]
    task.item.evidence_required = True
    db.session.commit()
    with pytest.raises(RuleError, match="minh chứng"):
        review.submit_completion(task, officer, note="Xong", uploads=[], version=task.version)
    for data, name in [(b"MZ\x90\x00 not a pdf", "baocao.pdf"), (b"<html><script>", "a.png"),
                       (office_bytes("application/vnd.ms-word.document.macroEnabled.main+xml",
                                     "word/document.xml"), "macro.docx")]:
        with pytest.raises(RuleError, match="PDF, JPEG"):
            review.submit_completion(task, officer, note="Xong", uploads=[_upload(data, name)], version=task.version)
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    with pytest.raises(RuleError, match="lớn hơn"):
        review.submit_completion(task, officer, note="Xong", uploads=[_upload(PDF * 10, "a.pdf")],
                                 version=task.version)
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    assert db.session.get(Task, task.id).status == TaskStatus.IN_PROGRESS


def test_five_kinds_are_recognised_by_content_and_photos_lose_their_gps(app, world):
    from app.evidence.files import check
    docx = office_bytes("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                        "word/document.xml")
    xlsx = office_bytes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                        "xl/workbook.xml")
    files = check([_upload(PDF, "x.exe"), _upload(png_bytes(), "a"), _upload(png_bytes(True), "gps.jpg"),
                   _upload(docx, "d.docx"), _upload(xlsx, "s.xlsx")], 10**7, 5)
    assert [f.kind.value for f in files] == ["pdf", "png", "jpeg", "docx", "xlsx"]
    assert files[0].filename == "x.pdf"
    photo = Image.open(io.BytesIO(files[2].data))
    assert 0x8825 not in photo.getexif() and files[2].preview is not None


def test_equal_files_share_one_blob(app, world):
    task, officer = world["task"], world["officer"]
    data = PDF
    review.submit_completion(task, officer, note="Xong", uploads=[_upload(data, "a.pdf"), _upload(data, "b.pdf")],
                             version=task.version)
    assert db.session.scalar(select(func.count()).select_from(AttachmentBlob)) == 1
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 2


def test_extension_approved_moves_the_effective_deadline_and_keeps_the_original(app, world):
    task, officer, coordinator = world["task"], world["officer"], world["coordinator"]
    original = task.deadline
    wanted = original + timedelta(days=20)
    with pytest.raises(RuleError):
        extensions.request_extension(task, officer, deadline=original - timedelta(days=1), reason="Mưa bão")
    request = extensions.request_extension(task, officer, deadline=wanted, reason="Mưa bão")
    with pytest.raises(RuleError, match="đang chờ"):
        extensions.request_extension(task, officer, deadline=wanted, reason="Lần hai")
    with pytest.raises(RuleError):
        extensions.decide_extension(request, coordinator, approve=False, note="")
    extensions.decide_extension(request, coordinator, approve=True, note="Đồng ý")
    task = db.session.get(Task, task.id)
    assert task.deadline == original and task.effective_deadline == wanted
    assert task.extended_by_id == coordinator.id and task.extension_reason == "Mưa bão"
    assert request.decision == ExtensionDecision.APPROVED
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == NotificationKind.EXTENSION_DECIDED)) == 1


def test_the_database_keeps_one_pending_request_per_task(app, world):
    from sqlalchemy.exc import IntegrityError
    task = world["task"]
    for _ in range(2):
        db.session.add(ExtensionRequest(task_id=task.id, requested_deadline=date(2030, 1, 1), reason="x"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_commune_reports_with_a_photo_and_the_file_is_served_only_to_who_sees_the_task(app, world, client):
    task = world["task"]
    task_id = task.id
    login(client, "xa", PASSWORD)
    response = client.post(f"/tasks/{task_id}/completion", data={
        "note": "Đã hoàn thành", "version": str(task.version), "files": [(io.BytesIO(png_bytes()), "ảnh 1.png")]},
        content_type="multipart/form-data")
    assert response.status_code == 303, response.text
    attachment = db.session.scalars(select(Attachment)).one()
    page = client.get(f"/tasks/{task_id}").text
    assert f"/files/{attachment.id}" in page
    response = client.get(f"/files/{attachment.id}")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''%E1%BA%A3nh%201.png" in disposition
    assert client.get(f"/files/{attachment.id}/preview").mimetype == "image/jpeg"
    client.post("/logout")
    other = make_user("khac", unit=make_unit())
    login(client, other.username, PASSWORD)
    assert client.get(f"/files/{attachment.id}").status_code == 404
    assert client.get(f"/files/{attachment.id}/preview").status_code == 404


def test_a_refused_upload_shows_the_message_and_stores_nothing(app, world, client):
    task = world["task"]
    login(client, "xa", PASSWORD)
    response = client.post(f"/tasks/{task.id}/completion", data={
        "note": "Xong", "version": str(task.version), "files": [(io.BytesIO(b"#!/bin/sh\nrm -rf /"), "a.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "PDF, JPEG, PNG" in response.text
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_the_office_returns_and_accepts_through_the_page(app, world, client):
    task = world["task"]
    review.submit_completion(task, world["officer"], note="Xong", uploads=[], version=task.version)
    login(client, "vp", PASSWORD)
    page = client.get(f"/tasks/{task.id}").text
    assert "review-accept" in page
    response = client.post(f"/tasks/{task.id}/review/return", data={"note": "", "version": str(task.version)})
    assert response.status_code == 422
    response = client.post(f"/tasks/{task.id}/review/return", data={"note": "Bổ sung", "version": str(task.version)})
    assert response.status_code == 303
    assert db.session.get(Task, task.id).status == TaskStatus.IN_PROGRESS


def test_only_upload_routes_accept_large_bodies(app, world, client):
    login(client, "xa", PASSWORD)
    big = b"x" * (2 * 1024 * 1024)
    assert client.post(f"/tasks/{world['task'].id}/notes", data=big,
                       content_type="application/octet-stream").status_code == 413
    response = client.post(f"/tasks/{world['task'].id}/completion", data={
        "note": "Xong", "version": "1", "files": [(io.BytesIO(b"%PDF-" + big), "a.pdf")]},
        content_type="multipart/form-data")
    assert response.status_code in (303, 409)


def test_the_htmx_status_form_posts_multipart_and_its_file_is_stored_and_listed(app, world, client):
    task = world["task"]
    login(client, "xa", PASSWORD)
    response = client.post(f"/tasks/{task.id}/status", headers={"HX-Request": "true"}, data={
        "status": "in_progress", "progress": "70", "note": "Đã họp 2 thôn", "version": str(task.version),
        "files": [(io.BytesIO(PDF), "bien-ban.pdf")]}, content_type="multipart/form-data")
    assert response.status_code == 200 and "<html" not in response.text
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.filename == "bien-ban.pdf" and attachment.task_update_id is not None
    assert f"/files/{attachment.id}" in response.text  # the swapped history lists it
    assert f"/files/{attachment.id}" in client.get(f"/tasks/{task.id}").text


def test_a_bad_file_for_a_directive_or_a_team_is_the_forms_422_with_nothing_stored(app, world, client):
    from tests.factories import make_team, make_village
    directive_id = world["task"].item.directive_id
    team_id = make_team(make_village(world["commune"], "Thôn 1")).id
    bad = {"files": [(io.BytesIO(b"MZ\x90\x00not a document"), "quyet-dinh.pdf")]}
    login(client, "vp", PASSWORD)
    response = client.post(f"/directives/{directive_id}/files", data=bad, content_type="multipart/form-data")
    assert response.status_code == 422 and "PDF, JPEG, PNG" in response.text and 'id="attach-form"' in response.text
    client.post("/logout")
    login(client, "xa", PASSWORD)
    bad = {"files": [(io.BytesIO(b"MZ\x90\x00not a document"), "quyet-dinh.pdf")]}
    response = client.post(f"/teams/{team_id}/files", data=bad, content_type="multipart/form-data")
    assert response.status_code == 422 and "PDF, JPEG, PNG" in response.text and 'id="attach-form"' in response.text
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0
    good = {"files": [(io.BytesIO(PDF), "quyet-dinh.pdf")]}
    assert client.post(f"/teams/{team_id}/files", data=good, content_type="multipart/form-data").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1


def test_a_status_change_sent_after_the_completion_was_reported_says_why_without_javascript(app, world, client):
    """The page no longer offers the status form once the completion awaits review: the refusal goes to its top."""
    task = world["task"]
    form_version = task.version
    review.submit_completion(task, world["officer"], note="Xong", uploads=[], version=task.version)
    login(client, "xa", PASSWORD)
    response = client.post(f"/tasks/{task.id}/status", data={
        "status": "in_progress", "progress": "60", "note": "Đã họp thôn", "version": str(form_version + 1)})
    assert response.status_code == 422 and 'id="status-form"' not in response.text
    assert 'id="note-form"' in response.text and "Đã họp thôn</textarea>" in response.text  # kept, to add as a note
    assert "Kết quả hoàn thành của nhiệm vụ đang chờ Văn phòng duyệt" in response.text
    assert db.session.get(Task, task.id).status == TaskStatus.SUBMITTED
