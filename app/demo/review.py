"""Demo tasks in each review state: a completion awaiting review (with a photo and a PDF), one returned, an
extension pending and one approved; through the services, so history, audit and notices are as in real use."""
from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from app.evidence.files import Upload
from app.extensions import db
from app.models import Item, Organization, Role, Task, TaskStatus, User
from app.tasks import extensions, review


def demo_photo() -> bytes:
    """A small real PNG: a green field with a banner."""
    image = Image.new("RGB", (160, 120), (60, 140, 80))
    ImageDraw.Draw(image).rectangle((10, 10, 150, 40), fill=(230, 200, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def demo_pdf(title: str = "Bao cao ket qua") -> bytes:
    """A small valid one-page PDF with a line of text (xref offsets computed)."""
    stream = f"BT /F1 18 Tf 40 100 Td ({title}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 160] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _open_task(short_name: str) -> tuple[Task, User] | None:
    unit = db.session.scalar(select(Organization).where(Organization.short_name == short_name))
    officer = db.session.scalar(select(User).where(User.organization_id == unit.id).order_by(User.id)) if unit else None
    task = db.session.scalar(select(Task).join(Item).where(
        Task.lead_unit_id == unit.id, Task.status == TaskStatus.IN_PROGRESS, Task.deadline.is_not(None),
        Item.kpi.is_(None)).order_by(Task.id)) if unit else None
    return (task, officer) if task and officer else None


def seed_review() -> None:
    """Four communes' tasks put in the new states (Tam Phước's are left for the walkthrough)."""
    coordinator = db.session.scalar(select(User).where(User.role == Role.COORDINATOR).order_by(User.id))
    evidence = [Upload("anh-hien-truong.png", demo_photo()), Upload("bao-cao-ket-qua.pdf", demo_pdf())]
    if found := _open_task("Tam Đàn"):
        task, officer = found
        review.submit_completion(task, officer, note="Đã hoàn thành, gửi kèm ảnh và báo cáo.", uploads=evidence,
                                 version=task.version)
    if found := _open_task("Tam Lộc"):
        task, officer = found
        review.submit_completion(task, officer, note="Đã hoàn thành.", uploads=evidence[:1], version=task.version)
        review.return_completion(task, coordinator, note="Đề nghị bổ sung danh sách hộ được hướng dẫn.",
                                 version=task.version)
    if found := _open_task("Tam Vinh"):
        task, officer = found
        extensions.request_extension(task, officer, deadline=task.effective_deadline + timedelta(days=15),
                                     reason="Mưa bão kéo dài, chưa tổ chức được các buổi họp thôn.")
    if found := _open_task("Tam Thái"):
        task, officer = found
        request = extensions.request_extension(task, officer, deadline=task.effective_deadline + timedelta(days=10),
                                               reason="Chờ doanh nghiệp hỗ trợ thiết bị.")
        extensions.decide_extension(request, coordinator, approve=True, note="Đồng ý gia hạn 10 ngày.")
