using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Newsroom.Http;
using Newsroom.Identity;
using Newsroom.Json;
using Newsroom.Photos;
using Newsroom.Storage;

namespace Newsroom.Functions.Photos;

/// <summary>The desk uploads, lists and deletes photos; anyone may read a photo's record and renditions.</summary>
public sealed class PhotosApi(PhotoService photos, PhotoLibrary library, DeskSignIn signIn, IOptions<PhotoOptions> options, HttpResults results)
{
    /// <summary>
    /// 202 with the photo processing; the host writes its resize job to the queue through the output binding, which
    /// also wakes this instance's PhotoResize listener at once instead of after its idle poll.
    /// </summary>
    [Function(nameof(UploadPhoto))]
    public async Task<PhotoAccepted> UploadPhoto(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "photos")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        var user = await PhotoUpload.BeforeReadingAsync(req, async () =>
            (await signIn.UserAsync(req, cancellationToken)).Require(DeskRole.Reporter, "upload photos"), cancellationToken);
        await using var upload = await PhotoUpload.ReadAsync(req, options.Value.MaxUploadBytes, cancellationToken);
        var (photo, job) = await photos.StoreAsync(upload, cancellationToken, uploadedBy: user.Actor);
        var payload = JsonPayload.From(photo);
        return new PhotoAccepted
        {
            Response = results.EditorJson(payload, payload.ETag, StatusCodes.Status202Accepted, $"{req.PathBase}{req.Path}/{photo.Id}"),
            Job = job.ToMessage().ToString(),
        };
    }

    [Function(nameof(DeletePhoto))]
    public async Task<IActionResult> DeletePhoto(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "photos/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        await library.DeleteAsync(await signIn.UserAsync(req, cancellationToken), id, cancellationToken);
        return HttpResults.NoContent();
    }

    [Function(nameof(ListDeskPhotos))]
    public async Task<IActionResult> ListDeskPhotos(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk/photos")] HttpRequest req,
        CancellationToken cancellationToken) =>
        results.EditorJson(await library.ListAsync(await signIn.UserAsync(req, cancellationToken), req.Query["limit"], req.Query["cursor"], cancellationToken));

    [Function(nameof(GetPhoto))]
    public async Task<IActionResult> GetPhoto(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "photos/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var photo = await photos.GetAsync(id, cancellationToken);
        var payload = JsonPayload.From(photo.ForReaders());
        return photo.Status == PhotoStatus.Processing ? results.RevalidatedJson(payload) : results.PublicJson(payload);
    }
}

/// <summary>The upload's two outputs: the HTTP response, and the resize job the host queues after the function returns.</summary>
public sealed class PhotoAccepted
{
    [HttpResult]
    public required IActionResult Response { get; init; }

    [QueueOutput(StorageNames.PhotoJobsQueue, Connection = StorageOptions.SectionName)]
    public required string Job { get; init; }
}
