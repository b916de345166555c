//! Uploading a file as Cognite does it: create the file's metadata (`POST /files`), which
//! answers with a presigned URL, then PUT the bytes to that URL; or, for large files, in parts
//! (`POST /files/initmultipartupload`, a PUT per part, `POST /files/completemultipartupload`).

use crate::resources::files::Files;
use crate::types::{
    CompleteMultiPartUpload, ErrorBody, ExternalFilesMetadata, MultiPartUploadFileMetadata, UploadFileMetadata,
};
use crate::{Content, Error};

/// Cognite takes at most 250 parts per file.
const MAX_PARTS: u64 = 250;

impl<'a> Files<'a> {
    /// Creates a file from `metadata` and uploads `content` to it in one call (bytes, a file
    /// read as it is sent, or a stream; with progress if the content has a callback). The
    /// bytes go with the metadata's `mimeType`, as the upload URL expects. Returns the file's
    /// metadata as created; `uploaded` turns true once Cognite has processed the bytes.
    ///
    /// The creation is not retried on failure (it would create a second file); the transfer is.
    /// Dropping the future cancels the flow; a file created but never uploaded stays listed with
    /// `uploaded: false`.
    pub async fn upload(
        self,
        metadata: ExternalFilesMetadata,
        content: Content,
    ) -> Result<UploadFileMetadata, Error<ErrorBody>> {
        let media_type = metadata.mime_type.clone().unwrap_or_else(|| "application/octet-stream".into());
        let created = self.init_upload(metadata).await?;
        let headers = [("Content-Type".to_string(), media_type)];
        self.client.send_to_url(reqwest::Method::PUT, &created.upload_url, &headers, content).await?;
        Ok(created)
    }

    /// Uploads a large file in `parts` pieces (1 to 250; every piece but the last at least
    /// 5 MiB, as Cognite requires): starts a multipart upload with `metadata`, PUTs each piece to
    /// its URL in order (each retried on its own, progress counting over the whole file), then
    /// completes the upload. `content` must be bytes or a file, whose length is known.
    pub async fn upload_in_parts(
        self,
        metadata: ExternalFilesMetadata,
        content: Content,
        parts: u32,
    ) -> Result<MultiPartUploadFileMetadata, Error<ErrorBody>> {
        let length = content.length().ok_or_else(|| Error::InvalidRequest("the content's length is unknown".into()))?;
        let parts = u64::from(parts);
        if !(1..=MAX_PARTS).contains(&parts) || parts > length.max(1) {
            return Err(Error::InvalidRequest(format!(
                "{parts} parts: between 1 and {MAX_PARTS}, and no more than the bytes"
            )));
        }
        let piece = length.div_ceil(parts);
        let media_type = metadata.mime_type.clone();
        let started = self.init_multi_part_upload(parts as i32, metadata).await?;
        if started.upload_urls.len() as u64 != parts {
            return Err(Error::InvalidRequest(format!(
                "asked for {parts} upload URLs, got {}",
                started.upload_urls.len()
            )));
        }
        let headers: Vec<(String, String)> = media_type.into_iter().map(|m| ("Content-Type".to_string(), m)).collect();
        for (index, url) in started.upload_urls.iter().enumerate() {
            let offset = index as u64 * piece;
            let part = content
                .part(offset, piece.min(length - offset))
                .ok_or_else(|| Error::InvalidRequest("only bytes or a file can be sent in parts".into()))?;
            self.client.send_to_url(reqwest::Method::PUT, url, &headers, part).await?;
        }
        let done =
            CompleteMultiPartUpload { id: Some(started.id), ..CompleteMultiPartUpload::new(started.upload_id.clone()) };
        self.complete_multi_part_upload(done).await?;
        Ok(started)
    }
}
