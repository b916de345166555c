//! Uploading an asset as Webflow does it: hash the file (MD5), create the asset with the hash
//! (`POST /sites/{site_id}/assets`), which answers with a presigned storage form, then POST the
//! file to the storage host as that form: every `uploadDetails` member as a field, the file last.

use bytes::Bytes;
use futures_util::StreamExt;

use crate::resources::assets::Assets;
use crate::runtime::multipart_with_file;
use crate::types::{CreateAssetRequest, CreateAssetResponse, CreateAssetResponseUploadDetails, ErrorBody};
use crate::{Content, Error};
use md5::{Digest, Md5};

impl<'a> Assets<'a> {
    /// Creates an asset named `file_name` on site `site_id` and uploads `content` to it (bytes, a
    /// file read as it is sent, or a stream; with progress if the content has a callback).
    /// Returns the asset as created, with its `hostedUrl`.
    ///
    /// A file is read twice (once to hash it, once to send it); a stream is read into memory
    /// first, since its hash must be known before it is sent. Dropping the future cancels the
    /// flow; an asset created but never uploaded has no file.
    pub async fn upload(
        self,
        site_id: &str,
        file_name: &str,
        content: Content,
    ) -> Result<CreateAssetResponse, Error<ErrorBody>> {
        let content = replayable(content).await?;
        let hash = md5_hex(&content).await?;
        let created = self.create(site_id, CreateAssetRequest::new(file_name.to_string(), hash)).await?;
        let (Some(url), Some(details)) = (&created.upload_url, &created.upload_details) else {
            return Err(Error::InvalidRequest("the asset was created without an upload URL or form".into()));
        };
        let fields = form_fields(details);
        let media_type = details.content_type.as_deref().unwrap_or("application/octet-stream");
        let (content_type, body) = multipart_with_file(&fields, "file", file_name, media_type, content);
        let headers = [("Content-Type".to_string(), content_type)];
        self.client.send_to_url(reqwest::Method::POST, url, &headers, body).await?;
        Ok(created)
    }
}

/// The presigned form's fields, each under its wire name, in the order the storage host
/// documents them (the policy and signature fields before `key`'s file), then any others.
fn form_fields(details: &CreateAssetResponseUploadDetails) -> Vec<(String, String)> {
    let documented = [
        ("acl", &details.acl),
        ("bucket", &details.bucket),
        ("X-Amz-Algorithm", &details.x_amz_algorithm),
        ("X-Amz-Credential", &details.x_amz_credential),
        ("X-Amz-Date", &details.x_amz_date),
        ("key", &details.key),
        ("Policy", &details.policy),
        ("X-Amz-Signature", &details.x_amz_signature),
        ("success_action_status", &details.success_action_status),
        ("content-type", &details.content_type),
        ("Cache-Control", &details.cache_control),
    ];
    let present =
        documented.into_iter().filter_map(|(name, value)| value.as_ref().map(|v| (name.to_string(), v.clone())));
    present.chain(details.additional_properties.iter().map(|(k, v)| (k.clone(), v.clone()))).collect()
}

/// Content that can be read twice: a stream is collected into memory.
async fn replayable(content: Content) -> Result<Content, Error<ErrorBody>> {
    if content.can_resend() {
        return Ok(content);
    }
    let mut chunks =
        content.quiet_chunks().ok_or_else(|| Error::InvalidRequest("the stream was already read".into()))?;
    let mut bytes = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| Error::InvalidRequest(format!("reading the file: {e}")))?;
        bytes.extend_from_slice(&chunk);
    }
    Ok(content.with_bytes(Bytes::from(bytes)))
}

/// The MD5 of `content` as 32 lowercase hex digits, read in chunks.
async fn md5_hex(content: &Content) -> Result<String, Error<ErrorBody>> {
    let mut chunks = content.quiet_chunks().ok_or_else(|| Error::InvalidRequest("the file cannot be read".into()))?;
    let mut md5 = Md5::new();
    while let Some(chunk) = chunks.next().await {
        md5.update(&chunk.map_err(|e| Error::InvalidRequest(format!("reading the file: {e}")))?);
    }
    Ok(md5.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
