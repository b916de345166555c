//! Uploading a file as DatoCMS does it: ask for a place in the storage bucket
//! (`POST /upload-requests`), PUT the bytes there with the headers it names, then create (or
//! update) the upload from that path and wait for the job that processes it.

use crate::resources::uploads::Uploads;
use crate::types::{
    ErrorResponse, UpdateUploadReplaceStrategy, UploadCreateRequest, UploadCreateRequestData,
    UploadCreateRequestDataAttributes, UploadRequestCreateRequest, UploadRequestCreateRequestData,
    UploadRequestCreateRequestDataAttributes, UploadResponse,
};
use crate::{Content, Error, JobWait};

/// A file to upload: its content (bytes, a path or a stream, with progress) and the name it is
/// stored under.
#[derive(Debug, Clone)]
pub struct FileToUpload {
    pub content: Content,
    pub filename: String,
    /// Sent to the storage bucket; `application/octet-stream` unless set.
    pub media_type: Option<String>,
}

impl FileToUpload {
    /// A file on disk, read as it is sent, named as on disk.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<FileToUpload> {
        let path = path.as_ref();
        let filename = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "file".into());
        Ok(FileToUpload { content: Content::from_path(path)?, filename, media_type: None })
    }
}

impl<'a> Uploads<'a> {
    /// Uploads `file` and creates an upload from it: the four calls of DatoCMS's upload flow,
    /// waiting for the creation job as `wait` says. `attributes.path` is set to the uploaded
    /// file's; the other attributes (author, notes, tags…) are sent as given.
    ///
    /// Dropping the returned future cancels the flow; a file already transferred to the bucket
    /// without an upload created from it is not visible in the project.
    pub async fn create_from_file(
        self,
        file: FileToUpload,
        attributes: UploadCreateRequestDataAttributes,
        wait: JobWait,
    ) -> Result<UploadResponse, Error<ErrorResponse>> {
        let path = transfer(self.client, file).await?;
        let attributes = UploadCreateRequestDataAttributes { path, ..attributes };
        let request =
            UploadCreateRequest { data: UploadCreateRequestData { id: None, attributes, relationships: None } };
        self.create(request).send_and_wait(wait).await
    }

    /// Replaces the file of upload `upload_id` with `file`, keeping its URL or giving it a new
    /// one as `strategy` says, and waits for the job as `wait` says.
    pub async fn replace_file(
        self,
        upload_id: &str,
        file: FileToUpload,
        strategy: Option<UpdateUploadReplaceStrategy>,
        wait: JobWait,
    ) -> Result<UploadResponse, Error<ErrorResponse>> {
        let path = transfer(self.client, file).await?;
        let mut update = self.update(upload_id).path(path);
        if let Some(strategy) = strategy {
            update = update.replace_strategy(strategy);
        }
        update.send_and_wait(wait).await
    }
}

/// Asks for a storage path and PUTs the file's bytes there; returns the path.
async fn transfer(client: &crate::Client, file: FileToUpload) -> Result<String, Error<ErrorResponse>> {
    let request = UploadRequestCreateRequest {
        data: UploadRequestCreateRequestData {
            attributes: Some(UploadRequestCreateRequestDataAttributes { filename: Some(file.filename.clone()) }),
            relationships: None,
        },
    };
    let permission = client.upload_requests().create(request).await?;
    let mut headers: Vec<(String, String)> =
        permission.data.attributes.request_headers.unwrap_or_default().into_iter().collect();
    if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type")) {
        let media_type = file.media_type.unwrap_or_else(|| "application/octet-stream".into());
        headers.push(("Content-Type".into(), media_type));
    }
    client.send_to_url(reqwest::Method::PUT, &permission.data.attributes.url, &headers, file.content).await?;
    Ok(permission.data.id)
}
