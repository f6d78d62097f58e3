using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Photos;

/// <summary>Photo records in the photos table (PartitionKey = id, RowKey = "photo").</summary>
public sealed class PhotoStore(StorageClients storage)
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
        var photo = JsonSerializer.Deserialize<PhotoRecord>(entity.GetString("Record")!, NewsroomJson.Options)! with
        {
            OriginalBlob = entity.GetString(nameof(PhotoRecord.OriginalBlob)),
            ContentHash = entity.GetString(nameof(PhotoRecord.ContentHash)),
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

    private static TableEntity ToEntity(PhotoRecord photo) => new(photo.Id, RowKey)
    {
        ["Record"] = JsonSerializer.Serialize(photo, NewsroomJson.Options),
        [nameof(PhotoRecord.Status)] = photo.Status.ToString(),
        [nameof(PhotoRecord.OriginalBlob)] = photo.OriginalBlob,
        [nameof(PhotoRecord.ContentHash)] = photo.ContentHash,
    };
}
