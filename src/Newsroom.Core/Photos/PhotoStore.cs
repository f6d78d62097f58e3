using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Newsroom.Json;
using Newsroom.Storage;

namespace Newsroom.Photos;

/// <summary>A photo accepted but not yet finished, as its pending mark says: when its job was last sent and how often it was sent again.</summary>
public sealed record PendingPhoto(string Id, string OriginalBlob, DateTimeOffset SentAt, int Resends, ETag ETag);

/// <summary>
/// Photo records in the photos table (PartitionKey = id, RowKey = "photo"). Rendition URLs are stored as
/// blob names and made absolute when read, against Photos:PublicBaseUrl (a CDN) or the renditions
/// container itself, so moving renditions behind a CDN, or Azurite to another port, needs no reprocessing. Photos not yet finished also have a row in the "pending" partition.
/// </summary>
public sealed class PhotoStore(StorageClients storage, Microsoft.Extensions.Options.IOptions<PhotoOptions> options)
{
    private const string RowKey = "photo";

    // No photo has this id (they are "p" and hex digits, or "demo-photo-…"), so the partition is never a photo's own.
    private const string PendingPartition = "pending";

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
        var stored = JsonSerializer.Deserialize<PhotoRecord>(entity.GetString("Record")!, NewsroomJson.Stored)!;
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

    /// <summary>
    /// Marks a photo as accepted and not yet finished, before anything else of it is written: the sweep finds
    /// every photo that a crash, a lost job or a worker that died on its last attempt left unfinished by
    /// reading this one partition, never the whole table.
    /// </summary>
    public async Task<PendingPhoto> MarkPendingAsync(string id, string originalBlob, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PendingPartition, id)
        {
            [nameof(PendingPhoto.OriginalBlob)] = originalBlob,
            [nameof(PendingPhoto.SentAt)] = at,
            [nameof(PendingPhoto.Resends)] = 0,
        };
        var response = await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return new PendingPhoto(id, originalBlob, at, 0, response.Headers.ETag ?? ETag.All);
    }

    /// <summary>Photos marked pending whose job was last sent at or before <paramref name="sentBefore"/>.</summary>
    public async Task<IReadOnlyList<PendingPhoto>> PendingAsync(DateTimeOffset sentBefore, int max, CancellationToken cancellationToken)
    {
        var found = new List<PendingPhoto>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PendingPartition} and SentAt le {sentBefore.UtcDateTime}");
        await foreach (var e in Table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken))
        {
            found.Add(new PendingPhoto(e.RowKey, e.GetString(nameof(PendingPhoto.OriginalBlob)) ?? "", e.GetDateTimeOffset(nameof(PendingPhoto.SentAt)) ?? DateTimeOffset.MinValue,
                e.GetInt32(nameof(PendingPhoto.Resends)) ?? 0, e.ETag));
            if (found.Count == max)
            {
                break;
            }
        }
        return found;
    }

    /// <summary>Records that the job was sent again; false if someone else (another sweep) did so first.</summary>
    public async Task<bool> TryRecordResendAsync(PendingPhoto pending, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(new TableEntity(PendingPartition, pending.Id)
            {
                [nameof(PendingPhoto.OriginalBlob)] = pending.OriginalBlob,
                [nameof(PendingPhoto.SentAt)] = at,
                [nameof(PendingPhoto.Resends)] = pending.Resends + 1,
            }, pending.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>The photo is finished (ready or failed) or gone: it needs no more watching.</summary>
    public async Task ClearPendingAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(PendingPartition, id, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
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
        ["Record"] = JsonSerializer.Serialize(photo with { Renditions = [.. photo.Renditions.Select(r => r with { Url = BlobName(r.Url) })] }, NewsroomJson.Stored),
        [nameof(PhotoRecord.Status)] = photo.Status.ToString(),
        [nameof(PhotoRecord.OriginalBlob)] = photo.OriginalBlob,
        [nameof(PhotoRecord.ContentHash)] = photo.ContentHash,
    };
}
