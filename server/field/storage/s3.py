"""Photos in an S3-compatible bucket, for deployments that outgrow one disk.

Partial uploads stay in the local spool; the object is put only after the hash
and media type checks pass, so a partial or refused upload is never a visible
object. boto3 is synchronous: every call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

from server.field.storage.base import SpooledStorage
from server.settings import AttachmentSettings

KEY_PREFIX = "photos/"


class S3Storage(SpooledStorage):
    def __init__(self, settings: AttachmentSettings) -> None:
        super().__init__(settings.directory / "s3-spool")
        self.bucket = settings.s3_bucket
        self._client: Any = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint,
            aws_access_key_id=settings.s3_access_key,
            aws_secret_access_key=settings.s3_secret_key,
            region_name=settings.s3_region,
        )

    def key(self, sha256: str) -> str:
        return KEY_PREFIX + sha256

    async def _published(self, sha256: str) -> tuple[int, str] | None:
        try:
            head = await asyncio.to_thread(
                self._client.head_object, Bucket=self.bucket, Key=self.key(sha256)
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return int(head["ContentLength"]), str(head.get("ContentType", ""))

    async def _publish(self, sha256: str, path: Path, media_type: str) -> None:
        # upload_file switches to a multipart upload for large files; S3 only
        # shows the object once the multipart upload is completed.
        await asyncio.to_thread(
            self._client.upload_file,
            str(path),
            self.bucket,
            self.key(sha256),
            ExtraArgs={"ContentType": media_type},
        )

    async def read(self, sha256: str) -> bytes:
        answer = await asyncio.to_thread(
            self._client.get_object, Bucket=self.bucket, Key=self.key(sha256)
        )
        return await asyncio.to_thread(answer["Body"].read)
