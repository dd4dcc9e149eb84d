"""Background work of the reports app: building a requested report file. Eager in the embedded default (the
page's request builds it after commit), a Celery worker in production; the page polls the record's progress."""

from __future__ import annotations

from excon.celery import app

from .models import ReportFile
from .services import report_file_build


@app.task(name="excon.reports.tasks.generate_report_file", ignore_result=True)
def generate_report_file(report_file_id: str) -> None:
    report_file = ReportFile.objects.select_related("requested_by").get(pk=report_file_id)
    try:
        report_file_build(report_file)
    except Exception:
        return
