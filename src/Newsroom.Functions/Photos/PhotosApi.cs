using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Newsroom.Http;
using Newsroom.Json;
using Newsroom.Photos;

namespace Newsroom.Functions.Photos;

/// <summary>Editors upload photos; anyone may read a photo's record and renditions.</summary>
public sealed class PhotosApi(PhotoService photos, IOptions<PhotoOptions> options, HttpResults results)
{
    [Function(nameof(UploadPhoto))]
    public async Task<IActionResult> UploadPhoto(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "photos")] HttpRequest req,
        CancellationToken cancellationToken)
    {
        await using var upload = await PhotoUpload.ReadAsync(req, options.Value.MaxUploadBytes, cancellationToken);
        var photo = await photos.AcceptAsync(upload, cancellationToken);
        var payload = JsonPayload.From(photo);
        return results.EditorJson(payload, payload.ETag, StatusCodes.Status202Accepted, $"/api/photos/{photo.Id}");
    }

    [Function(nameof(GetPhoto))]
    public async Task<IActionResult> GetPhoto(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "photos/{id}")] HttpRequest req,
        string id,
        CancellationToken cancellationToken)
    {
        var photo = await photos.GetAsync(id, cancellationToken);
        var payload = JsonPayload.From(photo);
        return photo.Status == PhotoStatus.Processing ? results.RevalidatedJson(payload) : results.PublicJson(payload);
    }
}
