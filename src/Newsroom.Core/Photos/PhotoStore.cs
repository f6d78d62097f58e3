using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Photos;

/// <summary>
/// Photo records in the photos table (PartitionKey = id, RowKey = "photo"). Rendition URLs are stored as
/// blob names and made absolute when read, against Photos:PublicBaseUrl (a CDN) or the renditions
/// container itself, so moving renditions behind a CDN, or Azurite to another port, needs no reprocessing.
/// </summary>
public sealed class PhotoStore(StorageClients storage, Microsoft.Extensions.Options.IOptions<PhotoOptions> options)
{
    private const string RowKey = "photo";

    private TableClient Table => storage.Table(StorageNames.PhotosTableName);

    public async Task<(PhotoRecord Photo, ETag ETag)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 64 || id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            return null;
        }
        var response = await Table.GetEntityIfExistsAsync<TableEntity>(id, RowKey, cancellationToken: cancellationToken);
        if (!response.HasValue || response.Value is not { } entity)
        {
            return null;
        }
        var stored = JsonSerializer.Deserialize<PhotoRecord>(entity.GetString("Record")!, NewsroomJson.Options)!;
        var baseUrl = PublicBaseUrl;
        var photo = stored with
        {
            OriginalBlob = entity.GetString(nameof(PhotoRecord.OriginalBlob)),
            ContentHash = entity.GetString(nameof(PhotoRecord.ContentHash)),
            Renditions = [.. stored.Renditions.Select(r => r with { Url = $"{baseUrl}/{r.Url}" })],
        };
        return (photo, entity.ETag);
    }

    public async Task<bool> ExistsAsync(string id, CancellationToken cancellationToken) => await GetAsync(id, cancellationToken) is not null;

    public Task InsertAsync(PhotoRecord photo, CancellationToken cancellationToken) =>
        Table.AddEntityAsync(ToEntity(photo), cancellationToken);

    /// <summary>Replaces the record if it is still at <paramref name="etag"/>; false if someone else changed it.</summary>
    public async Task<bool> TryReplaceAsync(PhotoRecord photo, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(photo), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>The blob name a rendition URL points at (URLs are stored as names).</summary>
    private string BlobName(string url) => url.StartsWith(PublicBaseUrl + "/", StringComparison.Ordinal) ? url[(PublicBaseUrl.Length + 1)..] : url;

    public async Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(id, RowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    private string PublicBaseUrl => (options.Value.PublicBaseUrl ?? storage.Container(StorageNames.RenditionsContainerName).Uri).ToString().TrimEnd('/');

    private TableEntity ToEntity(PhotoRecord photo) => new(photo.Id, RowKey)
    {
        ["Record"] = JsonSerializer.Serialize(photo with { Renditions = [.. photo.Renditions.Select(r => r with { Url = BlobName(r.Url) })] }, NewsroomJson.Options),
        [nameof(PhotoRecord.Status)] = photo.Status.ToString(),
        [nameof(PhotoRecord.OriginalBlob)] = photo.OriginalBlob,
        [nameof(PhotoRecord.ContentHash)] = photo.ContentHash,
    };
}
