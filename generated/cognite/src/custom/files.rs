//! Uploading a file as Cognite does it: create the file's metadata (`POST /files`), which
//! answers with a presigned URL, then PUT the bytes to that URL.

use crate::resources::files::Files;
use crate::types::{ErrorBody, ExternalFilesMetadata, UploadFileMetadata};
use crate::{Content, Error};

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
}
